"""Nätverket, the start page: the NNS roster on a date, the year's fees, budgets and equity per förbund,
participants by year and the latest decisions, all from the queries behind ``/v1/network``."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from finsam_core.errors import NotFound
from finsam_core.projections.fee_list import FeeList
from finsam_service.deps import Views
from finsam_service.forbund.queries import all_forbund
from finsam_service.meetings import queries as meeting_queries
from finsam_service.network import queries
from finsam_service.web.charts import bar_chart
from finsam_service.web.errors import PAGE_ERRORS
from finsam_service.web.format import kronor, number, percent
from finsam_service.web.inputs import day_of, year_of
from finsam_service.web.session import reader_of
from finsam_service.years import valid_year

__all__ = ["NetworkPages"]

PARTICIPANT_YEARS = 5
"""How many years of participant figures the start page shows, up to the chosen year."""
LATEST_DECISIONS = 10


class NetworkPages(Controller):
    path = "/"
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/", name="natverket")
    async def start(
        self,
        request: Request[Any, Any, Any],
        views: NamedDependency[Views],
        datum: FromQuery[str | None] = None,
        ar: FromQuery[str | None] = None,
    ) -> Template:
        as_of = day_of(datum) or date.today()
        year = valid_year(year_of(ar) or as_of.year)
        pool = views.pool
        roster = await queries.roster(pool, as_of)
        fees: FeeList | None
        try:
            fees = await queries.fees(pool, year)
        except NotFound:
            fees = None
        summary = await queries.summary(pool, year)
        years = [y for y in range(year - PARTICIPANT_YEARS + 1, year + 1) if y >= 2004]
        participants = [await queries.participants(pool, y) for y in years]
        decisions = await meeting_queries.decisions(pool, limit=LATEST_DECISIONS, latest=True)
        registered = {f.org_nr: f.name for f in await all_forbund(pool)}
        charts = {
            "fees": bar_chart(
                f"Serviceavgift {year} per förbund", [(e.name, e.fee) for e in fees.entries if e.fee], kronor
            )
            if fees
            else None,
            "budget": bar_chart(
                f"Förbrukad andel av årets budget {year} per förbund",
                [(e.name, e.used_share) for e in summary.entries if e.used_share is not None],
                percent,
            ),
            "participants": bar_chart(
                "Deltagare per år i förbund som rapporterat",
                [
                    (str(p.year), p.total.participants if isinstance(p.total.participants, int) else None)
                    for p in participants
                ],
                number,
            ),
        }
        return Template(
            "natverket.html",
            context={
                "reader": await reader_of(request),
                "as_of": as_of,
                "year": year,
                "roster": roster,
                "fees": fees,
                "summary": summary,
                "participants": participants,
                "decisions": decisions,
                "registered": registered,
                "charts": charts,
            },
        )
