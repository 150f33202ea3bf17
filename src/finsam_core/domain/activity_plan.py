"""A förbund's verksamhetsplaner (activity plans, lag 2003:1210, 7 §) and their yearly follow-up.

One aggregate per förbund holds all its plans, so that "two adopted plans may not govern the same
year" is checked against everything the förbund has adopted, in one write. A plan is adopted by a
board decision (checked against the minutes by the application) and covers one or more years; it
has goals, each goal its sub-goals, the interventions that serve it and its indicators with target
values. A later plan may take over the years of an earlier one only by saying that it replaces it:
the earlier plan then governs up to the year before the new one begins.

A follow-up records, for one year the plan governs, the measured value of its indicators and the
board's assessment in the words the förbund's own annual reports use (``Assessment``). A follow-up
recorded again for the same year replaces the earlier one (the events keep both).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import DecisionRef
from finsam_core.errors import InvalidInput, PlanRuleViolation
from finsam_core.rules.plans import (
    PERCENT,
    Direction,
    check_measured,
    check_plan_years,
    check_target,
    in_force_years,
)
from finsam_core.values import Value

__all__ = [
    "PERCENT",
    "ActivityPlan",
    "ActivityPlans",
    "Assessment",
    "Direction",
    "FollowUp",
    "Goal",
    "GoalResult",
    "Indicator",
    "IndicatorResult",
    "Measure",
    "activity_plans_id",
]


def activity_plans_id(forbund_id: UUID) -> UUID:
    """The identity of a förbund's plans: one aggregate per förbund."""
    return uuid5(forbund_id, "activity-plans")


class Assessment(StrEnum):
    """The board's assessment of a goal, in the scale of the seeds' annual report (``001_*`` § 1.4)."""

    VERY_WELL = "Mycket väl uppfyllt"
    WELL = "Väl uppfyllt"
    MET = "Uppfyllt"
    NOT_MET = "Ej uppfyllt"


class Measure(StrEnum):
    """What an indicator measures, in terms the whole network shares (the national follow-up tools).

    Two förbund's indicators are *comparable* when they have the same measure (not ``lokalt``) and
    the same unit; only those are summed in the network view. Each is still judged against its own
    förbund's target.
    """

    SELF_SUPPORT = "sus_egen_forsorjning"
    """SUS: share of exited participants who went to work, studies or stand at the labour market's disposal."""
    CONTINUED_REHABILITATION = "sus_stegforflyttning"
    """SUS: share of participants who moved on to continued rehabilitation with a member."""
    SUPPORT_AND_INFLUENCE = "indikator_stod_inflytande"
    """Indikatorprojektet: share of participants who experience support and influence."""
    MORE_READY = "indikator_mer_redo"
    """Indikatorprojektet: share of participants who feel more ready for work or studies."""
    COOPERATION = "indikator_samverkan"
    """Indikatorprojektet: share of those involved in cooperation who find it gives the individual better conditions."""
    LOCAL = "lokalt"
    """A measure of this förbund's own: never compared across förbund."""


class Indicator(Value, frozen=True):
    """How a goal is measured: the target value in a unit (``%`` for a share), reached at least or at most."""

    key: str
    text: str
    target: Decimal
    unit: str
    measure: Measure = Measure.LOCAL
    direction: Direction = Direction.AT_LEAST
    followed_up_by: str = ""
    """The source of the measured value as the plan names it ("SUS", "indikatorerna 1,2,3,4")."""


class Goal(Value, frozen=True):
    key: str
    title: str
    description: str = ""
    subgoals: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    interventions: tuple[str, ...] = ()
    """The names of the förbund's registered interventions that serve the goal."""


class ActivityPlan(Value, frozen=True):
    """A plan as the board adopted it; ``reference`` is short and stable ("2022")."""

    reference: str
    title: str
    first_year: int
    last_year: int
    goals: tuple[Goal, ...]
    decided_on: date
    authorised_by: DecisionRef
    replaces: str | None = None

    def indicator(self, key: str) -> Indicator | None:
        for goal in self.goals:
            for indicator in goal.indicators:
                if indicator.key == key:
                    return indicator
        return None

    def goal(self, key: str) -> Goal | None:
        return next((goal for goal in self.goals if goal.key == key), None)


