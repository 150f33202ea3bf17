"""How the pages write numbers and dates: the Swedish way (``9 051 kr``, ``89,0 %``, ``2024-01-26``).

Formatting only; every figure shown was computed by the domain and stored in a view.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from finsam_core.rules.money import format_kronor
from finsam_core.values import MemberKind

__all__ = ["FILTERS", "MONTHS", "kronor", "member_kind", "month_name", "number", "percent", "timestamp"]

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def kronor(amount: Decimal | int | None) -> str:
    """``2 586 000 kr``; a missing amount is a dash."""
    return "–" if amount is None else format_kronor(Decimal(amount))


def number(value: Decimal | int | str | None) -> str:
    """A count or an amount without unit, thousands apart by a space: ``1 313 302``; a suppressed count
    (``"<5"``, ``".."``) as it is."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{Decimal(value):,f}".translate(str.maketrans(",.", " ,"))


def percent(share: Decimal | None, places: int = 1) -> str:
    """A share as a percentage with a decimal comma: ``0.8899…`` is ``89,0 %``."""
    if share is None:
        return "–"
    return f"{share * 100:.{places}f} %".replace(".", ",")


def per_mille(value: Decimal | None) -> str:
    return "–" if value is None else f"{value.normalize():f} ‰".replace(".", ",")


def month_name(month: int | None) -> str:
    """The name of month 1–12 (the month a budget status reaches)."""
    return "–" if not month else MONTHS[month - 1]


def timestamp(value: datetime | str | None) -> str:
    """A time to the minute in UTC: ``2024-06-10 15:00 UTC``."""
    if value is None:
        return "–"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.utcoffset() is not None else "")


def member_kind(kind: str) -> str:
    """A member's kind as the core names it in Swedish (``Försäkringskassan``, ``kommun``)."""
    return MemberKind(kind).label


def day(value: date | None) -> str:
    return "–" if value is None else value.isoformat()


FILTERS: dict[str, Any] = {
    "kr": kronor,
    "num": number,
    "pct": percent,
    "promille": per_mille,
    "month": month_name,
    "ts": timestamp,
    "day": day,
    "kind": member_kind,
}
"""The filters the templates use, by name."""
