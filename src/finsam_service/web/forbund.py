"""A förbund's pages: Förbund (members, meetings, decisions, budgets, annual reports), Sammanträde
(the minutes in the layout of the source documents) and Granskning (the audit trail).

They read the queries behind ``/v1/forbund/{org_nr}/...``; the audit page and the minutes' audit status
use the audit routes' own reads (``finsam_service.audit.reads``). Drafts are shown only to a
signed-in writer of the förbund (:func:`~finsam_service.access.may_read_drafts`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from finsam_core.application import Finsam
from finsam_core.errors import NotFound
from finsam_core.projections.rows import MinutesDocument
from finsam_core.values import validate_org_nr
from finsam_service.access import Caller, may_read_drafts
from finsam_service.audit.reads import audit_events, public_streams, verify_cached
from finsam_service.budgets import queries as budget_queries
from finsam_service.deps import Views
from finsam_service.drafts import shown
from finsam_service.forbund.queries import board_on, one_forbund
from finsam_service.meetings import queries as meeting_queries
from finsam_service.reports import queries as report_queries
from finsam_service.web.charts import bar_chart
from finsam_service.web.errors import PAGE_ERRORS
from finsam_service.web.format import month_name, percent
from finsam_service.web.inputs import day_of
from finsam_service.web.minutes import minutes_blocks
from finsam_service.web.session import reader_of

__all__ = ["ForbundPages"]

EVENTS_PER_PAGE = 100


class ForbundPages(Controller):
    path = "/forbund/{org_nr:str}"
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/", name="forbund")
    async def forbund(
        self,
        request: Request[Any, Any, Any],
        views: NamedDependency[Views],
        org_nr: FromPath[str],
        datum: FromQuery[str | None] = None,
    ) -> Template:
        reader, org_nr, drafts = await _reader(request, org_nr)
        pool = views.pool
        found = await one_forbund(pool, org_nr, drafts=drafts)
        if found is None:
            raise NotFound(f"Inget förbund med org nr {org_nr} är registrerat.")
        board = await board_on(pool, org_nr, day_of(datum) or date.today(), drafts=drafts)
        budgets = []
        for year in await budget_queries.budget_years(pool, org_nr, drafts=drafts):
            status = await budget_queries.budget_status(pool, org_nr, year, drafts=drafts)
            if status is None:
                continue
            chart = bar_chart(
                f"Förbrukad andel av budgeten {year} till och med {month_name(status.months)} mot riktvärdet",
                [(f"Förbrukat t.o.m. {month_name(status.months)}", status.used_share)],
                percent,
                reference=status.benchmark,
                reference_label=f"Riktvärde {percent(status.benchmark)}",
            )
            budgets.append((status, chart))
        reports = []
        for year in await report_queries.annual_report_years(pool, org_nr, drafts=drafts):
            report = await report_queries.annual_report(pool, org_nr, year, drafts=drafts)
            if report is not None:
                reports.append(report)
        participants = [
            figures
            for year in await report_queries.participant_years(pool, org_nr)
            if (figures := await report_queries.participants(pool, org_nr, year)) is not None
        ]
        return Template(
            "forbund.html",
            context={
                "reader": reader,
                "drafts": drafts,
                "forbund": found,
                "board": board,
                "meetings": await meeting_queries.meetings(pool, org_nr, drafts=drafts),
                "decisions": await meeting_queries.decisions(pool, org_nr=org_nr, drafts=drafts),
                "budgets": budgets,
                "reports": reports,
                "participants": participants,
            },
        )

    @get("/sammantraden/{reference:str}", name="sammantrade")
    async def meeting(
        self,
        request: Request[Any, Any, Any],
        views: NamedDependency[Views],
        app: NamedDependency[Finsam],
        org_nr: FromPath[str],
        reference: FromPath[str],
    ) -> Template:
        reader, org_nr, drafts = await _reader(request, org_nr)
        pool = views.pool
        row = await meeting_queries.meeting_minutes(pool, org_nr, reference)
        if row is None or not shown(row["final"], drafts):
            raise NotFound(f"Det finns inget justerat protokoll {reference} för förbundet {org_nr}.")
        minutes = msgspec.json.decode(row["minutes"], type=MinutesDocument)
        decisions = [
            d for d in await meeting_queries.decisions(pool, org_nr=org_nr, drafts=drafts) if d.meeting == reference
        ]
        verification = await anyio.to_thread.run_sync(verify_cached, app, org_nr)
        return Template(
            "sammantrade.html",
            context={
                "reader": reader,
                "minutes": minutes,
                "blocks": minutes_blocks(row["minutes_text"]),
                "decisions": decisions,
                "verification": verification,
            },
        )

    @get("/granskning", name="granskning")
    async def audit(
        self,
        request: Request[Any, Any, Any],
        views: NamedDependency[Views],
        app: NamedDependency[Finsam],
        org_nr: FromPath[str],
        efter: FromQuery[int] = 0,
    ) -> Template:
        reader, org_nr, drafts = await _reader(request, org_nr)
        public = None if drafts else await public_streams(views)
        events = await anyio.to_thread.run_sync(audit_events, app, org_nr, max(0, efter), EVENTS_PER_PAGE, public)
        verification = await anyio.to_thread.run_sync(verify_cached, app, org_nr)
        found = await one_forbund(views.pool, org_nr, drafts=drafts)
        return Template(
            "granskning.html",
            context={
                "reader": reader,
                "org_nr": org_nr,
                "name": found.name if found else org_nr,
                "events": events,
                "verification": verification,
            },
        )


async def _reader(request: Request[Any, Any, Any], org_nr: str) -> tuple[Caller | None, str, bool]:
    """Who reads, the förbund's org nr checked, and whether the reader sees its drafts."""
    reader = await reader_of(request)
    org_nr = validate_org_nr(org_nr)
    return reader, org_nr, may_read_drafts(reader, org_nr)
