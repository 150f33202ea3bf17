"""Money of one förbund (``/v1/forbund/{org_nr}/allocations/{year}`` and ``.../budgets/...``): allocations,
budgets and their revisions, outcome, forecasts, equity, the year's close (writers of the förbund), and
the budget status (public, from the views)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.errors import NotFound
from finsam_core.projections.budget_status import BudgetStatus
from finsam_core.values import validate_org_nr
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
from finsam_service.commands import Commands, Written
from finsam_service.deps import Views
from finsam_service.forbund.queries import known_forbund
from finsam_service.guards import forbund_writer
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
        guard=forbund_writer,
    )
    async def allocation(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[AllocationCreate],
    ) -> AllocationWritten:
        valid_year(year)
        total, position = await commands.run(
            lambda app: app.record_allocation(
                org_nr,
                year,
                data.contributions,
                total=data.total,
                kommun_key=data.kommun_key,
                deviation_reason=data.deviation_reason,
                recorded_on=data.recorded_on,
                authorised_by=data.authorised_by.to_domain() if data.authorised_by else None,
            )
        )
        return AllocationWritten(total=total, position=position)

    @write_route(
        "/budgets/{year:int}", operation_id="AdoptBudget", summary="Adopt the budget for a year", guard=forbund_writer
    )
    async def adopt(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[BudgetCreate],
    ) -> BudgetWritten:
        valid_year(year)
        warnings, position = await commands.run(
            lambda app: app.adopt_budget(
                org_nr,
                year,
                [line.to_domain() for line in data.lines],
                [line.to_domain() for line in data.income],
                data.authorised_by.to_domain(),
                total=data.total,
                planned_result=data.planned_result,
                surplus_used=data.surplus_used,
            )
        )
        return BudgetWritten(warnings=list(warnings), position=position)

    @write_route(
        "/budgets/{year:int}/revisions",
        operation_id="ReviseBudget",
        summary="Revise an adopted budget",
        guard=forbund_writer,
    )
    async def revise(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[BudgetRevisionCreate],
    ) -> RevisionWritten:
        valid_year(year)
        revision, position = await commands.run(
            lambda app: app.revise_budget(
                org_nr,
                year,
                [line.to_domain() for line in data.lines],
                [line.to_domain() for line in data.income],
                data.authorised_by.to_domain(),
                total=data.total,
                planned_result=data.planned_result,
                surplus_used=data.surplus_used,
            )
        )
        return RevisionWritten(revision=revision, position=position)

    @write_route(
        "/budgets/{year:int}/outcomes",
        operation_id="RecordOutcome",
        summary="Record a month's outcome per line",
        guard=forbund_writer,
    )
    async def outcome(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[OutcomeCreate],
    ) -> Written:
        valid_year(year)
        return await commands.record(lambda app: app.record_outcome(org_nr, year, data.month, data.amounts))

    @write_route(
        "/budgets/{year:int}/forecasts",
        operation_id="RecordForecast",
        summary="Record a whole-year forecast per line",
        guard=forbund_writer,
    )
    async def forecast(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[ForecastCreate],
    ) -> Written:
        valid_year(year)
        return await commands.record(lambda app: app.record_forecast(org_nr, year, data.deviations, data.made_on))

    @write_route(
        "/budgets/{year:int}/opening-equity",
        operation_id="RecordOpeningEquity",
        summary="Record the equity at the start of the year",
        guard=forbund_writer,
    )
    async def opening_equity(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[OpeningEquityCreate],
    ) -> Written:
        valid_year(year)
        return await commands.record(lambda app: app.record_opening_equity(org_nr, year, data.amount))

    @write_route(
        "/budgets/{year:int}/close",
        operation_id="CloseYear",
        summary="Close the year with its result",
        guard=forbund_writer,
    )
    async def close(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[YearClose],
    ) -> YearClosed:
        valid_year(year)
        equity, position = await commands.run(lambda app: app.close_year(org_nr, year, data.result, data.closed_on))
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
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[int]:
        org_nr = validate_org_nr(org_nr)
        pool = await views.including(min_position)
        await known_forbund(pool, org_nr)
        return await queries.budget_years(pool, org_nr, drafts=drafts)

    @get(
        "/budgets/{year:int}",
        operation_id="GetBudgetStatus",
        summary="Budget status: adopted and revised budget, outcome, deviation, forecast, equity, flags",
        responses=problems(400, 404, 503),
    )
    async def status(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        year: FromPath[int],
        min_position: FromQuery[int | None] = None,
    ) -> BudgetStatus:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        pool = await views.including(min_position)
        found = await queries.budget_status(pool, org_nr, year, drafts=drafts)
        if found is None:
            raise NotFound(f"Ingen budget för {year} är antagen för förbundet {org_nr}.")
        return found
