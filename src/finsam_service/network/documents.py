"""The network's statutory clock and its exports (``/v1/network/deadlines``, ``/v1/network/exports/...``).

The library's reads of the views (:meth:`finsam_service.deps.Views.library`); across förbund only
what derives from adjusted minutes is shown, to every caller (as the network's other reads).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from finsam_core.documents.exports import export_table
from finsam_core.documents.open_data import dcat_catalog
from finsam_core.projections.clock import Deadline, deadlines
from finsam_service.deps import Views
from finsam_service.openapi import TableOperation, problems
from finsam_service.tables import table_response
from finsam_service.years import valid_year

__all__ = ["NetworkDocumentsController"]


class NetworkDocumentsController(Controller):
    path = "/v1/network"
    tags = ("nätverket",)

    @get(
        "/deadlines",
        operation_id="GetNetworkDeadlines",
        summary="The statutory clock of every förbund NNS knows (adjusted minutes only)",
        responses=problems(400, 503),
    )
    async def deadlines(
        self,
        views: NamedDependency[Views],
        as_of: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> list[Deadline]:
        await views.including(min_position)
        day = as_of or date.today()
        valid_year(day.year)
        return await views.library(lambda reads: deadlines(reads, day))

    @get(
        "/datasets",
        operation_id="GetNetworkDatasets",
        summary="The public lists as a DCAT-AP-SE catalogue (JSON-LD) for open-data portals",
        media_type="application/ld+json",
    )
    async def datasets(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        return dcat_catalog(str(request.base_url))

    @get(
        "/exports/{kind:str}",
        operation_id="ExportNetworkTable",
        summary=(
            "An export as CSV or XLSX: fees (year), roster (as_of), budget (year), participants (year) or "
            "participant_breakdowns (year); participant counts under 5 shown as <5"
        ),
        media_type="text/csv",
        operation_class=TableOperation,
        responses=problems(400, 503),
    )
    async def export(
        self,
        views: NamedDependency[Views],
        kind: FromPath[Literal["fees", "roster", "budget", "participants", "participant_breakdowns"]],
        year: FromQuery[int | None] = None,
        as_of: FromQuery[date | None] = None,
        format: FromQuery[Literal["csv", "xlsx"]] = "csv",
        min_position: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        await views.including(min_position)
        if year is not None:
            valid_year(year)
        table = await views.library(lambda reads: export_table(reads, kind, year=year, as_of=as_of, org_nr=None))
        return table_response(table, format, f"{kind}-{year or (as_of.isoformat() if as_of else '')}".rstrip("-"))
