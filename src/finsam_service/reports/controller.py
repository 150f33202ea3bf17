"""What a förbund reports about a year (``/v1/forbund/{org_nr}/annual-reports/...``, ``.../interventions``,
``.../participants/{year}``): the annual report, the auditors' report, each member's
discharge decision, its interventions and aggregate participant figures (writers of the förbund);
the annual report with its discharge status and the participant figures (public, from the views)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.errors import NotFound
from finsam_core.values import validate_org_nr
from finsam_service.commands import Commands, Written
from finsam_service.deps import Views
from finsam_service.guards import forbund_writer
from finsam_service.openapi import problems, write_route
from finsam_service.reports import queries
from finsam_service.reports.schemas import (
    AnnualReportCreate,
    AnnualReportView,
    AuditReportCreate,
    DischargeCreate,
    ForbundParticipants,
    InterventionCreate,
    InterventionWritten,
    ParticipantsReport,
    WarningsWritten,
)
from finsam_service.years import valid_year

__all__ = ["ReportsController"]

_READ_PROBLEMS = problems(400, 404, 503)


class ReportsController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("årsredovisning och deltagare",)

    @write_route(
        "/annual-reports/{year:int}",
        operation_id="ApproveAnnualReport",
        summary="Approve the annual report",
        guard=forbund_writer,
    )
    async def approve(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[AnnualReportCreate],
    ) -> WarningsWritten:
        valid_year(year)
        warnings, position = await commands.run(
            lambda app: app.approve_annual_report(
                org_nr,
                year,
                income=data.income,
                costs=data.costs,
                result=data.result,
                equity_at_year_end=data.equity_at_year_end,
                authorised_by=data.authorised_by.to_domain(),
                depreciation=data.depreciation,
            )
        )
        return WarningsWritten(warnings=list(warnings), position=position)

    @write_route(
        "/annual-reports/{year:int}/audit-report",
        operation_id="RecordAuditReport",
        summary="Record the auditors' report and recommendation",
        guard=forbund_writer,
    )
    async def audit_report(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[AuditReportCreate],
    ) -> Written:
        valid_year(year)
        return await commands.record(
            lambda app: app.record_audit_report(
                org_nr,
                year,
                recommends_discharge=data.recommends_discharge,
                auditors=tuple(data.auditors),
                reported_on=data.reported_on,
                remarks=data.remarks,
            )
        )

    @write_route(
        "/annual-reports/{year:int}/discharge",
        operation_id="DecideDischarge",
        summary="Record a member's decision on discharge for the board",
        guard=forbund_writer,
    )
    async def discharge(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[DischargeCreate],
    ) -> Written:
        valid_year(year)
        return await commands.record(
            lambda app: app.decide_discharge(
                org_nr, year, data.member_key, data.granted, data.decision.to_domain(), body_kind=data.body_kind
            )
        )

    @write_route(
        "/interventions", operation_id="RegisterIntervention", summary="Register an intervention", guard=forbund_writer
    )
    async def intervention(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        data: JSONBody[InterventionCreate],
    ) -> InterventionWritten:
        identity, position = await commands.run(
            lambda app: app.register_intervention(
                org_nr, data.name, data.kind, data.owner, data.starts_on, data.ends_on, dict(data.funding)
            ),
        )
        return InterventionWritten(id=identity, position=position)

    @write_route(
        "/participants/{year:int}",
        operation_id="ReportParticipants",
        summary="Report the year's aggregate participant figures",
        guard=forbund_writer,
    )
    async def participants(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[ParticipantsReport],
    ) -> Written:
        valid_year(year)
        return await commands.record(
            lambda app: app.report_participants(
                org_nr, year, data.counts(), reported_on=data.reported_on, comment=data.comment
            )
        )

    # --- reads -------------------------------------------------------------------------------

    @get(
        "/annual-reports/{year:int}",
        operation_id="GetAnnualReport",
        summary="The approved annual report and its discharge status (approved in draft minutes: writers only)",
        responses=_READ_PROBLEMS,
    )
    async def get_annual_report(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        year: FromPath[int],
        min_position: FromQuery[int | None] = None,
    ) -> AnnualReportView:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        pool = await views.including(min_position)
        found = await queries.annual_report(pool, org_nr, year, drafts=drafts)
        if found is None:
            raise NotFound(f"Ingen årsredovisning för {year} är godkänd för förbundet {org_nr}.")
        return found

    @get(
        "/participants/{year:int}",
        operation_id="GetParticipants",
        summary="The year's participant figures",
        responses=_READ_PROBLEMS,
    )
    async def get_participants(
        self,
        views: NamedDependency[Views],
        org_nr: FromPath[str],
        year: FromPath[int],
        min_position: FromQuery[int | None] = None,
    ) -> ForbundParticipants:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        pool = await views.including(min_position)
        found = await queries.participants(pool, org_nr, year)
        if found is None:
            raise NotFound(f"Inga deltagarsiffror för {year} är registrerade för förbundet {org_nr}.")
        return found
