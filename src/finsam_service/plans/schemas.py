"""Request and response bodies for verksamhetsplaner and their follow-up.

Targets and measured values are exact numbers (JSON numbers or strings, like amounts): ``40`` for 40 %.
The responses are the core's own read shapes (:class:`~finsam_core.projections.plan_rows.PlanYear`,
:class:`~finsam_core.projections.activity_plans.NetworkPlans`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.domain.activity_plan import Assessment, Goal, GoalResult, Indicator, IndicatorResult, Measure
from finsam_core.rules.plans import Direction
from finsam_service.budgets.schemas import DecisionRefIn
from finsam_service.inputs import Amount, Body, Items, Line, Text
from finsam_service.years import FIRST_YEAR, LAST_YEAR

__all__ = [
    "FollowUpCreate",
    "FollowUpWritten",
    "GoalIn",
    "GoalResultIn",
    "IndicatorIn",
    "IndicatorResultIn",
    "PlanCreate",
    "PlanWritten",
]

Year = Annotated[int, msgspec.Meta(ge=FIRST_YEAR, le=LAST_YEAR)]


class IndicatorIn(Body, frozen=True, forbid_unknown_fields=True):
    key: Line
    text: Text
    target: Amount
    unit: Line
    """``%`` for a share (0–100)."""
    measure: Measure = Measure.LOCAL
    """What the network compares: indicators of the same measure and unit (``lokalt``: never compared)."""
    direction: Direction = Direction.AT_LEAST
    followed_up_by: Line = ""

    def to_domain(self) -> Indicator:
        return Indicator(
            self.key, self.text, self.target, self.unit.strip(), self.measure, self.direction, self.followed_up_by
        )


class GoalIn(Body, frozen=True, forbid_unknown_fields=True):
    key: Line
    title: Text
    description: Text = ""
    subgoals: Annotated[list[Text], Items] = msgspec.field(default_factory=list)
    indicators: Annotated[list[IndicatorIn], Items] = msgspec.field(default_factory=list)
    interventions: Annotated[list[Line], Items] = msgspec.field(default_factory=list)
    """Names of the förbund's registered interventions that serve the goal."""

    def to_domain(self) -> Goal:
        return Goal(
            self.key,
            self.title,
            self.description,
            tuple(self.subgoals),
            tuple(i.to_domain() for i in self.indicators),
            tuple(self.interventions),
        )


class PlanCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A verksamhetsplan adopted by the board decision ``authorised_by`` (a paragraph of its minutes)."""

    reference: Line
    title: Text
    first_year: Year
    last_year: Year
    goals: Annotated[list[GoalIn], Items]
    authorised_by: DecisionRefIn
    replaces: Line | None = None
    """The reference of the plan this one replaces from its first year."""


class PlanWritten(msgspec.Struct, frozen=True):
    warnings: list[str]
    position: int


class IndicatorResultIn(Body, frozen=True, forbid_unknown_fields=True):
    key: Line
    measured: Amount | None = None
    assessment: Assessment | None = None
    comment: Text = ""

    def to_domain(self) -> IndicatorResult:
        return IndicatorResult(self.key, self.measured, self.assessment, self.comment)


class GoalResultIn(Body, frozen=True, forbid_unknown_fields=True):
    key: Line
    assessment: Assessment
    comment: Text = ""

    def to_domain(self) -> GoalResult:
        return GoalResult(self.key, self.assessment, self.comment)


class FollowUpCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The year's measured values and the board's assessments, for the plan that governs the year."""

    indicators: Annotated[list[IndicatorResultIn], Items] = msgspec.field(default_factory=list)
    goals: Annotated[list[GoalResultIn], Items] = msgspec.field(default_factory=list)
    recorded_on: date | None = None
    decision: DecisionRefIn | None = None


class FollowUpWritten(msgspec.Struct, frozen=True):
    plan: str
    position: int
