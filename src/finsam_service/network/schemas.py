"""Request and response bodies of NNS: its own records (founding, fee policy, the förbund it knows and their
membership) and the network view (roster, summary and participant figures across förbund)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.projections.roster import RosterEntry
from finsam_service.inputs import Amount, Body, Line, OrgNr

__all__ = [
    "FeePolicyCreate",
    "ForbundListing",
    "ForbundSummary",
    "MembershipJoin",
    "NetworkFound",
    "NetworkRoster",
    "NetworkSummary",
    "WithdrawalNotice",
    "WithdrawalNoticeWritten",
    "WithdrawalRevocation",
]


class NetworkRoster(msgspec.Struct, frozen=True):
    """Every förbund NNS knows on ``as_of``: member or not, since when, a pending withdrawal's last day."""

    as_of: date
    members: int
    total: int
    entries: list[RosterEntry]


class ForbundSummary(msgspec.Struct, frozen=True):
    """One förbund's year: allocation, budget against outcome, equity and its share of the allocation."""

    org_nr: str
    name: str
    nns_member: bool
    allocation: Decimal | None
    year_budget: Decimal | None
    months: int | None
    outcome: Decimal | None
    used_share: Decimal | None
    benchmark: Decimal | None
    deviation: Decimal | None
    forecast: Decimal | None
    equity: Decimal | None
    """Forecast (or, after the close, actual) equity at year end; else the annual report's."""
    equity_ratio: Decimal | None
    flags: list[str]


class NetworkSummary(msgspec.Struct, frozen=True):
    year: int
    forbund: int
    """Förbund registered here or known to NNS."""
    nns_members: int
    """Förbund that are members of NNS on some day of the year."""
    total_allocation: Decimal
    equity_ratio: Decimal | None
    """Summed equity over summed allocation, over the förbund where both are known."""
    entries: list[ForbundSummary]


# --- NNS's own records (network admins) ----------------------------------------------------------


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
