"""Money of one förbund: allocations, budgets and their revisions, outcome, forecasts, equity, the
year's close (writers of the förbund), and the budget status (public, from the views)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.errors import NotFound
from finsam_core.projections.budget_status import BudgetStatus
from finsam_core.values import validate_org_nr
from finsam_service.access import Caller, may_read_drafts
from finsam_service.budgets import queries
from finsam_service.budgets.schemas import (
    AllocationCreate,
    AllocationWritten,
    BudgetCreate,
    BudgetRevisionCreate,
    BudgetWritten,
    ForecastCreate,
    OpeningEquityCreate,
    OutcomeCreate,
    RevisionWritten,
    YearClose,
    YearClosed,
)
from finsam_service.commands import Written, record_for, run_for
from finsam_service.forbund.queries import known_forbund
from finsam_service.lifespan import Services, wait_for_position
from finsam_service.openapi import problems, write_route
from finsam_service.years import valid_year

__all__ = ["BudgetsController"]


class BudgetsController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("ekonomi",)

    @write_route(
        "/allocations/{year:int}",
        operation_id="RecordAllocation",
        summary="Record or revise the year's allocation",
    )
    async def allocation(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[AllocationCreate],
    ) -> AllocationWritten:
        total, position = await run_for(
            services,
            caller,
            org_nr,
            lambda app: app.record_allocation(
                org_nr,
                year,
                data.contributions,
                total=data.total,
                kommun_key=data.kommun_key,
                deviation_reason=data.deviation_reason,
                recorded_on=data.recorded_on,
                authorised_by=data.authorised_by.to_domain() if data.authorised_by else None,
            ),
            year=year,
        )
        return AllocationWritten(total=total, position=position)

    @write_route("/budgets/{year:int}", operation_id="AdoptBudget", summary="Adopt the budget for a year")
    async def adopt(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[BudgetCreate],
    ) -> BudgetWritten:
        warnings, position = await run_for(
            services,
            caller,
            org_nr,
            lambda app: app.adopt_budget(
                org_nr,
                year,
                [line.to_domain() for line in data.lines],
                [line.to_domain() for line in data.income],
                data.authorised_by.to_domain(),
                total=data.total,
                planned_result=data.planned_result,
                surplus_used=data.surplus_used,
            ),
            year=year,
        )
        return BudgetWritten(warnings=list(warnings), position=position)

    @write_route("/budgets/{year:int}/revisions", operation_id="ReviseBudget", summary="Revise an adopted budget")
    async def revise(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[BudgetRevisionCreate],
    ) -> RevisionWritten:
        revision, position = await run_for(
            services,
            caller,
            org_nr,
            lambda app: app.revise_budget(
                org_nr,
                year,
                [line.to_domain() for line in data.lines],
                [line.to_domain() for line in data.income],
                data.authorised_by.to_domain(),
                total=data.total,
                planned_result=data.planned_result,
                surplus_used=data.surplus_used,
            ),
            year=year,
        )
        return RevisionWritten(revision=revision, position=position)

    @write_route(
        "/budgets/{year:int}/outcomes",
        operation_id="RecordOutcome",
        summary="Record a month's outcome per line",
    )
    async def outcome(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[OutcomeCreate],
    ) -> Written:
        return await record_for(
            services, caller, org_nr, lambda app: app.record_outcome(org_nr, year, data.month, data.amounts), year=year
        )

    @write_route(
        "/budgets/{year:int}/forecasts",
        operation_id="RecordForecast",
        summary="Record a whole-year forecast per line",
    )
    async def forecast(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[ForecastCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.record_forecast(org_nr, year, data.deviations, data.made_on),
            year=year,
        )

    @write_route(
        "/budgets/{year:int}/opening-equity",
        operation_id="RecordOpeningEquity",
        summary="Record the equity at the start of the year",
    )
    async def opening_equity(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[OpeningEquityCreate],
    ) -> Written:
        return await record_for(
            services, caller, org_nr, lambda app: app.record_opening_equity(org_nr, year, data.amount), year=year
        )

    @write_route("/budgets/{year:int}/close", operation_id="CloseYear", summary="Close the year with its result")
    async def close(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[YearClose],
    ) -> YearClosed:
        equity, position = await run_for(
            services, caller, org_nr, lambda app: app.close_year(org_nr, year, data.result, data.closed_on), year=year
        )
        return YearClosed(equity_carried_forward=equity, position=position)

    # --- reads -------------------------------------------------------------------------------

    @get(
        "/budgets",
        operation_id="ListBudgetYears",
        summary="The years with an adopted budget (adopted in draft minutes: writers only)",
        responses=problems(400, 404, 503),
    )
    async def years(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[int]:
        org_nr = validate_org_nr(org_nr)
        await wait_for_position(services, min_position)
        await known_forbund(services.read_pool, org_nr)
        return await queries.budget_years(services.read_pool, org_nr, drafts=may_read_drafts(caller, org_nr))

    @get(
        "/budgets/{year:int}",
        operation_id="GetBudgetStatus",
        summary="Budget status: adopted and revised budget, outcome, deviation, forecast, equity, flags",
        responses=problems(400, 404, 503),
    )
    async def status(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        year: FromPath[int],
        min_position: FromQuery[int | None] = None,
    ) -> BudgetStatus:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        await wait_for_position(services, min_position)
        found = await queries.budget_status(services.read_pool, org_nr, year, drafts=may_read_drafts(caller, org_nr))
        if found is None:
            raise NotFound(f"Ingen budget för {year} är antagen för förbundet {org_nr}.")
        return found
