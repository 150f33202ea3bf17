"""The rows of the verksamhetsplan view: the plan that governs a year, with the year's follow-up.

Computed by :func:`finsam_core.projections.activity_plans.plan_year`; kept apart so the views'
interface can name them without importing the projection.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.domain.activity_plan import Assessment, Measure
from finsam_core.rules.plans import Direction

__all__ = ["GoalYear", "IndicatorYear", "PlanYear", "PlanYearRow"]


class IndicatorYear(msgspec.Struct, frozen=True):
    key: str
    text: str
    measure: Measure
    unit: str
    target: Decimal
    direction: Direction
    followed_up_by: str
    measured: Decimal | None
    met: bool | None
    """Whether the measured value reached the target (``None``: nothing measured)."""
    assessment: Assessment | None
    comment: str


class GoalYear(msgspec.Struct, frozen=True):
    key: str
    title: str
    description: str
    subgoals: tuple[str, ...]
    interventions: tuple[str, ...]
    indicators: tuple[IndicatorYear, ...]
    assessment: Assessment | None
    comment: str


class PlanYear(msgspec.Struct, frozen=True):
    """The plan that governs ``year`` for the förbund, with the year's follow-up if there is one."""

    org_nr: str
    year: int
    reference: str
    title: str
    first_year: int
    last_year: int
    governs_until: int
    """The last year the plan governs (before ``last_year`` when a later plan replaced it)."""
    decided_on: date
    decision: str
    replaces: str | None
    followed_up_on: date | None
    follow_up_decision: str | None
    corrections: int
    goals: tuple[GoalYear, ...]


class PlanYearRow(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    plan: PlanYear
    decided_in: tuple[str, ...]
    position: int
