"""Request and response bodies for NNS: founding, fee policy, the förbund it knows and their membership."""

from __future__ import annotations

from datetime import date

import msgspec

from finsam_service.inputs import Amount, Body, Line, OrgNr

__all__ = [
    "FeePolicyCreate",
    "ForbundListing",
    "MembershipJoin",
    "NetworkFound",
    "WithdrawalNotice",
    "WithdrawalNoticeWritten",
    "WithdrawalRevocation",
]


class NetworkFound(Body, frozen=True, forbid_unknown_fields=True):
    name: Line = "Nationella nätverket för samordningsförbund"


class FeePolicyCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The service fee from ``effective_year``: ``per_mille`` of the allocation, at most ``cap`` kronor."""

    effective_year: int
    per_mille: Amount
    cap: Amount | None = None
    decided_by: Line = ""


class ForbundListing(Body, frozen=True, forbid_unknown_fields=True):
    """Make a förbund known to NNS (member or not)."""

    org_nr: OrgNr
    name: Line


class MembershipJoin(Body, frozen=True, forbid_unknown_fields=True):
    joined_on: date
    name: Line | None = None
    """Needed only when NNS does not know the förbund yet and it is not registered here."""


class WithdrawalNotice(Body, frozen=True, forbid_unknown_fields=True):
    received_on: date
    written: bool = True


class WithdrawalNoticeWritten(msgspec.Struct, frozen=True):
    last_day: date
    """The last day of membership: the first year end at least three months after the notice."""
    position: int


class WithdrawalRevocation(Body, frozen=True, forbid_unknown_fields=True):
    revoked_on: date
