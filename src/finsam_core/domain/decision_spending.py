"""The spending recorded against a board decision that carries an amount.

One aggregate per decision, keyed by the meeting and the paragraph (and the decision's place in
it), so the meeting's own events stay as they were. The amount and its period are the meeting's
(``Meeting.AmountAttached``); the application hands them in, and the rule
(:func:`finsam_core.rules.spending.check_spending`) refuses a spend that would pass them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.rules.spending import AmountPeriod, check_spending
from finsam_core.values import Value, require_exact

__all__ = ["DecisionSpending", "Spend", "decision_spending_id"]


def decision_spending_id(meeting_id: UUID, paragraph: int, decision: int) -> UUID:
    """The identity of the spending against decision ``decision`` (0: the first) of § ``paragraph``."""
    return uuid5(meeting_id, f"spending:{paragraph}:{decision}")


class Spend(Value, frozen=True):
    """One spend against the decision: its day, its amount in kronor and what it was for."""

    spent_on: date
    amount: Decimal
    note: str = ""

    def __post_init__(self) -> None:
        require_exact(self.amount, "Utlägget")


class DecisionSpending(Aggregate):
    """What the förbund has spent under one decision."""

    @staticmethod
    def create_id(meeting_id: UUID, paragraph: int, decision: int) -> UUID:
        return decision_spending_id(meeting_id, paragraph, decision)

    @event("Opened")
    def __init__(self, meeting_id: UUID, org_nr: str, meeting: str, paragraph: int, decision: int) -> None:
        self.meeting_id = meeting_id
        self.org_nr = org_nr
        self.meeting = meeting
        self.paragraph = paragraph
        self.decision = decision
        self.spending: list[Spend] = []

    @property
    def reference(self) -> str:
        return f"{self.meeting} § {self.paragraph}"

    def record(self, spend: Spend, *, cap: Decimal, period: AmountPeriod, decided_on: date) -> Decimal:
        """Record ``spend`` if the decision's amount covers it; returns what is left in its period."""
        left = check_spending(
            cap=cap,
            period=period,
            spending=self.entries(),
            amount=spend.amount,
            spent_on=spend.spent_on,
            decided_on=decided_on,
            reference=self.reference,
        )
        self._spent(spend=spend)
        return left

    @event("Spent")
    def _spent(self, spend: Spend) -> None:
        self.spending.append(spend)

    def entries(self) -> list[tuple[date, Decimal]]:
        """(day, kronor) of every spend, in the order recorded."""
        return [(s.spent_on, s.amount) for s in self.spending]
