"""The rows of the views the projections keep: one shape per read model, whatever implementation stores it.

The projections (:mod:`~finsam_core.projections.records`, :mod:`~finsam_core.projections.money`)
compute these from the domain's aggregates; a views implementation
(:class:`~finsam_core.projections.views.Views`) only stores and returns them. Every field is what
the domain computed, so a reader selects and filters, never recomputes a rule.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import msgspec

from finsam_core.domain.decision_spending import Spend
from finsam_core.domain.interventions import ParticipantCounts
from finsam_core.domain.member_payments import MemberPayment, PaymentSchedule
from finsam_core.domain.participant_breakdowns import Breakdown
from finsam_core.projections.budget_status import BudgetStatus
from finsam_core.projections.discharge_status import DischargeStatus
from finsam_core.projections.minutes_sheet import MinutesSheet
from finsam_core.projections.registers import DecisionEntry

__all__ = [
    "AllocationRow",
    "AnnualReportRow",
    "AssignmentRow",
    "BoardRow",
    "BudgetStatusRow",
    "ContributionRow",
    "DecisionRow",
    "DecisionSpendingRow",
    "DraftMark",
    "FeePolicyRow",
    "FeeRow",
    "ForbundRow",
    "KnownForbundRow",
    "MeetingKey",
    "MeetingRow",
    "MemberPaymentsRow",
    "MemberRow",
    "MembershipRow",
    "MinutesDocument",
    "MinutesParagraph",
    "OfficeRow",
    "ParticipantsRow",
    "RosterRow",
]


class MinutesParagraph(msgspec.Struct, frozen=True):
    number: int
    title: str
    body: str
    decisions: tuple[tuple[str, ...], ...]
    reservations: tuple[str, ...]


class MinutesDocument(msgspec.Struct, frozen=True):
    """The minutes as JSON-able data (the meetings view's ``minutes`` column)."""

    org_nr: str
    forbund: str
    reference: str
    held_on: date
    place: str
    final: bool
    adjusted_on: date | None
    paragraphs: tuple[MinutesParagraph, ...]


class MemberRow(msgspec.Struct):
    """A member organisation of a förbund, with the decisions that admitted it and recorded its notice."""

    key: str
    name: str
    kind: str
    joined_on: date
    leaves_on: date | None
    admitted_in: list[str]
    """The meeting whose decision admitted the member (see :mod:`finsam_core.projections.drafts`)."""
    notice_in: list[str]
    """The meeting whose decision recorded its notice: ``leaves_on`` is a draft until it is final."""
    liquidation: str | None = None
    """When this member's notice leaves the förbund without a region or a kommun: the flag's message."""


class BoardRow(msgspec.Struct):
    """A seat on the board for a term: a ledamot or ersättare, and the meetings whose decision appointed them."""

    person: str
    member_key: str
    role: str
    term_from: date
    term_to: date
    decided_in: list[str]


class OfficeRow(msgspec.Struct):
    """The board's chair or vice chair for a term."""

    person: str
    office: str
    term_from: date
    term_to: date


class ForbundRow(msgspec.Struct):
    org_nr: str
    name: str
    founded_on: date
    members: list[MemberRow]
    position: int
    board: list[BoardRow] = msgspec.field(default_factory=list)
    offices: list[OfficeRow] = msgspec.field(default_factory=list)


class MeetingRow(msgspec.Struct):
    org_nr: str
    reference: str
    meeting_id: UUID
    held_on: date
    place: str
    final: bool
    adjusted_on: date | None
    minutes: MinutesDocument
    minutes_text: str
    position: int
    sheet: MinutesSheet
    """The minutes as the documents lay them out (:mod:`~finsam_core.projections.minutes_sheet`)."""


class MeetingKey(msgspec.Struct):
    org_nr: str
    meeting: str


class DecisionRow(DecisionEntry, frozen=True, kw_only=True):
    """One decision of the register as the library lists it (:class:`DecisionEntry`), with ``seq`` (the
    order of the decisions of one §) and the text a search looks in."""

    seq: int
    search: str


class AssignmentRow(msgspec.Struct):
    """An assignment (uppdrag) not yet reported done; ``seq`` orders those of one meeting."""

    org_nr: str
    meeting: str
    held_on: date
    paragraph: int
    seq: int
    assignee: str
    task: str
    due_on: date | None
    final: bool


class KnownForbundRow(msgspec.Struct, frozen=True):
    """A förbund NNS knows, member or not."""

    org_nr: str
    name: str
    position: int


class FeePolicyRow(msgspec.Struct, frozen=True):
    """NNS's service fee in force from ``effective_year`` to ``until_year`` (``None``: no later policy yet)."""

    effective_year: int
    until_year: int | None
    per_mille: Decimal
    cap: Decimal | None
    decided_by: str
    position: int


class RosterRow(msgspec.Struct, frozen=True):
    """The förbund as the NNS roster shows it on every day from ``valid_from`` to ``valid_until``
    (``None``: an open end); the domain's :func:`~finsam_core.projections.roster.roster_entry`."""

    org_nr: str
    name: str
    valid_from: date | None
    valid_until: date | None
    member: bool
    joined_on: date | None
    withdrawal_notice: date | None
    leaves_after: date | None
    position: int


class FeeRow(msgspec.Struct, frozen=True):
    """The förbund's NNS service fee for ``year``: its allocation under the policy in force that year."""

    org_nr: str
    year: int
    allocation: Decimal
    per_mille: Decimal
    cap: Decimal | None
    fee: Decimal
    capped: bool
    decided_in: tuple[str, ...]
    """The allocation's decisions: the fee is a draft while they are."""
    position: int


class MembershipRow(msgspec.Struct, frozen=True):
    """One period of a förbund's NNS membership: from ``joined_on`` to ``last_day`` (``None``: open), a
    member during the years ``first_year`` to ``last_year``."""

    org_nr: str
    period: int
    name: str
    joined_on: date
    notice_received: date | None
    last_day: date | None
    first_year: int
    last_year: int | None
    position: int


class ContributionRow(msgspec.Struct, frozen=True):
    member_key: str
    member_name: str
    kind: str
    amount: Decimal


class AllocationRow(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    total: Decimal
    contributions: tuple[ContributionRow, ...]
    decided_in: tuple[str, ...]
    position: int


class BudgetStatusRow(msgspec.Struct, frozen=True):
    """The budget status as the domain computes it, equity ratio included."""

    org_nr: str
    year: int
    status: BudgetStatus
    decided_in: tuple[str, ...]
    position: int


class AnnualReportRow(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    result: Decimal
    equity_at_year_end: Decimal
    discharge: DischargeStatus
    decided_in: tuple[str, ...]
    position: int


class ParticipantsRow(msgspec.Struct, frozen=True):
    """Exact figures, as reported: every read publishes them through ``published_participants``."""

    org_nr: str
    year: int
    counts: ParticipantCounts
    position: int
    breakdowns: tuple[Breakdown, ...] = ()


class DraftMark(msgspec.Struct, frozen=True):
    """An event at ``position`` of ``stream`` that derives from the minutes of ``meeting_id``."""

    position: int
    stream: UUID
    meeting_id: UUID


class MemberPaymentsRow(msgspec.Struct, frozen=True):
    """The members' payment plans and payments for a förbund's allocation of ``year``; the status on a
    day is :func:`~finsam_core.projections.payment_status.forbund_status` of them."""

    org_nr: str
    year: int
    schedules: tuple[PaymentSchedule, ...]
    payments: tuple[MemberPayment, ...]
    position: int


class DecisionSpendingRow(msgspec.Struct, frozen=True):
    """The spending recorded against decision ``decision`` (its ``seq`` in the register) of § ``paragraph``."""

    org_nr: str
    meeting: str
    paragraph: int
    decision: int
    spending: tuple[Spend, ...]
    position: int
