"""The delegation read side of one förbund: orders in force, decisions taken outside meetings and
whether they have been reported to the board.

The views keep the facts, one row per förbund for each aggregate: :class:`DelegationRegisterRow` from
the :class:`~finsam_core.domain.delegation.DelegationRegister` (its orders with the day each ended,
its decisions with where they were reported) and :class:`PerCapsulamBookRow` from the
:class:`~finsam_core.domain.per_capsulam.PerCapsulamBook`, written by :class:`DelegationProjection`.
Whether a decision is reported in time depends on the förbund's meetings, which change in other
aggregates: :func:`decision_rows` and :func:`per_capsulam_rows` join the facts with the meetings
(reference, date) by the rules of :mod:`finsam_core.rules.delegation` when they are read. The
library's reads and the service's routes give the same shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

import msgspec
from eventsourcing.persistence import Notification

from finsam_core.domain.delegation import DelegationItem, DelegationOrder, DelegationRegister
from finsam_core.domain.per_capsulam import PerCapsulamBook
from finsam_core.projections.batch import BatchAggregates, EventSource, Touched
from finsam_core.rules.delegation import ReportState, report_state
from finsam_core.topics import event_of

__all__ = [
    "AnswerRow",
    "DecisionFact",
    "DelegatedDecisionRow",
    "DelegationItemRow",
    "DelegationOrderRow",
    "DelegationProjection",
    "DelegationRegisterRow",
    "DelegationViews",
    "PerCapsulamBookRow",
    "PerCapsulamFact",
    "PerCapsulamRow",
    "book_row",
    "decision_rows",
    "order_on",
    "per_capsulam_rows",
    "register_row",
]


class DelegationItemRow(msgspec.Struct, frozen=True):
    code: str
    matter: str
    delegate: str
    limit: Decimal | None
    urgent: bool


class DelegationOrderRow(msgspec.Struct, frozen=True):
    """A delegation order: when it applies, the decision that adopted it, its items."""

    valid_from: date
    valid_to: date | None
    """The day before the next order took over (``None``: still in force)."""
    adopted_in: str
    """The meeting's reference."""
    adopted_paragraph: int
    adopted_on: date
    items: list[DelegationItemRow]


class DecisionFact(msgspec.Struct, frozen=True):
    """A delegated decision as recorded, with where it was reported (if it was)."""

    number: int
    decided_on: date
    item_code: str
    delegate: str
    matter: str
    amount: Decimal | None
    urgent: bool
    registry_number: str
    reported_in: str | None
    reported_paragraph: int | None


class DelegationRegisterRow(msgspec.Struct, frozen=True):
    """The view of a förbund's delegation register: every order (with its end) and every decision."""

    org_nr: str
    orders: list[DelegationOrderRow]
    decisions: list[DecisionFact]
    position: int


class AnswerRow(msgspec.Struct, frozen=True):
    name: str
    ballot: str
    answered_on: date


class PerCapsulamFact(msgspec.Struct, frozen=True):
    reference: str
    proposal: str
    sent_on: date
    answers: list[AnswerRow]
    closed_on: date | None
    outcome: str | None
    explanation: str
    reported_in: str | None
    reported_paragraph: int | None


class PerCapsulamBookRow(msgspec.Struct, frozen=True):
    """The view of a förbund's per capsulam proposals, by the date they were sent."""

    org_nr: str
    proposals: list[PerCapsulamFact]
    position: int


class DelegatedDecisionRow(msgspec.Struct, frozen=True):
    number: int
    decided_on: date
    item_code: str
    delegate: str
    matter: str
    amount: Decimal | None
    urgent: bool
    registry_number: str
    state: ReportState
    reported_in: str | None
    reported_paragraph: int | None
    due_at: str | None
    """For an urgent decision, the next meeting where it must be reported (6 kap. 40 §)."""
    flag: str | None
    """A Swedish sentence when a rule on reporting is broken."""


class PerCapsulamRow(msgspec.Struct, frozen=True):
    reference: str
    proposal: str
    sent_on: date
    answers: list[AnswerRow]
    closed_on: date | None
    outcome: str | None
    explanation: str
    state: ReportState | None
    """``None`` until the proposal is closed (only a decision is reported)."""
    reported_in: str | None
    reported_paragraph: int | None
    due_at: str | None
    flag: str | None


# --- from the aggregates to the facts ---------------------------------------------------------


def _item_row(item: DelegationItem) -> DelegationItemRow:
    return DelegationItemRow(item.code, item.matter, item.delegate, item.limit, item.urgent)


def _order_row(order: DelegationOrder, following: DelegationOrder | None) -> DelegationOrderRow:
    ref = order.authorised_by
    return DelegationOrderRow(
        valid_from=order.valid_from,
        valid_to=None if following is None else following.valid_from - timedelta(days=1),
        adopted_in=ref.meeting or ref.reference,
        adopted_paragraph=ref.paragraph or 0,
        adopted_on=ref.decided_on,
        items=[_item_row(i) for i in order.items],
    )


