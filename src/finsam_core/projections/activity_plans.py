"""The verksamhetsplan per förbund and year, and goal fulfilment summed across the network.

:func:`plan_year` turns a förbund's :class:`~finsam_core.domain.activity_plan.ActivityPlans` into the
year's picture: the plan that governs the year, its goals, indicators and targets, and the year's
measured values with the board's assessment and whether each value reached its target
(:func:`~finsam_core.rules.plans.target_met`). :class:`ActivityPlanProjection` keeps one row per
förbund and governed year. :func:`network_fulfilment` sums the rows of a year across förbund.

**Comparable** indicators (the network view sums only these): the same
:class:`~finsam_core.domain.activity_plan.Measure`, not ``lokalt``, and the same unit. Each förbund is
judged against its own target. A förbund has *reported* a measure when one of its indicators of that
measure has a measured value for the year, and has *met* it when every such measured value reached its
target.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import msgspec
from eventsourcing.persistence import Notification

from finsam_core.domain.activity_plan import ActivityPlans, Assessment, Measure
from finsam_core.projections.batch import BatchAggregates, EventSource, Touched
from finsam_core.projections.drafts import decided_in
from finsam_core.projections.plan_rows import GoalYear, IndicatorYear, PlanYear, PlanYearRow
from finsam_core.rules.plans import Direction, target_met
from finsam_core.topics import event_of

if TYPE_CHECKING:
    from finsam_core.projections.views import Views

__all__ = [
    "ActivityPlanProjection",
    "AssessmentCount",
    "ComparableMeasure",
    "GoalYear",
    "IndicatorYear",
    "MeasureEntry",
    "NetworkPlans",
    "PlanYear",
    "PlanYearRow",
    "network_fulfilment",
    "plan_year",
    "plan_year_rows",
]


def plan_year(plans: ActivityPlans, year: int) -> PlanYear | None:
    """The year's picture (see the module's docstring), or ``None`` if no plan governs ``year``."""
    plan = plans.in_force(year)
    if plan is None:
        return None
    follow_up = plans.follow_up(plan.reference, year)
    measured = {r.key: r for r in follow_up.indicators} if follow_up else {}
    assessed = {r.key: r for r in follow_up.goals} if follow_up else {}
    goals = []
    for goal in plan.goals:
        indicators = []
        for indicator in goal.indicators:
            result = measured.get(indicator.key)
            value = result.measured if result else None
            indicators.append(
                IndicatorYear(
                    key=indicator.key,
                    text=indicator.text,
                    measure=indicator.measure,
                    unit=indicator.unit,
                    target=indicator.target,
                    direction=indicator.direction,
                    followed_up_by=indicator.followed_up_by,
                    measured=value,
                    met=target_met(indicator.target, indicator.direction, value),
                    assessment=result.assessment if result else None,
                    comment=result.comment if result else "",
                )
            )
        goal_result = assessed.get(goal.key)
        goals.append(
            GoalYear(
                key=goal.key,
                title=goal.title,
                description=goal.description,
                subgoals=goal.subgoals,
                interventions=goal.interventions,
                indicators=tuple(indicators),
                assessment=goal_result.assessment if goal_result else None,
                comment=goal_result.comment if goal_result else "",
            )
        )
    return PlanYear(
        org_nr=plans.org_nr,
        year=year,
        reference=plan.reference,
        title=plan.title,
        first_year=plan.first_year,
        last_year=plan.last_year,
        governs_until=plans.years_of(plan.reference)[-1],
        decided_on=plan.decided_on,
        decision=str(plan.authorised_by.reference),
        replaces=plan.replaces,
        followed_up_on=follow_up.recorded_on if follow_up else None,
        follow_up_decision=follow_up.decision.reference if follow_up and follow_up.decision else None,
        corrections=plans.corrections.get((plan.reference, year), 0),
        goals=tuple(goals),
    )


def plan_year_rows(plans: ActivityPlans, position: int) -> list[PlanYearRow]:
    """A row for every year one of the förbund's plans governs."""
    rows = []
    for reference, plan in sorted(plans.plans.items()):
        for year in plans.years_of(reference):
            picture = plan_year(plans, year)
            assert picture is not None
            follow_up = plans.follow_up(reference, year)
            refs = [plan.authorised_by, follow_up.decision if follow_up else None]
            rows.append(PlanYearRow(plans.org_nr, year, picture, tuple(decided_in(plans.forbund_id, refs)), position))
    return sorted(rows, key=lambda r: r.year)