class IndicatorResult(Value, frozen=True):
    key: str
    measured: Decimal | None = None
    assessment: Assessment | None = None
    comment: str = ""


class GoalResult(Value, frozen=True):
    key: str
    assessment: Assessment
    comment: str = ""


class FollowUp(Value, frozen=True):
    """The year's measured values and the board's assessments for the plan ``plan``."""

    plan: str
    year: int
    indicators: tuple[IndicatorResult, ...]
    goals: tuple[GoalResult, ...]
    recorded_on: date
    decision: DecisionRef | None = None


def check_plan(plan: ActivityPlan) -> None:
    """The plan's own shape: years, at least one goal, unique keys, units and shares."""
    if not plan.reference.strip() or not plan.title.strip():
        raise InvalidInput("En verksamhetsplan behöver en beteckning (till exempel 2022) och en rubrik.")
    check_plan_years(plan.first_year, plan.last_year)
    if not plan.goals:
        raise PlanRuleViolation(
            f"Verksamhetsplanen {plan.reference} har inga mål; en verksamhetsplan anger minst ett mål."
        )
    goal_keys = [goal.key for goal in plan.goals]
    if any(not key.strip() for key in goal_keys) or len(set(goal_keys)) != len(goal_keys):
        raise InvalidInput("Varje mål i verksamhetsplanen behöver en egen, icke-tom kortform (till exempel 1).")
    indicator_keys: list[str] = []
    for goal in plan.goals:
        if not goal.title.strip():
            raise InvalidInput(f"Målet {goal.key} saknar rubrik.")
        if len(set(goal.interventions)) != len(goal.interventions):
            raise InvalidInput(f"Målet {goal.key} nämner samma insats två gånger.")
        for indicator in goal.indicators:
            if not indicator.key.strip() or not indicator.text.strip():
                raise InvalidInput(f"En indikator under målet {goal.key} saknar kortform eller text.")
            check_target(indicator.text, indicator.target, indicator.unit)
            indicator_keys.append(indicator.key)
    if len(set(indicator_keys)) != len(indicator_keys):
        raise InvalidInput("Varje indikator i verksamhetsplanen behöver en egen kortform; en kortform står två gånger.")


