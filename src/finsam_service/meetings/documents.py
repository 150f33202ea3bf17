"""The minutes as documents (``/v1/forbund/{org_nr}/meetings/{reference}/...``): PDF, HTML and the
protokollsutdrag. Each reads the meeting's ``sheet`` from the views and renders it
(:mod:`finsam_core.documents`); final minutes are public, drafts only for the förbund's writers.
An excerpt of minutes not adjusted is refused (422) and nothing is recorded.
"""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from finsam_core.documents import excerpt_pdf, excerpt_text, kallelse_pdf, minutes_html, minutes_pdf
from finsam_core.errors import NotFound
from finsam_core.projections.minutes_sheet import MinutesSheet
from finsam_core.values import validate_org_nr
from finsam_service.deps import Views
from finsam_service.drafts import shown
from finsam_service.meetings import queries
from finsam_service.openapi import problems

__all__ = ["MinutesDocumentsController"]

_PDF = "application/pdf"
_READ_PROBLEMS = problems(400, 404, 503)
_EXCERPT_PROBLEMS = problems(400, 404, 422, 503)


async def _sheet(pool: asyncpg.Pool, drafts: bool, org_nr: str, reference: str) -> MinutesSheet:
    """The minutes' sheet; a draft for a caller who may not read it is missing (404), as in the JSON."""
    org_nr = validate_org_nr(org_nr)
    row = await queries.meeting_sheet(pool, org_nr, reference)
    if row is None or not shown(row["final"], drafts):
        raise NotFound(f"Det finns inget justerat protokoll {reference} för förbundet {org_nr}.")
    return msgspec.json.decode(row["sheet"], type=MinutesSheet)


def _file(data: bytes, media_type: str, name: str) -> Response[bytes]:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'inline; filename="{name}"'})


class MinutesDocumentsController(Controller):
    path = "/v1/forbund/{org_nr:str}/meetings"
    tags = ("sammanträden",)

    @get(
        "/{reference:str}/minutes.pdf",
        operation_id="GetMinutesPdf",
        summary="The minutes as PDF, in the layout of a förbund's minutes",
        media_type=_PDF,
        responses=_READ_PROBLEMS,
    )
    async def minutes_pdf(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        sheet = await _sheet(await views.including(min_position), drafts, org_nr, reference)
        return _file(minutes_pdf(sheet), _PDF, f"protokoll-{sheet.org_nr}-{sheet.reference}.pdf")

    @get(
        "/{reference:str}/minutes.html",
        operation_id="GetMinutesHtml",
        summary="The minutes as an HTML page",
        media_type="text/html",
        responses=_READ_PROBLEMS,
    )
    async def minutes_html(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> str:
        return minutes_html(await _sheet(await views.including(min_position), drafts, org_nr, reference))

    @get(
        "/{reference:str}/kallelse.pdf",
        operation_id="GetKallelsePdf",
        summary="The kallelse as PDF (as the minutes: before adjustment only for the förbund's writers)",
        media_type=_PDF,
        responses=_READ_PROBLEMS,
    )
    async def kallelse_pdf(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        sheet = await _sheet(await views.including(min_position), drafts, org_nr, reference)
        return _file(kallelse_pdf(sheet), _PDF, f"kallelse-{sheet.org_nr}-{sheet.reference}.pdf")

    @get(
        "/{reference:str}/excerpt.pdf",
        operation_id="GetExcerptPdf",
        summary="A protokollsutdrag of adjusted minutes as PDF",
        media_type=_PDF,
        responses=_EXCERPT_PROBLEMS,
    )
    async def excerpt_pdf(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        paragraph: FromQuery[list[int]],
        certified_by: FromQuery[str],
        certified_on: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        sheet = await _sheet(await views.including(min_position), drafts, org_nr, reference)
        data = excerpt_pdf(sheet, paragraph, certified_by, certified_on or date.today())
        return _file(data, _PDF, f"protokollsutdrag-{sheet.org_nr}-{sheet.reference}.pdf")

    @get(
        "/{reference:str}/excerpt.txt",
        operation_id="GetExcerptText",
        summary="A protokollsutdrag of adjusted minutes as text",
        media_type="text/plain",
        responses=_EXCERPT_PROBLEMS,
    )
    async def excerpt_text(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        paragraph: FromQuery[list[int]],
        certified_by: FromQuery[str],
        certified_on: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> str:
        sheet = await _sheet(await views.including(min_position), drafts, org_nr, reference)
        return excerpt_text(sheet, paragraph, certified_by, certified_on or date.today())
