"""The arithmetic of a verksamhetsplan (lag 2003:1210, 7 §): years in force, targets and fulfilment.

Pure functions: no state, nothing from ``domain/``. The board's own assessment ("Mycket väl
uppfyllt", ...) is a judgement the board records; what is computed here is only whether a measured
value reaches its target, which the reads show beside the board's words.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Final

from finsam_core.errors import InvalidInput

__all__ = [
    "MAX_PLAN_YEARS",
    "PERCENT",
    "Direction",
    "check_measured",
    "check_plan_years",
    "check_target",
    "in_force_years",
    "target_met",
]

PERCENT: Final = "%"
"""The unit of a share; a value in it lies between 0 and 100."""

MAX_PLAN_YEARS: Final = 10
"""A plan covers at most this many years (a sanity bound, not a rule of the law)."""


class Direction(StrEnum):
    """Whether a target is reached by a value at least it (a share to work) or at most it (a waiting time)."""

    AT_LEAST = "minst"
    AT_MOST = "hogst"


def check_plan_years(first_year: int, last_year: int) -> None:
    """A plan covers one or more whole years in order, at most :data:`MAX_PLAN_YEARS`."""
    if last_year < first_year:
        raise InvalidInput(f"Verksamhetsplanen kan inte sluta {last_year}, före sitt första år {first_year}.")
    if last_year - first_year + 1 > MAX_PLAN_YEARS:
        raise InvalidInput(
            f"Verksamhetsplanen {first_year}–{last_year} täcker mer än {MAX_PLAN_YEARS} år; kontrollera åren."
        )


def _check_value(value: Decimal, unit: str, what: str) -> None:
    if not value.is_finite():
        raise InvalidInput(f"{what} är inget tal.")
    if unit == PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise InvalidInput(f"{what} är {value} %; en andel ligger mellan 0 och 100 %.")


def check_target(indicator: str, target: Decimal, unit: str) -> None:
    """A target has a unit, and a share lies between 0 and 100 %."""
    if not unit.strip():
        raise InvalidInput(
            f"Målvärdet {target} för indikatorn {indicator!r} saknar enhet; ange till exempel % eller antal."
        )
    _check_value(target, unit.strip(), f"Målvärdet för indikatorn {indicator!r}")


def check_measured(indicator: str, measured: Decimal, unit: str) -> None:
    """A measured value is in the indicator's unit: a share lies between 0 and 100 %."""
    _check_value(measured, unit.strip(), f"Det uppmätta värdet för indikatorn {indicator!r}")


def target_met(target: Decimal, direction: Direction, measured: Decimal | None) -> bool | None:
    """Whether ``measured`` reaches ``target`` (``None``: nothing was measured)."""
    if measured is None:
        return None
    return measured >= target if direction is Direction.AT_LEAST else measured <= target


def in_force_years(first_year: int, last_year: int, replaced_from: int | None) -> range:
    """The years a plan governs: its own, up to the year before a replacing plan takes over."""
    end = last_year if replaced_from is None else min(last_year, replaced_from - 1)
    return range(first_year, end + 1)
