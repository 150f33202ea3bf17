"""Verksamhetsplaner (``/v1/forbund/{org_nr}/activity-plans``, ``/v1/network/activity-plans/{year}``):
the plan adopted by the board and the year's follow-up (writers of the förbund); the plan governing a
year with its targets and measured values, and goal fulfilment across the network (from the views)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.errors import NotFound
from finsam_core.projections.activity_plans import NetworkPlans
from finsam_core.projections.plan_rows import PlanYear
from finsam_core.values import validate_org_nr
from finsam_service.commands import Commands
from finsam_service.deps import Views
from finsam_service.guards import forbund_writer
from finsam_service.openapi import problems, write_route
from finsam_service.plans import queries
from finsam_service.plans.schemas import FollowUpCreate, FollowUpWritten, PlanCreate, PlanWritten
from finsam_service.years import valid_year

__all__ = ["NetworkPlansController", "PlansController"]


class PlansController(Controller):
    path = "/v1/forbund/{org_nr:str}/activity-plans"
    tags = ("verksamhetsplan",)

    @write_route("/", operation_id="AdoptActivityPlan", summary="Adopt a verksamhetsplan", guard=forbund_writer)
    async def adopt(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[PlanCreate]
    ) -> PlanWritten:
        warnings, position = await commands.run(
            lambda app: app.adopt_activity_plan(
                org_nr,
                data.reference,
                data.title,
                data.first_year,
                data.last_year,
                tuple(goal.to_domain() for goal in data.goals),
                data.authorised_by.to_domain(),
                replaces=data.replaces,
            )
        )
        return PlanWritten(warnings=list(warnings), position=position)

    @write_route(
        "/{year:int}/follow-up",
        operation_id="RecordActivityPlanFollowUp",
        summary="Record the year's measured values and the board's assessment",
        guard=forbund_writer,
    )
    async def follow_up(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[FollowUpCreate],
    ) -> FollowUpWritten:
        valid_year(year)
        plan, position = await commands.run(
            lambda app: app.record_plan_follow_up(
                org_nr,
                year,
                tuple(r.to_domain() for r in data.indicators),
                tuple(r.to_domain() for r in data.goals),
                decision=data.decision.to_domain() if data.decision else None,
                recorded_on=data.recorded_on,
            )
        )
        return FollowUpWritten(plan=plan, position=position)

    @get(
        "/{year:int}",
        operation_id="GetActivityPlanYear",
        summary="The plan governing the year: goals, indicators, targets and the year's measured values",
        responses=problems(400, 404, 503),
    )
    async def plan_year(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        year: FromPath[int],
        min_position: FromQuery[int | None] = None,
    ) -> PlanYear:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        pool = await views.including(min_position)
        found = await queries.plan_year(pool, org_nr, year, drafts=drafts)
        if found is None:
            raise NotFound(f"Ingen antagen verksamhetsplan gäller {year} för förbundet {org_nr}.")
        return found


class NetworkPlansController(Controller):
    path = "/v1/network/activity-plans"
    tags = ("nätverket",)

    @get(
        "/{year:int}",
        operation_id="GetNetworkActivityPlans",
        summary="Goal fulfilment across förbund by comparable measure: how many reported and met their target",
        responses=problems(400, 503),
    )
    async def network(
        self, views: NamedDependency[Views], year: FromPath[int], min_position: FromQuery[int | None] = None
    ) -> NetworkPlans:
        pool = await views.including(min_position)
        return await queries.network_plans(pool, valid_year(year))
