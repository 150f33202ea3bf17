"""The NNS fee list for a year: every member förbund's allocation, the rate, the fee and whether it was capped."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from finsam_core.domain.network import FeePolicy
from finsam_core.rules.money import service_fee

__all__ = ["FeeEntry", "FeeList", "fee_entry", "fee_list", "fee_list_of"]


class FeeEntry(msgspec.Struct, frozen=True):
    org_nr: str
    name: str
    allocation: Decimal | None
    """``None``: the förbund's allocation for the year is not recorded, so no fee can be computed."""
    per_mille: Decimal
    cap: Decimal | None
    fee: Decimal | None
    capped: bool


class FeeList(msgspec.Struct, frozen=True):
    year: int
    per_mille: Decimal
    cap: Decimal | None
    entries: tuple[FeeEntry, ...]
    total: Decimal
    missing_allocation: int


def fee_entry(org_nr: str, name: str, allocation: Decimal | None, policy: FeePolicy) -> FeeEntry:
    if allocation is None:
        return FeeEntry(org_nr, name, None, policy.per_mille, policy.cap, None, False)
    result = service_fee(allocation, policy.per_mille, policy.cap)
    return FeeEntry(org_nr, name, allocation, policy.per_mille, policy.cap, result.fee, result.capped)


def fee_list(year: int, policy: FeePolicy, members: list[tuple[str, str, Decimal | None]]) -> FeeList:
    """``members``: (org nr, name, allocation or None) of every förbund that is a member during ``year``."""
    return fee_list_of(
        year, policy, [fee_entry(org_nr, name, allocation, policy) for org_nr, name, allocation in members]
    )


def fee_list_of(year: int, policy: FeePolicy, entries: list[FeeEntry]) -> FeeList:
    """The list of these entries (each computed by :func:`fee_entry`), in org nr order, with its totals."""
    ordered = tuple(sorted(entries, key=lambda e: (e.org_nr, e.name)))
    return FeeList(
        year=year,
        per_mille=policy.per_mille,
        cap=policy.cap,
        entries=ordered,
        total=sum((e.fee for e in ordered if e.fee is not None), Decimal(0)),
        missing_allocation=sum(1 for e in ordered if e.fee is None),
    )
