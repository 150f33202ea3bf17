"""The money a board decision carries, and the spending recorded against it.

A decision may set an amount: a ceiling ("en gräns på 50 000 kronor per år", Örnsköldsvik 2024 § 43)
or a grant ("Förbundet medfinansierar med 6 000 kr", Kramfors 2024 § 6). Either way it is the most
the förbund may spend under the decision in its period: each calendar year for a yearly amount, in
all for a one-off amount. Spending is recorded with its date; a spend that would take the period's
total past the amount is refused. All amounts are exact ``Decimal`` kronor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum

from finsam_core.errors import InvalidInput, MoneyRuleViolation
from finsam_core.rules.money import format_kronor

__all__ = [
    "AmountPeriod",
    "check_decision_amount",
    "check_spending",
    "left_in_period",
    "period_of",
    "spent_in_period",
]


class AmountPeriod(StrEnum):
    """What a decision's amount covers."""

    YEAR = "ar"
    """Each calendar year: "50 000 kronor per år"."""
    ONCE = "engang"
    """Once, in all: "medfinansierar med 6 000 kr"."""

    @property
    def label(self) -> str:
        return "per år" if self is AmountPeriod.YEAR else "totalt"


def check_decision_amount(amount: Decimal) -> Decimal:
    """A decision's amount is a positive number of kronor."""
    if amount <= 0:
        raise InvalidInput(f"Beloppet i beslutet måste vara större än noll, inte {format_kronor(amount)}.")
    return amount


def period_of(period: AmountPeriod, day: date) -> int | None:
    """The period a spend on ``day`` counts against: its year for a yearly amount, ``None`` for a one-off."""
    return day.year if period is AmountPeriod.YEAR else None


def spent_in_period(period: AmountPeriod, spending: Iterable[tuple[date, Decimal]], day: date) -> Decimal:
    """What has been spent in the period ``day`` falls in."""
    key = period_of(period, day)
    return sum((amount for spent_on, amount in spending if period_of(period, spent_on) == key), Decimal(0))


def left_in_period(
    cap: Decimal, period: AmountPeriod, spending: Iterable[tuple[date, Decimal]], day: date
) -> tuple[Decimal, Decimal]:
    """(spent, left) in the period ``day`` falls in, under a decision's amount ``cap``."""
    spent = spent_in_period(period, spending, day)
    return spent, cap - spent


def check_spending(
    *,
    cap: Decimal,
    period: AmountPeriod,
    spending: Iterable[tuple[date, Decimal]],
    amount: Decimal,
    spent_on: date,
    decided_on: date,
    reference: str,
) -> Decimal:
    """Refuse a spend the decision ``reference`` does not cover; returns what is left in the period after it."""
    if amount <= 0:
        raise InvalidInput(f"Ett utlägg måste vara större än noll, inte {format_kronor(amount)}.")
    if spent_on < decided_on:
        raise MoneyRuleViolation(
            f"Utlägget {spent_on.isoformat()} är gjort före beslutet {reference} ({decided_on.isoformat()}) "
            "och kan inte belasta det."
        )
    already = spent_in_period(period, spending, spent_on)
    left = cap - already - amount
    if left < 0:
        where = f"under {spent_on.year}" if period is AmountPeriod.YEAR else "totalt"
        raise MoneyRuleViolation(
            f"Beslutet {reference} medger högst {format_kronor(cap)} {period.label}. "
            f"{format_kronor(already)} är redan använt {where}; ytterligare {format_kronor(amount)} "
            f"skulle överskrida ramen med {format_kronor(-left)}."
        )
    return left
