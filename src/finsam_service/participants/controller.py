"""``/v1/forbund/{org_nr}/participants/{year}/breakdowns``: the förbund's writers report the year's
breakdowns; anyone reads them, small counts suppressed together with the network's figures."""

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
from finsam_service.participants.schemas import BreakdownsReport, ParticipantBreakdowns
from finsam_service.reports import queries
from finsam_service.years import valid_year

__all__ = ["ParticipantBreakdownsController"]


class ParticipantBreakdownsController(Controller):
    path = "/v1/forbund/{org_nr:str}/participants/{year:int}/breakdowns"
    tags = ("årsredovisning och deltagare",)

    @write_route(
        "/",
        operation_id="ReportParticipantBreakdowns",
        summary="Report the year's participants by kommun, age, gender, income source and time in the intervention",
        guard=forbund_writer,
    )
    async def report(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[BreakdownsReport],
    ) -> Written:
        valid_year(year)
        breakdowns = [
            {"dimension": b.dimension.value, "population": b.population.value, "cells": dict(b.cells)}
            for b in data.breakdowns
        ]
        return await commands.record(
            lambda app: app.report_participant_breakdowns(org_nr, year, breakdowns, reported_on=data.reported_on)
        )

    @get(
        "/",
        operation_id="GetParticipantBreakdowns",
        summary="The year's participant breakdowns, small counts shown as <5",
        responses=problems(400, 404, 503),
    )
    async def read(
        self,
        views: NamedDependency[Views],
        org_nr: FromPath[str],
        year: FromPath[int],
        min_position: FromQuery[int | None] = None,
    ) -> ParticipantBreakdowns:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        pool = await views.including(min_position)
        found = await queries.participants(pool, org_nr, year)
        if found is None:
            raise NotFound(f"Inga deltagarsiffror för {year} är registrerade för förbundet {org_nr}.")
        breakdowns = tuple(b for b in found.breakdowns)
        return ParticipantBreakdowns(org_nr=org_nr, year=year, breakdowns=breakdowns)
