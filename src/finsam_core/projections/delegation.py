"""The delegation read side of one förbund: orders in force, decisions taken outside meetings and
whether they have been reported to the board.

Computed from the :class:`~finsam_core.domain.delegation.DelegationRegister`, the
:class:`~finsam_core.domain.per_capsulam.PerCapsulamBook` and the förbund's meetings (the next
meeting after a decision is where an urgent or per capsulam decision must be reported), by the rules
of :mod:`finsam_core.rules.delegation`. The library's reads and the service's routes give these shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.domain.delegation import DelegationItem, DelegationOrder, DelegationRegister
from finsam_core.domain.per_capsulam import PerCapsulamBook
from finsam_core.rules.delegation import ReportState, report_state

__all__ = [
    "AnswerRow",
    "DelegatedDecisionRow",
    "DelegationItemRow",
    "DelegationOrderRow",
    "PerCapsulamRow",
    "decision_rows",
    "order_row",
    "per_capsulam_rows",
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
    """For an urgent decision, the next meeting where it must be reported (6 kap. 39 §)."""
    flag: str | None
    """A Swedish sentence when a rule on reporting is broken."""


class AnswerRow(msgspec.Struct, frozen=True):
    name: str
    ballot: str
    answered_on: date


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


def _order_row(order: DelegationOrder, valid_to: date | None) -> DelegationOrderRow:
    ref = order.adopted_by
    return DelegationOrderRow(
        valid_from=order.valid_from,
        valid_to=valid_to,
        adopted_in=ref.meeting or ref.reference,
        adopted_paragraph=ref.paragraph or 0,
        adopted_on=ref.decided_on,
        items=[_item_row(i) for i in order.items],
    )


def _item_row(item: DelegationItem) -> DelegationItemRow:
    return DelegationItemRow(item.code, item.matter, item.delegate, item.limit, item.urgent)


def order_row(register: DelegationRegister | None, day: date) -> DelegationOrderRow | None:
    """The order in force on ``day``, or ``None``."""
    if register is None:
        return None
    orders = register.orders
    for index, order in enumerate(orders):
        following = orders[index + 1] if index + 1 < len(orders) else None
        if order.valid_from <= day and (following is None or day < following.valid_from):
            valid_to = None if following is None else date.fromordinal(following.valid_from.toordinal() - 1)
            return _order_row(order, valid_to)
    return None


def _flag(state: ReportState, due: tuple[str, date] | None, what: str, rule: str) -> str | None:
    if due is None or state not in (ReportState.OVERDUE, ReportState.REPORTED_LATE):
        return None
    return f"{what} ska anmälas vid nästa sammanträde, {due[0]} ({due[1].isoformat()}), men anmäldes inte där ({rule})."


def decision_rows(register: DelegationRegister | None, meetings: Sequence[tuple[str, date]]) -> list[DelegatedDecisionRow]:
    """Every delegated decision in the order recorded, with its report state."""
    if register is None:
        return []
    rows = []
    for d in register.decisions:
        report = register.reports.get(d.number)
        state, due = report_state(
            d.decided_on, report.meeting if report else None, meetings, at_next_meeting=d.urgent
        )
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
                reported_in=report.meeting if report else None,
                reported_paragraph=report.paragraph if report else None,
                due_at=due[0] if due else None,
                flag=_flag(state, due, f"Ordförandebeslutet nr {d.number}", "6 kap. 39 § kommunallagen"),
            )
        )
    return rows


def per_capsulam_rows(book: PerCapsulamBook | None, meetings: Sequence[tuple[str, date]]) -> list[PerCapsulamRow]:
    """Every per capsulam proposal by the date it was sent, with its outcome and report state."""
    if book is None:
        return []
    rows = []
    for p in sorted(book.proposals.values(), key=lambda p: (p.sent_on, p.reference)):
        state: ReportState | None = None
        due: tuple[str, date] | None = None
        if p.closed_on is not None:
            state, due = report_state(
                p.closed_on, p.report.meeting if p.report else None, meetings, at_next_meeting=True
            )
        rows.append(
            PerCapsulamRow(
                reference=p.reference,
                proposal=p.proposal,
                sent_on=p.sent_on,
                answers=[AnswerRow(a.name, a.ballot.value, a.answered_on) for a in p.answers],
                closed_on=p.closed_on,
                outcome=p.outcome.value if p.outcome else None,
                explanation=p.explanation,
                state=state,
                reported_in=p.report.meeting if p.report else None,
                reported_paragraph=p.report.paragraph if p.report else None,
                due_at=due[0] if due else None,
                flag=None
                if state is None
                else _flag(state, due, f"Beslutet per capsulam {p.reference}", "förbundsordningen"),
            )
        )
    return rows
