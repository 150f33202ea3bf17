"""Request and response bodies for NNS: founding, fee policy, the förbund it knows and their membership."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

__all__ = [
    "FeePolicyCreate",
    "ForbundListing",
    "MembershipJoin",
    "NetworkFound",
    "WithdrawalNotice",
    "WithdrawalNoticeWritten",
    "WithdrawalRevocation",
]


class NetworkFound(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str = "Nationella nätverket för samordningsförbund"


class FeePolicyCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The service fee from ``effective_year``: ``per_mille`` of the allocation, at most ``cap`` kronor."""

    effective_year: int
    per_mille: Decimal
    cap: Decimal | None = None
    decided_by: str = ""


class ForbundListing(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Make a förbund known to NNS (member or not)."""

    org_nr: str
    name: str


class MembershipJoin(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    joined_on: date
    name: str | None = None
    """Needed only when NNS does not know the förbund yet and it is not registered here."""


class WithdrawalNotice(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    received_on: date
    written: bool = True


class WithdrawalNoticeWritten(msgspec.Struct, frozen=True):
    last_day: date
    """The last day of membership: the first year end at least three months after the notice."""
    position: int


class WithdrawalRevocation(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    revoked_on: date