def register_row(register: DelegationRegister, position: int) -> DelegationRegisterRow:
    """The register's facts as the views keep them."""
    orders = register.orders
    decisions = []
    for d in register.decisions:
        report = register.reports.get(d.number)
        decisions.append(
            DecisionFact(
                number=d.number,
                decided_on=d.decided_on,
                item_code=d.item_code,
                delegate=d.delegate,
                matter=d.matter,
                amount=d.amount,
                urgent=d.urgent,
                registry_number=d.registry_number,
                reported_in=report.meeting if report else None,
                reported_paragraph=report.paragraph if report else None,
            )
        )
    return DelegationRegisterRow(
        org_nr=register.org_nr,
        orders=[_order_row(o, orders[i + 1] if i + 1 < len(orders) else None) for i, o in enumerate(orders)],
        decisions=decisions,
        position=position,
    )


def book_row(book: PerCapsulamBook, position: int) -> PerCapsulamBookRow:
    """The book's facts as the views keep them."""
    return PerCapsulamBookRow(
        org_nr=book.org_nr,
        proposals=[
            PerCapsulamFact(
                reference=p.reference,
                proposal=p.proposal,
                sent_on=p.sent_on,
                answers=[AnswerRow(a.name, a.ballot.value, a.answered_on) for a in p.answers],
                closed_on=p.closed_on,
                outcome=p.outcome.value if p.outcome else None,
                explanation=p.explanation,
                reported_in=p.report.meeting if p.report else None,
                reported_paragraph=p.report.paragraph if p.report else None,
            )
            for p in sorted(book.proposals.values(), key=lambda p: (p.sent_on, p.reference))
        ],
        position=position,
    )


# --- the reads: facts joined with the meetings -------------------------------------------------


def order_on(orders: Sequence[DelegationOrderRow], day: date) -> DelegationOrderRow | None:
    """The order in force on ``day``, or ``None``."""
    return next(
        (o for o in orders if o.valid_from <= day and (o.valid_to is None or day <= o.valid_to)),
        None,
    )


def _flag(state: ReportState, due: tuple[str, date] | None, what: str, rule: str) -> str | None:
    if due is None or state not in (ReportState.OVERDUE, ReportState.REPORTED_LATE):
        return None
    return f"{what} ska anmälas vid nästa sammanträde, {due[0]} ({due[1].isoformat()}), men anmäldes inte där ({rule})."


def decision_rows(facts: Sequence[DecisionFact], meetings: Sequence[tuple[str, date]]) -> list[DelegatedDecisionRow]:
    """Every delegated decision in the order recorded, with its report state among ``meetings``."""
    rows = []
    for d in facts:
        state, due = report_state(d.decided_on, d.reported_in, meetings, at_next_meeting=d.urgent)
        rows.append(
            DelegatedDecisionRow(
                number=d.number,
                decided_on=d.decided_on,
                item_code=d.item_code,
                delegate=d.delegate,
                matter=d.matter,
                amount=d.amount,
                urgent=d.urgent,
                registry_number=d.registry_number,
                state=state,
                reported_in=d.reported_in,
                reported_paragraph=d.reported_paragraph,
                due_at=due[0] if due else None,
                flag=_flag(state, due, f"Ordförandebeslutet nr {d.number}", "6 kap. 40 § kommunallagen"),
            )
        )
    return rows


def per_capsulam_rows(facts: Sequence[PerCapsulamFact], meetings: Sequence[tuple[str, date]]) -> list[PerCapsulamRow]:
    """Every per capsulam proposal with its outcome and, once closed, its report state among ``meetings``."""
    rows = []
    for p in facts:
        state: ReportState | None = None
        due: tuple[str, date] | None = None
        if p.closed_on is not None:
            state, due = report_state(p.closed_on, p.reported_in, meetings, at_next_meeting=True)
        rows.append(
            PerCapsulamRow(
                reference=p.reference,
                proposal=p.proposal,
                sent_on=p.sent_on,
                answers=p.answers,
                closed_on=p.closed_on,
                outcome=p.outcome,
                explanation=p.explanation,
                state=state,
                reported_in=p.reported_in,
                reported_paragraph=p.reported_paragraph,
                due_at=due[0] if due else None,
                flag=None
                if state is None
                else _flag(state, due, f"Beslutet per capsulam {p.reference}", "förbundsordningen"),
            )
        )
    return rows


# --- the projection ---------------------------------------------------------------------------


class DelegationViews(Protocol):
    """What :class:`DelegationProjection` writes (both views implement it)."""

    def write_delegation(self, row: DelegationRegisterRow) -> None:
        """Insert or replace the förbund's delegation register row."""

    def write_per_capsulam(self, row: PerCapsulamBookRow) -> None:
        """Insert or replace the förbund's per capsulam row."""


class DelegationProjection:
    """Rows of the delegation views for the registers and books a batch touched."""

    def __init__(self, source: EventSource, aggregates: BatchAggregates | None = None) -> None:
        self.source = source
        self.aggregates = aggregates or BatchAggregates(source)

    def apply(self, views: DelegationViews, notifications: Sequence[Notification]) -> Touched:
        """Write the rows of the registers and books the batch touched; return those aggregates."""
        followed = [n for n in notifications if event_of(n.topic, DelegationRegister, PerCapsulamBook)]
        touched = self.aggregates.rebuild(followed)
        for aggregate, position in touched.values():
            if isinstance(aggregate, DelegationRegister):
                views.write_delegation(register_row(aggregate, position))
            elif isinstance(aggregate, PerCapsulamBook):
                views.write_per_capsulam(book_row(aggregate, position))
        return touched
