"""Request and response bodies for allocations, budgets, outcome, forecasts, equity and the year's close.

Amounts are kronor as JSON numbers or strings (``4407000``, ``"1045125.50"``); they are exact (Decimal).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind
from finsam_core.domain.charter import DecisionRef

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


class DecisionRefIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The decision behind a change: a paragraph of the förbund's minutes (``meeting`` and
    ``paragraph``), or another body's decision by its reference."""

    body: str
    reference: str
    decided_on: date
    meeting: str | None = None
    paragraph: int | None = None

    def to_domain(self) -> DecisionRef:
        return DecisionRef(self.body, self.reference, self.decided_on, self.meeting, self.paragraph)


class AllocationCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The year's allocation per member key; checked against the statutory 50/25/25 split."""

    contributions: dict[str, Decimal]
    total: Decimal | None = None
    kommun_key: dict[str, Decimal] | None = None
    deviation_reason: str | None = None
    recorded_on: date | None = None
    authorised_by: DecisionRefIn | None = None


class AllocationWritten(msgspec.Struct, frozen=True):
    total: Decimal
    position: int


class BudgetLineIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    key: str
    name: str
    amount: Decimal
    kind: LineKind = LineKind.OTHER

    def to_domain(self) -> BudgetLine:
        return BudgetLine(self.key, self.name, self.amount, self.kind)


class IncomeLineIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str
    amount: Decimal

    def to_domain(self) -> IncomeLine:
        return IncomeLine(self.name, self.amount)


class BudgetCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A budget adopted by the board decision ``authorised_by`` (a paragraph of the förbund's minutes)."""

    lines: list[BudgetLineIn]
    income: list[IncomeLineIn]
    authorised_by: DecisionRefIn
    total: Decimal | None = None
    planned_result: Decimal | None = None
    surplus_used: Decimal = Decimal(0)


class BudgetRevisionCreate(BudgetCreate, frozen=True, forbid_unknown_fields=True):
    """The whole budget as revised by a later decision."""


class BudgetWritten(msgspec.Struct, frozen=True):
    warnings: list[str]
    position: int


class RevisionWritten(msgspec.Struct, frozen=True):
    revision: int
    position: int


class OutcomeCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The month's outcome per budget line key."""

    month: date
    amounts: dict[str, Decimal]


class ForecastCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Whole-year deviation per line key (negative: the line will cost more than budgeted)."""

    made_on: date
    deviations: dict[str, Decimal]


class OpeningEquityCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    amount: Decimal


class YearClose(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    result: Decimal
    closed_on: date


class YearClosed(msgspec.Struct, frozen=True):
    equity_carried_forward: Decimal | None
    position: int