class ActivityPlans(Aggregate):
    """Every verksamhetsplan a förbund has adopted, which years each governs, and their follow-ups."""

    @staticmethod
    def create_id(forbund_id: UUID, org_nr: str) -> UUID:
        return activity_plans_id(forbund_id)

    class Opened(Aggregate.Created):
        forbund_id: UUID
        org_nr: str

    @event(Opened)
    def __init__(self, forbund_id: UUID, org_nr: str) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.plans: dict[str, ActivityPlan] = {}
        self.replaced_from: dict[str, int] = {}
        """Plan reference -> the first year a replacing plan governs."""
        self.follow_ups: dict[tuple[str, int], FollowUp] = {}
        self.corrections: dict[tuple[str, int], int] = {}
        """How many times a year's follow-up was recorded again."""

    # --- reads -------------------------------------------------------------------------------

    def years_of(self, reference: str) -> range:
        """The years the plan ``reference`` governs now."""
        plan = self.plans[reference]
        return in_force_years(plan.first_year, plan.last_year, self.replaced_from.get(reference))

    def in_force(self, year: int) -> ActivityPlan | None:
        """The plan that governs ``year``, if any."""
        return next((p for ref, p in self.plans.items() if year in self.years_of(ref)), None)

    def follow_up(self, reference: str, year: int) -> FollowUp | None:
        return self.follow_ups.get((reference, year))

    # --- commands ----------------------------------------------------------------------------

    def adopt(self, plan: ActivityPlan) -> None:
        """Adopt ``plan``: no other plan may govern its years unless the plan says it replaces that one."""
        check_plan(plan)
        if plan.reference in self.plans:
            raise PlanRuleViolation(
                f"Verksamhetsplanen {plan.reference} är redan antagen; en ändrad plan antas som en ny plan "
                "som ersätter den."
            )
        if plan.replaces is not None:
            self._check_replacement(plan)
        for reference in self.plans:
            if reference == plan.replaces:
                continue
            overlap = sorted(set(self.years_of(reference)) & set(range(plan.first_year, plan.last_year + 1)))
            if overlap:
                raise PlanRuleViolation(
                    f"Verksamhetsplanen {reference} gäller redan {', '.join(map(str, overlap))}; två antagna "
                    f"planer kan inte gälla samma år. Om {plan.reference} ska ersätta den, ange det i beslutet "
                    f"(ersätter {reference})."
                )
        self._adopted(plan=plan)

    def _check_replacement(self, plan: ActivityPlan) -> None:
        assert plan.replaces is not None
        old = self.plans.get(plan.replaces)
        if old is None:
            raise PlanRuleViolation(
                f"Verksamhetsplanen {plan.reference} sägs ersätta {plan.replaces}, men någon sådan plan är inte "
                "antagen."
            )
        if not self.years_of(old.reference):
            raise PlanRuleViolation(f"Verksamhetsplanen {old.reference} är redan helt ersatt.")
        if plan.decided_on < old.decided_on:
            raise PlanRuleViolation(
                f"Verksamhetsplanen {plan.reference} beslutades {plan.decided_on.isoformat()}, före planen den "
                f"ska ersätta ({old.reference}, {old.decided_on.isoformat()}); en plan ersätts av ett senare beslut."
            )
        followed = sorted(year for (ref, year) in self.follow_ups if ref == old.reference and year >= plan.first_year)
        if followed:
            raise PlanRuleViolation(
                f"Verksamhetsplanen {old.reference} är redan uppföljd för {', '.join(map(str, followed))}; en plan "
                f"som ersätter den kan börja tidigast {followed[-1] + 1}."
            )

    @event("PlanAdopted")
    def _adopted(self, plan: ActivityPlan) -> None:
        self.plans[plan.reference] = plan
        if plan.replaces is not None:
            self.replaced_from[plan.replaces] = plan.first_year

    def record_follow_up(self, follow_up: FollowUp) -> None:
        """The year's results against the plan's indicators and goals (see the module's docstring)."""
        plan = self.plans.get(follow_up.plan)
        if plan is None:
            raise PlanRuleViolation(f"Ingen verksamhetsplan {follow_up.plan} är antagen för förbundet {self.org_nr}.")
        years = self.years_of(plan.reference)
        if follow_up.year not in years:
            governing = ""
            if plan.first_year <= follow_up.year <= plan.last_year:
                governing = f" (planen är ersatt från {self.replaced_from[plan.reference]})"
            shown = f"{years.start}–{years.stop - 1}" if len(years) > 1 else (str(years.start) if years else "inga år")
            raise PlanRuleViolation(
                f"Uppföljningen gäller {follow_up.year}, men verksamhetsplanen {plan.reference} gäller "
                f"{shown}{governing}; följ upp året mot den plan som gäller det året."
            )
        if not follow_up.indicators and not follow_up.goals:
            raise InvalidInput("Uppföljningen är tom; ange uppmätta värden eller styrelsens bedömning.")
        seen: set[str] = set()
        for result in follow_up.indicators:
            indicator = plan.indicator(result.key)
            if indicator is None:
                raise PlanRuleViolation(
                    f"Indikatorn {result.key!r} finns inte i verksamhetsplanen {plan.reference}; följ bara upp "
                    "planens egna indikatorer."
                )
            if result.key in seen:
                raise InvalidInput(f"Indikatorn {result.key!r} står två gånger i uppföljningen.")
            seen.add(result.key)
            if result.measured is None and result.assessment is None:
                raise InvalidInput(f"Ange uppmätt värde eller styrelsens bedömning för indikatorn {result.key!r}.")
            if result.measured is not None:
                check_measured(indicator.text, result.measured, indicator.unit)
        goals: set[str] = set()
        for goal_result in follow_up.goals:
            if plan.goal(goal_result.key) is None:
                raise PlanRuleViolation(f"Målet {goal_result.key!r} finns inte i verksamhetsplanen {plan.reference}.")
            if goal_result.key in goals:
                raise InvalidInput(f"Målet {goal_result.key!r} står två gånger i uppföljningen.")
            goals.add(goal_result.key)
        self._followed_up(follow_up=follow_up)

    @event("FollowedUp")
    def _followed_up(self, follow_up: FollowUp) -> None:
        key = (follow_up.plan, follow_up.year)
        if key in self.follow_ups:
            self.corrections[key] = self.corrections.get(key, 0) + 1
        self.follow_ups[key] = follow_up
