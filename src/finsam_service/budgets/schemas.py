"""Request and response bodies for allocations, budgets, outcome, forecasts, equity and the year's close.

Amounts are kronor as JSON numbers or strings (``4407000``, ``"1045125.50"``); they are exact (Decimal).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec

from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind
from finsam_core.domain.charter import DecisionRef
from finsam_service.inputs import Amount, Body, Items, Line, Number, Text

__all__ = [
    "AllocationCreate",
    "AllocationWritten",
    "BudgetCreate",
    "BudgetLineIn",
    "BudgetRevisionCreate",
    "BudgetWritten",
    "DecisionRefIn",
    "ForecastCreate",
    "IncomeLineIn",
    "OpeningEquityCreate",
    "OutcomeCreate",
    "RevisionWritten",
    "YearClose",
    "YearClosed",
]


class DecisionRefIn(Body, frozen=True, forbid_unknown_fields=True):
    """The decision behind a change: a paragraph of the förbund's minutes (``meeting`` and
    ``paragraph``), or another body's decision by its reference."""

    body: Text
    reference: Line
    decided_on: date
    meeting: Line | None = None
    paragraph: Number | None = None

    def to_domain(self) -> DecisionRef:
        return DecisionRef(self.body, self.reference, self.decided_on, self.meeting, self.paragraph)


class AllocationCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The year's allocation per member key; checked against the statutory 50/25/25 split."""

    contributions: Annotated[dict[Line, Amount], Items]
    total: Amount | None = None
    kommun_key: Annotated[dict[Line, Amount], Items] | None = None
    deviation_reason: Text | None = None
    recorded_on: date | None = None
    authorised_by: DecisionRefIn | None = None


class AllocationWritten(msgspec.Struct, frozen=True):
    total: Decimal
    position: int


class BudgetLineIn(Body, frozen=True, forbid_unknown_fields=True):
    key: Line
    name: Line
    amount: Amount
    kind: LineKind = LineKind.OTHER

    def to_domain(self) -> BudgetLine:
        return BudgetLine(self.key, self.name, self.amount, self.kind)


class IncomeLineIn(Body, frozen=True, forbid_unknown_fields=True):
    name: Line
    amount: Amount

    def to_domain(self) -> IncomeLine:
        return IncomeLine(self.name, self.amount)


class BudgetCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A budget adopted by the board decision ``authorised_by`` (a paragraph of the förbund's minutes)."""

    lines: Annotated[list[BudgetLineIn], Items]
    income: Annotated[list[IncomeLineIn], Items]
    authorised_by: DecisionRefIn
    total: Amount | None = None
    planned_result: Amount | None = None
    surplus_used: Amount = Decimal(0)


class BudgetRevisionCreate(BudgetCreate, frozen=True, forbid_unknown_fields=True):
    """The whole budget as revised by a later decision."""


class BudgetWritten(msgspec.Struct, frozen=True):
    warnings: list[str]
    position: int


class RevisionWritten(msgspec.Struct, frozen=True):
    revision: int
    position: int


class OutcomeCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The month's outcome per budget line key."""

    month: date
    amounts: Annotated[dict[Line, Amount], Items]


class ForecastCreate(Body, frozen=True, forbid_unknown_fields=True):
    """Whole-year deviation per line key (negative: the line will cost more than budgeted)."""

    made_on: date
    deviations: Annotated[dict[Line, Amount], Items]


class OpeningEquityCreate(Body, frozen=True, forbid_unknown_fields=True):
    amount: Amount


class YearClose(Body, frozen=True, forbid_unknown_fields=True):
    result: Amount
    closed_on: date


class YearClosed(msgspec.Struct, frozen=True):
    equity_carried_forward: Decimal | None
    position: int
