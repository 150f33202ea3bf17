"""Meetings of a förbund (``/v1/forbund/{org_nr}/meetings``): the writes that make the minutes (writers),
and the minutes and the list of meetings (reads). A meeting's paragraphs: :mod:`.paragraphs`.

Minutes that are not yet adjusted are drafts: only that förbund's writers (and admins) see them.
"""

from __future__ import annotations

from typing import Any, cast

import asyncpg
from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.domain.meeting import Attendee
from finsam_core.errors import NotFound
from finsam_core.projections.rows import MinutesDocument
from finsam_core.values import validate_org_nr
from finsam_service.commands import Commands, Written
from finsam_service.deps import Views
from finsam_service.drafts import shown
from finsam_service.forbund.queries import known_forbund
from finsam_service.guards import forbund_writer
from finsam_service.meetings import queries
from finsam_service.meetings.schemas import (
    AdjustersElect,
    AttendanceRecord,
    KallelseCreate,
    KallelseWritten,
    MeetingCreate,
    MeetingSummary,
    NoticePost,
    NoticeTakeDown,
    NoticeWritten,
    SignatureCreate,
    SignatureWritten,
)
from finsam_service.openapi import problems, write_route

__all__ = ["MeetingsController"]

_READ_PROBLEMS = problems(400, 404, 503)


class MeetingsController(Controller):
    path = "/v1/forbund/{org_nr:str}/meetings"
    tags = ("sammanträden",)

    # --- writes ------------------------------------------------------------------------------

    @write_route("/", operation_id="ConveneMeeting", summary="Convene a meeting", guard=forbund_writer)
    async def convene(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[MeetingCreate]
    ) -> Written:
        return await commands.record(
            lambda app: app.convene_meeting(
                org_nr,
                data.reference,
                data.held_on,
                data.place,
                opens_at=data.opens_at,
                closes_at=data.closes_at,
                agenda=tuple(data.agenda),
            )
        )

    @write_route(
        "/{reference:str}/kallelse", operation_id="SendKallelse", summary="Record the kallelse", guard=forbund_writer
    )
    async def kallelse(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[KallelseCreate],
    ) -> KallelseWritten:
        late, position = await commands.run(
            lambda app: app.send_kallelse(org_nr, reference, data.sent_on, data.recipients, data.documents)
        )
        return KallelseWritten(late=late, position=position)

    @write_route(
        "/{reference:str}/attendance",
        operation_id="RecordAttendance",
        summary="Record who attended",
        guard=forbund_writer,
    )
    async def attendance(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[AttendanceRecord],
    ) -> Written:
        return await commands.record(
            lambda app: app.record_attendance(org_nr, reference, _attendees(data), data.chair, data.secretary)
        )

    @write_route(
        "/{reference:str}/adjusters", operation_id="ElectAdjusters", summary="Elect the adjusters", guard=forbund_writer
    )
    async def adjusters(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[AdjustersElect],
    ) -> Written:
        return await commands.record(lambda app: app.elect_adjusters(org_nr, reference, tuple(data.names)))

    @write_route(
        "/{reference:str}/signatures", operation_id="SignMinutes", summary="Sign the minutes", guard=forbund_writer
    )
    async def sign(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[SignatureCreate],
    ) -> SignatureWritten:
        final, position = await commands.run(
            lambda app: app.sign_minutes(org_nr, reference, data.name, data.signed_at, data.sha256)
        )
        return SignatureWritten(final=final, position=position)

    @write_route(
        "/{reference:str}/notice",
        operation_id="PostNotice",
        summary="Post the notice of adjusted minutes",
        guard=forbund_writer,
    )
    async def notice(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[NoticePost],
    ) -> NoticeWritten:
        last_day, position = await commands.run(
            lambda app: app.post_notice(org_nr, reference, data.posted_on, data.place)
        )
        return NoticeWritten(appeal_ends_on=last_day, position=position)

    @write_route(
        "/{reference:str}/notice/take-down",
        operation_id="TakeDownNotice",
        summary="Take down the notice of adjusted minutes",
        guard=forbund_writer,
    )
    async def take_down_notice(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[NoticeTakeDown],
    ) -> Written:
        return await commands.record(lambda app: app.take_down_notice(org_nr, reference, data.taken_down_on))

    # --- reads -------------------------------------------------------------------------------

    @get(
        "/",
        operation_id="ListMeetings",
        summary="Meetings (drafts only for the förbund's writers)",
        responses=_READ_PROBLEMS,
    )
    async def list_meetings(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[MeetingSummary]:
        org_nr = validate_org_nr(org_nr)
        pool = await views.including(min_position)
        await known_forbund(pool, org_nr)
        return await queries.meetings(pool, org_nr, drafts=drafts)

    @get(
        "/{reference:str}/minutes",
        operation_id="GetMinutes",
        summary="The minutes as JSON",
        responses=_READ_PROBLEMS,
    )
    async def minutes(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> Response[MinutesDocument]:
        document, _ = await _minutes_row(await views.including(min_position), drafts, org_nr, reference)
        # The view holds the document as the projection wrote it (a MinutesDocument): answered as stored,
        # not decoded and encoded again (issue 16).
        answer: Response[Any] = Response(document.encode(), media_type=MediaType.JSON)
        return cast("Response[MinutesDocument]", answer)  # the OpenAPI schema names what the bytes are

    @get(
        "/{reference:str}/minutes.txt",
        operation_id="GetMinutesText",
        summary="The minutes as text",
        media_type=MediaType.TEXT,
        responses=_READ_PROBLEMS,
    )
    async def minutes_text(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> str:
        _, text = await _minutes_row(await views.including(min_position), drafts, org_nr, reference)
        return text


async def _minutes_row(pool: asyncpg.Pool, drafts: bool, org_nr: str, reference: str) -> tuple[str, str]:
    """The minutes as JSON and as text; a draft for a caller who may not read it is missing (404)."""
    org_nr = validate_org_nr(org_nr)
    row = await queries.meeting_minutes(pool, org_nr, reference)
    if row is None or not shown(row["final"], drafts):
        # A draft is reported as missing, so that its existence is not disclosed either.
        raise NotFound(f"Det finns inget justerat protokoll {reference} för förbundet {org_nr}.")
    return row["minutes"], row["minutes_text"]


def _attendees(data: AttendanceRecord) -> tuple[Attendee, ...]:
    return tuple(
        Attendee(a.name, a.capacity, a.member_key, a.stands_in_for, a.title, tuple(a.paragraphs))
        for a in data.attendees
    )
