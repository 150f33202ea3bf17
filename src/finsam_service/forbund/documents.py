"""A förbund's statutory clock and its decision register as a file (``/v1/forbund/{org_nr}/...``).

Both are the library's reads of the views (:meth:`finsam_service.deps.Views.library`): the clock
(:func:`finsam_core.projections.clock.deadlines`) and the export tables
(:mod:`finsam_core.documents.exports`). What derives from minutes in draft is shown only to the
förbund's writers.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from finsam_core.documents.exports import export_table
from finsam_core.projections.clock import Deadline, deadlines
from finsam_core.values import validate_org_nr
from finsam_service.deps import Views
from finsam_service.forbund.queries import known_forbund
from finsam_service.openapi import TableOperation, problems
from finsam_service.tables import table_response
from finsam_service.years import valid_year

__all__ = ["ForbundDocumentsController"]


class ForbundDocumentsController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("förbund",)

    @get(
        "/deadlines",
        operation_id="GetForbundDeadlines",
        summary="The statutory clock: what is due, overdue or met, with its legal source",
        responses=problems(400, 404, 503),
    )
    async def deadlines(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        as_of: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> list[Deadline]:
        org_nr = validate_org_nr(org_nr)
        await known_forbund(await views.including(min_position), org_nr)
        day = as_of or date.today()
        valid_year(day.year)
        return await views.library(lambda reads: deadlines(reads, day, org_nr, drafts=drafts))

    @get(
        "/decisions/export",
        operation_id="ExportForbundDecisions",
        summary="The decision register as CSV or XLSX",
        media_type="text/csv",
        operation_class=TableOperation,
        responses=problems(400, 404, 503),
    )
    async def export_decisions(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        format: FromQuery[Literal["csv", "xlsx"]] = "csv",
        min_position: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        org_nr = validate_org_nr(org_nr)
        await known_forbund(await views.including(min_position), org_nr)
        table = await views.library(
            lambda reads: export_table(reads, "decisions", year=None, as_of=None, org_nr=org_nr, drafts=drafts)
        )
        return table_response(table, format, f"beslut-{org_nr}")
