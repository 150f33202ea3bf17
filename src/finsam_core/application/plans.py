"""Verksamhetsplaner (lag 2003:1210, 7 §): adoption by the board, the yearly follow-up, and the reads.

The plan is adopted by a decision in the förbund's own minutes (the paragraph is checked as a budget's
is); the interventions a goal names must be registered for the förbund. The rules of the plan itself
(goals, targets and units, the years it governs, replacing an earlier plan, what a follow-up may
contain) are the aggregate's: :mod:`finsam_core.domain.activity_plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from finsam_core.application.base import command
from finsam_core.application.participants import ParticipantCommands
from finsam_core.domain.activity_plan import (
    ActivityPlan,
    ActivityPlans,
    FollowUp,
    Goal,
    GoalResult,
    IndicatorResult,
    activity_plans_id,
)
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.forbund import Forbund, forbund_id
from finsam_core.domain.interventions import check_no_person, intervention_id
from finsam_core.errors import NotFound, PlanRuleViolation
from finsam_core.projections.activity_plans import NetworkPlans, network_fulfilment, plan_year
from finsam_core.projections.plan_rows import PlanYear
from finsam_core.rules.money import budget_is_late
from finsam_core.rules.parameters import parameters_on
from finsam_core.values import today_or, validate_org_nr

__all__ = ["PlanCommands"]


class PlanCommands(ParticipantCommands):
    """Commands and reads of a förbund's verksamhetsplaner, per förbund and for all of NNS."""

    def _plan_decision(self, forbund: Forbund, ref: DecisionRef, what: str) -> date:
        if ref.meeting is None or ref.paragraph is None:
            raise PlanRuleViolation(
                f"{what} beslutas av förbundets styrelse: hänvisa till sammanträdet och paragrafen "
                "(till exempel 2021-6 § 40)."
            )
        self._check_decision(forbund, ref)
        return self.meeting(forbund.org_nr, ref.meeting).held_on

    def _plans_of(self, forbund: Forbund) -> ActivityPlans:
        found = self._find(activity_plans_id(forbund.id), ActivityPlans)
        return found if found is not None else ActivityPlans(forbund_id=forbund.id, org_nr=forbund.org_nr)

    @command
    def adopt_activity_plan(
        self,
        org_nr: str,
        reference: str,
        title: str,
        first_year: int,
        last_year: int,
        goals: Sequence[Goal],
        authorised_by: DecisionRef,
        *,
        replaces: str | None = None,
    ) -> tuple[str, ...]:
        """Adopt a verksamhetsplan for ``first_year``–``last_year``; returns warnings.

        Like the budget, the plan is to be adopted by 30 November of the year before its first year
        (``004_*`` § 5.2); a later adoption is recorded with a warning.
        """
        forbund = self.forbund(org_nr)
        decided_on = self._plan_decision(forbund, authorised_by, "Verksamhetsplanen")
        for goal in goals:
            check_no_person(goal.title, goal.description, *goal.subgoals)
            for name in goal.interventions:
                if not self._has(intervention_id(forbund.id, name.strip())):
                    raise NotFound(
                        f"Målet {goal.key} nämner insatsen {name!r}, som inte är registrerad för förbundet "
                        f"{forbund.org_nr}; registrera insatsen först."
                    )
        plans = self._plans_of(forbund)
        plans.adopt(
            ActivityPlan(
                reference=reference.strip(),
                title=title.strip(),
                first_year=first_year,
                last_year=last_year,
                goals=tuple(goals),
                decided_on=decided_on,
                authorised_by=authorised_by,
                replaces=replaces.strip() if replaces else None,
            )
        )
        self._stage(plans)
        params = parameters_on(date(first_year - 1, 1, 1))
        if budget_is_late(decided_on, first_year, params):
            return (
                f"Verksamhetsplanen {reference} antogs {decided_on.isoformat()}, efter sista dag "
                f"{first_year - 1}-{params.budget_deadline_month:02d}-{params.budget_deadline_day:02d}.",
            )
        return ()

    @command
    def record_plan_follow_up(
        self,
        org_nr: str,
        year: int,
        indicators: Sequence[IndicatorResult],
        goals: Sequence[GoalResult] = (),
        *,
        plan: str | None = None,
        decision: DecisionRef | None = None,
        recorded_on: date | None = None,
    ) -> str:
        """The year's measured values and the board's assessments; returns the plan's reference.

        Without ``plan`` the follow-up is for the plan that governs ``year``. A follow-up recorded
        again for the same year replaces the earlier one.
        """
        forbund = self.forbund(org_nr)
        day = today_or(recorded_on)
        if day.year < year:
            raise PlanRuleViolation(
                f"Uppföljningen av {year} kan inte registreras {day.isoformat()}, innan året har börjat."
            )
        if decision is not None:
            self._plan_decision(forbund, decision, "Uppföljningen")
        check_no_person(*(r.comment for r in indicators), *(r.comment for r in goals))
        plans = self._find(activity_plans_id(forbund.id), ActivityPlans)
        governing = plans.in_force(year) if plans is not None else None
        reference = plan if plan is not None else (governing.reference if governing is not None else None)
        if plans is None or reference is None:
            raise NotFound(f"Ingen antagen verksamhetsplan gäller {year} för förbundet {forbund.org_nr}.")
        plans.record_follow_up(
            FollowUp(
                plan=reference.strip(),
                year=year,
                indicators=tuple(indicators),
                goals=tuple(goals),
                recorded_on=day,
                decision=decision,
            )
        )
        self._stage(plans)
        return reference

    # --- reads -------------------------------------------------------------------------------

    def activity_plans(self, org_nr: str) -> ActivityPlans:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            activity_plans_id(forbund_id(org_nr)),
            ActivityPlans,
            f"Ingen verksamhetsplan är antagen för förbundet {org_nr}.",
        )

    def plan_year(self, org_nr: str, year: int) -> PlanYear:
        """The plan that governs ``year`` with its targets and the year's measured values."""
        found = plan_year(self.activity_plans(org_nr), year)
        if found is None:
            raise NotFound(f"Ingen antagen verksamhetsplan gäller {year} för förbundet {validate_org_nr(org_nr)}.")
        return found

    def network_plan_fulfilment(self, year: int) -> NetworkPlans:
        """Goal fulfilment for ``year`` across the förbund NNS knows, by comparable measure."""
        pictures: list[tuple[str, PlanYear]] = []
        for org_nr, name in self.network().known.items():
            plans = self._find(activity_plans_id(forbund_id(org_nr)), ActivityPlans)
            picture = plan_year(plans, year) if plans is not None else None
            if picture is not None:
                pictures.append((name, picture))
        return network_fulfilment(year, pictures)
