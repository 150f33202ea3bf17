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

What derives from minutes that are not yet adjusted is a draft (:mod:`finsam_core.projections.drafts`):
an order carries ``decided_in`` (the meeting ids of the decision that adopted it) and a report names
its meeting. The reads take who may see drafts: :func:`orders_shown` leaves an order adopted in draft
minutes out for the others (the previous order then stays in force), and :func:`decision_rows` and
:func:`per_capsulam_rows` count a report in draft minutes as no report for them. Those who may read
drafts see them marked ``draft``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, TypeVar
from uuid import UUID

import msgspec
from eventsourcing.persistence import Notification

from finsam_core.domain.delegation import DelegationItem, DelegationOrder, DelegationRegister
from finsam_core.domain.per_capsulam import PerCapsulamBook
from finsam_core.projections.batch import BatchAggregates, EventSource, Touched
from finsam_core.projections.drafts import decided_in
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
    "orders_shown",
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
    decided_in: list[str] = []
    """The ids of the förbund's meetings whose decision adopted the order (:mod:`~finsam_core.projections.drafts`)."""
    draft: bool = False
    """Set by the reads: the minutes that adopted the order are not yet adjusted."""


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
    draft: bool = False
    """The report is in minutes not yet adjusted (shown only to those who may read drafts)."""


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
    draft: bool = False
    """The report is in minutes not yet adjusted (shown only to those who may read drafts)."""


# --- from the aggregates to the facts ---------------------------------------------------------


def _item_row(item: DelegationItem) -> DelegationItemRow:
    return DelegationItemRow(item.code, item.matter, item.delegate, item.limit, item.urgent)


def _order_row(forbund_id: UUID, order: DelegationOrder, following: DelegationOrder | None) -> DelegationOrderRow:
    ref = order.authorised_by
    return DelegationOrderRow(
        valid_from=order.valid_from,
        valid_to=None if following is None else following.valid_from - timedelta(days=1),
        adopted_in=ref.meeting or ref.reference,
        adopted_paragraph=ref.paragraph or 0,
        adopted_on=ref.decided_on,
        items=[_item_row(i) for i in order.items],
        decided_in=decided_in(forbund_id, [ref]),
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
        orders=[
            _order_row(register.forbund_id, o, orders[i + 1] if i + 1 < len(orders) else None)
            for i, o in enumerate(orders)
        ],
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


def _following(orders: Sequence[DelegationOrderRow]) -> list[DelegationOrderRow]:
    """The orders with each one's ``valid_to`` the day before the next took over."""
    return [
        msgspec.structs.replace(
            o, valid_to=orders[i + 1].valid_from - timedelta(days=1) if i + 1 < len(orders) else None
        )
        for i, o in enumerate(orders)
    ]


def orders_shown(
    orders: Sequence[DelegationOrderRow], final: Collection[str], *, drafts: bool
) -> list[DelegationOrderRow]:
    """The orders a reader sees, oldest first.

    ``final`` holds the ids of the förbund's meetings whose minutes are adjusted. An order adopted in
    other minutes is a draft: marked ``draft`` when ``drafts`` (the reader may read the förbund's
    drafts), else left out, and the order before it is then the one in force (its ``valid_to`` follows).
    """
    marked = [msgspec.structs.replace(o, draft=not all(m in final for m in o.decided_in)) for o in orders]
    return _following([o for o in marked if drafts or not o.draft])


def _reports_shown(
    meetings: Sequence[tuple[str, date]], draft_meetings: Collection[str], drafts: bool
) -> Sequence[tuple[str, date]]:
    """The meetings a report may count in: without ``drafts``, not those whose minutes are drafts."""
    return meetings if drafts else [m for m in meetings if m[0] not in draft_meetings]


def _flag(state: ReportState, due: tuple[str, date] | None, what: str, rule: str) -> str | None:
    if due is None or state not in (ReportState.OVERDUE, ReportState.REPORTED_LATE):
        return None
    return f"{what} ska anmälas vid nästa sammanträde, {due[0]} ({due[1].isoformat()}), men anmäldes inte där ({rule})."


_Reported = TypeVar("_Reported", "DecisionFact", "PerCapsulamFact")


def _report_shown(fact: _Reported, draft_meetings: Collection[str], drafts: bool) -> tuple[_Reported, bool]:
    """``fact`` as a reader sees it, and whether its report is a draft: a report in minutes not yet
    adjusted is marked for a reader of drafts, and for anyone else not made at all."""
    draft = fact.reported_in is not None and fact.reported_in in draft_meetings
    if draft and not drafts:
        return msgspec.structs.replace(fact, reported_in=None, reported_paragraph=None), False
    return fact, draft


def decision_rows(
    facts: Sequence[DecisionFact],
    meetings: Sequence[tuple[str, date]],
    draft_meetings: Collection[str] = (),
    *,
    drafts: bool = True,
) -> list[DelegatedDecisionRow]:
    """Every delegated decision in the order recorded, with its report state among ``meetings``.

    ``draft_meetings`` are the references of the meetings whose minutes are not yet adjusted: a report
    there is marked ``draft`` when ``drafts`` (the reader may read the förbund's drafts), else it does
    not count (nor do those meetings).
    """
    meetings = _reports_shown(meetings, draft_meetings, drafts)
    rows = []
    for d in facts:
        d, draft = _report_shown(d, draft_meetings, drafts)
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
                draft=draft,
            )
        )
    return rows


def per_capsulam_rows(
    facts: Sequence[PerCapsulamFact],
    meetings: Sequence[tuple[str, date]],
    draft_meetings: Collection[str] = (),
    *,
    drafts: bool = True,
) -> list[PerCapsulamRow]:
    """Every per capsulam proposal with its outcome and, once closed, its report state among ``meetings``
    (a report in ``draft_meetings`` as in :func:`decision_rows`)."""
    meetings = _reports_shown(meetings, draft_meetings, drafts)
    rows = []
    for p in facts:
        p, draft = _report_shown(p, draft_meetings, drafts)
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
                draft=draft,
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