class ActivityPlanProjection:
    """The plan-year rows of the förbunds whose plans a batch touched (applied by the records projection)."""

    def __init__(self, source: EventSource, aggregates: BatchAggregates | None = None) -> None:
        self.aggregates = aggregates or BatchAggregates(source)

    def apply(self, views: Views, notifications: Sequence[Notification]) -> Touched:
        touched = self.aggregates.rebuild([n for n in notifications if event_of(n.topic, ActivityPlans)])
        for aggregate, position in touched.values():
            if isinstance(aggregate, ActivityPlans):
                views.write_plan_years(aggregate.org_nr, plan_year_rows(aggregate, position))
        return touched


# --- the network ---------------------------------------------------------------------------------


class MeasureEntry(msgspec.Struct, frozen=True):
    """One förbund's indicator of a comparable measure, against its own target."""

    org_nr: str
    name: str
    indicator: str
    text: str
    target: Decimal
    direction: Direction
    measured: Decimal | None
    met: bool | None
    assessment: Assessment | None


class AssessmentCount(msgspec.Struct, frozen=True):
    assessment: Assessment
    count: int


class ComparableMeasure(msgspec.Struct, frozen=True):
    """Every förbund's indicators of one measure and unit in the year."""

    measure: Measure
    unit: str
    planned: int
    """How many förbund's plans for the year have an indicator of this measure."""
    reported: int
    """How many of them have a measured value for the year."""
    met: int
    """How many of those reached their own target with every measured value."""
    assessments: tuple[AssessmentCount, ...]
    """The boards' assessments of these indicators, in the scale's order (only those given)."""
    entries: tuple[MeasureEntry, ...]


class NetworkPlans(msgspec.Struct, frozen=True):
    """Goal fulfilment across the network for ``year`` (``GET /v1/network/activity-plans/{year}``)."""

    year: int
    with_plan: int
    """How many förbund have a plan governing the year."""
    followed_up: int
    """How many of them have recorded the year's follow-up."""
    measures: tuple[ComparableMeasure, ...]


def network_fulfilment(year: int, plans: Sequence[tuple[str, PlanYear]]) -> NetworkPlans:
    """Sum ``plans`` (each förbund's name and the year's picture) by comparable measure."""
    groups: dict[tuple[Measure, str], list[MeasureEntry]] = {}
    for name, picture in sorted(plans, key=lambda p: (p[0], p[1].org_nr)):
        for goal in picture.goals:
            for indicator in goal.indicators:
                if indicator.measure is Measure.LOCAL:
                    continue
                groups.setdefault((indicator.measure, indicator.unit), []).append(
                    MeasureEntry(
                        org_nr=picture.org_nr,
                        name=name,
                        indicator=indicator.key,
                        text=indicator.text,
                        target=indicator.target,
                        direction=indicator.direction,
                        measured=indicator.measured,
                        met=indicator.met,
                        assessment=indicator.assessment,
                    )
                )
    measures = []
    for (measure, unit), entries in sorted(groups.items(), key=lambda g: (list(Measure).index(g[0][0]), g[0][1])):
        by_forbund: dict[str, list[MeasureEntry]] = {}
        for entry in entries:
            by_forbund.setdefault(entry.org_nr, []).append(entry)
        reported = [own for own in by_forbund.values() if any(e.measured is not None for e in own)]
        met = [own for own in reported if all(e.met for e in own if e.measured is not None)]
        assessments = tuple(
            AssessmentCount(a, n) for a in Assessment if (n := sum(1 for e in entries if e.assessment is a))
        )
        measures.append(
            ComparableMeasure(measure, unit, len(by_forbund), len(reported), len(met), assessments, tuple(entries))
        )
    return NetworkPlans(
        year=year,
        with_plan=len(plans),
        followed_up=sum(1 for _, p in plans if p.followed_up_on is not None),
        measures=tuple(measures),
    )
