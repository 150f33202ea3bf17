"""Request and response bodies for decisions' amounts, spending and members' payments.

Amounts are kronor as JSON numbers or strings (``50000``, ``"323250.50"``); they are exact (Decimal).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec

from finsam_core.domain.decision_spending import Spend
from finsam_core.rules.payments import PaymentPlan
from finsam_core.rules.spending import AmountPeriod
from finsam_service.inputs import Amount, Body, Line, Text

__all__ = [
    "DecisionAmountCreate",
    "DecisionSpendingStatus",
    "Instalment",
    "MemberPaymentCreate",
    "MemberPaymentWritten",
    "PaymentPlanCreate",
    "PaymentPlanWritten",
    "SpendingCreate",
    "SpendingWritten",
]


class DecisionAmountCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The amount the paragraph's latest decision carries: the most it lets the förbund spend in
    ``period`` (``ar``: each calendar year, ``engang``: once, in all)."""

    amount: Amount
    period: AmountPeriod = AmountPeriod.YEAR


class SpendingCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A spend under the decision, on ``spent_on``."""

    amount: Amount
    spent_on: date
    note: Text = ""


class SpendingWritten(msgspec.Struct, frozen=True):
    left: Decimal
    """What the decision's amount leaves in the spend's period after it."""
    position: int


class PaymentPlanCreate(Body, frozen=True, forbid_unknown_fields=True):
    """How a member pays its contribution: ``forskott``, ``tva_tillfallen`` or ``kvartalsvis``; the due
    days (one per instalment) or none for the plan's own."""

    member: Line
    plan: PaymentPlan
    due_dates: Annotated[list[date], msgspec.Meta(max_length=4)] | None = None


class Instalment(msgspec.Struct, frozen=True):
    due_on: date
    amount: Decimal


class PaymentPlanWritten(msgspec.Struct, frozen=True):
    instalments: tuple[Instalment, ...]
    position: int


class MemberPaymentCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A member's payment towards its contribution, on ``paid_on``."""

    member: Line
    amount: Amount
    paid_on: date
    note: Text = ""


class MemberPaymentWritten(msgspec.Struct, frozen=True):
    owed: Decimal
    """What the member still owes for the year after this payment."""
    position: int


class DecisionSpendingStatus(msgspec.Struct, frozen=True):
    """A decision's amount, what is spent under it in the period ``as_of`` falls in, and what is left."""

    meeting: str
    paragraph: int
    amount: Decimal
    period: AmountPeriod
    as_of: date
    spent: Decimal
    left: Decimal
    spending: tuple[Spend, ...]
