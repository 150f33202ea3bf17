"""When the members pay their contributions (medlemsbidrag) to the allocation, and what they owe on a day.

Kramfors 2024 (``003_*`` § 2) names the three habits this module knows: "Kramfors kommun har betalt
in sin del av driftsbidraget" (up front), "Region Västernorrland kommer att betala ut deras
driftsbidrag vid två tillfällen under året, januari/februari och juni" (two instalments) and
"Försäkringskassan betalar ut deras driftsbidrag kvartalsvis" (quarterly). A plan splits a member's
contribution into equal instalments (the öre left over on the last) due on the plan's days unless
the förbund states its own. All amounts are exact ``Decimal`` kronor.

Over-payment is **refused**, not flagged: a member's payments for a year may not pass its
contribution to that year's allocation; money paid beyond it is not a contribution and is
recorded elsewhere (or the allocation is revised first).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from finsam_core.errors import InvalidInput, MoneyRuleViolation
from finsam_core.rules.money import format_kronor

__all__ = [
    "EARLIEST_PAYMENT_YEARS_BEFORE",
    "PaymentPlan",
    "check_payment",
    "default_due_dates",
    "instalments",
]

_ORE = Decimal("0.01")

EARLIEST_PAYMENT_YEARS_BEFORE = 1
"""A contribution may be paid in advance from 1 January of the year before the allocation's year."""


class PaymentPlan(StrEnum):
    """How a member pays its contribution over the year."""

    UP_FRONT = "forskott"
    """The whole contribution at the start of the year (Kramfors kommun)."""
    TWO_INSTALMENTS = "tva_tillfallen"
    """Half in January/February, half in June (Region Västernorrland)."""
    QUARTERLY = "kvartalsvis"
    """A quarter each quarter (Försäkringskassan)."""

    @property
    def instalment_count(self) -> int:
        return {PaymentPlan.UP_FRONT: 1, PaymentPlan.TWO_INSTALMENTS: 2, PaymentPlan.QUARTERLY: 4}[self]

    @property
    def label(self) -> str:
        return {
            PaymentPlan.UP_FRONT: "i förskott",
            PaymentPlan.TWO_INSTALMENTS: "vid två tillfällen",
            PaymentPlan.QUARTERLY: "kvartalsvis",
        }[self]


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def default_due_dates(plan: PaymentPlan, year: int) -> tuple[date, ...]:
    """The days each instalment is due when the förbund states none.

    Up front: 31 January. Two instalments: the end of February ("januari/februari") and 30 June.
    Quarterly: the last day of each quarter.
    """
    if plan is PaymentPlan.UP_FRONT:
        return (date(year, 1, 31),)
    if plan is PaymentPlan.TWO_INSTALMENTS:
        return (_month_end(year, 2), date(year, 6, 30))
    return tuple(_month_end(year, month) for month in (3, 6, 9, 12))


def instalments(
    plan: PaymentPlan, year: int, amount: Decimal, due_dates: Sequence[date] | None = None
) -> tuple[tuple[date, Decimal], ...]:
    """The plan's instalments of ``amount`` for ``year``: (due day, kronor), in date order, summing to ``amount``."""
    if amount < 0:
        raise InvalidInput(f"Ett bidrag kan inte vara negativt ({format_kronor(amount)}).")
    days = tuple(due_dates) if due_dates else default_due_dates(plan, year)
    count = plan.instalment_count
    if len(days) != count:
        days_word = "förfallodagar" if count > 1 else "förfallodag"
        raise InvalidInput(f"Betalning {plan.label} har {count} {days_word}, inte {len(days)}.")
    if list(days) != sorted(set(days)):
        raise InvalidInput("Förfallodagarna ska anges i datumordning, utan upprepningar.")
    for day in days:
        if day.year != year:
            raise InvalidInput(f"Förfallodagen {day.isoformat()} ligger inte i tilldelningens år {year}.")
    part = (amount / count).quantize(_ORE, rounding=ROUND_DOWN)
    parts = [part] * (count - 1) + [amount - part * (count - 1)]
    return tuple(zip(days, parts, strict=True))


def check_payment(
    *,
    member_name: str,
    year: int,
    contribution: Decimal,
    paid_before: Decimal,
    amount: Decimal,
    paid_on: date,
    today: date,
) -> Decimal:
    """Refuse a payment the rules do not allow; returns what the member still owes for the year after it."""
    if amount <= 0:
        raise InvalidInput(f"En inbetalning måste vara större än noll, inte {format_kronor(amount)}.")
    if paid_on > today:
        raise InvalidInput(
            f"Inbetalningen är daterad {paid_on.isoformat()}, efter dagens datum; registrera den när den är gjord."
        )
    earliest = date(year - EARLIEST_PAYMENT_YEARS_BEFORE, 1, 1)
    if paid_on < earliest:
        raise MoneyRuleViolation(
            f"En inbetalning {paid_on.isoformat()} kan inte avse medlemsbidraget för {year}: "
            f"den tidigaste dagen är {earliest.isoformat()}."
        )
    left = contribution - paid_before - amount
    if left < 0:
        raise MoneyRuleViolation(
            f"{member_name} har att betala {format_kronor(contribution)} för {year} och har betalat "
            f"{format_kronor(paid_before)}; ytterligare {format_kronor(amount)} skulle överskrida bidraget "
            f"med {format_kronor(-left)}. Ändra tilldelningen först om bidraget har höjts."
        )
    return left
