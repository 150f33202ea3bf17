"""Meetings of a förbund: the writes that make the minutes (writers), and the minutes and register (reads).

Minutes that are not yet adjusted are drafts: only that förbund's writers (and admins) see them.
"""

from __future__ import annotations

import msgspec
from litestar import Controller, MediaType, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.application import Finsam
from finsam_core.domain.meeting import Attendee, VoteRecord
from finsam_core.errors import NotFound
from finsam_core.values import validate_org_nr
from finsam_service.access import Caller, may_read_drafts
from finsam_service.commands import Written, record_for, run_for
from finsam_service.forbund.queries import known_forbund
from finsam_service.lifespan import Services, wait_for_position
from finsam_service.meetings import queries
from finsam_service.meetings.schemas import (
    AdjustersElect,
    AttendanceRecord,
    DecisionCreate,
    DecisionEntry,
    MeetingCreate,
    MeetingSummary,
    NoticePost,
    NoticeWritten,
    ParagraphCreate,
    ParagraphWritten,
    ReservationCreate,
    SignatureCreate,
    SignatureWritten,
    VoteCreate,
    VoteWritten,
)
from finsam_service.openapi import problems, write_route
from finsam_service.projection import MinutesDocument

__all__ = ["MeetingsController"]

_READ_PROBLEMS = problems(400, 404, 503)


class MeetingsController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("sammanträden",)

    # --- writes ------------------------------------------------------------------------------

    @write_route("/meetings", operation_id="ConveneMeeting", summary="Convene a meeting")
    async def convene(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[MeetingCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.convene_meeting(
                org_nr,
                data.reference,
                data.held_on,
                data.place,
                opens_at=data.opens_at,
                closes_at=data.closes_at,
                agenda=tuple(data.agenda),
            ),
        )

    @write_route("/meetings/{reference:str}/attendance", operation_id="RecordAttendance", summary="Record who attended")
    async def attendance(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[AttendanceRecord],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.record_attendance(org_nr, reference, _attendees(data), data.chair, data.secretary),
        )

    @write_route("/meetings/{reference:str}/adjusters", operation_id="ElectAdjusters", summary="Elect the adjusters")
    async def adjusters(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[AdjustersElect],
    ) -> Written:
        return await record_for(
            services, caller, org_nr, lambda app: app.elect_adjusters(org_nr, reference, tuple(data.names))
        )

    @write_route("/meetings/{reference:str}/paragraphs", operation_id="AddParagraph", summary="Add a paragraph (§)")
    async def paragraph(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[ParagraphCreate],
    ) -> ParagraphWritten:
        number, position = await run_for(
            services,
            caller,
            org_nr,
            lambda app: app.add_paragraph(org_nr, reference, data.title, data.body, data.number),
        )
        return ParagraphWritten(number=number, position=position)

    @write_route(
        "/meetings/{reference:str}/paragraphs/{number:int}/votes",
        operation_id="TakeVote",
        summary="Record an open vote",
    )
    async def vote(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[VoteCreate],
    ) -> VoteWritten:
        record, position = await run_for(
            services, caller, org_nr, lambda app: _take_vote(app, org_nr, reference, number, data)
        )
        return VoteWritten(outcome=record.outcome.value, explanation=record.explanation, position=position)

    @write_route(
        "/meetings/{reference:str}/paragraphs/{number:int}/decisions",
        operation_id="RecordDecision",
        summary="Record a decision",
    )
    async def decide(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[DecisionCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.decide(org_nr, reference, number, tuple(data.clauses), data.matter),
        )

    @write_route(
        "/meetings/{reference:str}/paragraphs/{number:int}/reservations",
        operation_id="EnterReservation",
        summary="Enter a reservation against a decision",
    )
    async def reservation(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[ReservationCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.enter_reservation(org_nr, reference, number, data.name, data.motivation, data.on_behalf_of),
        )

    @write_route("/meetings/{reference:str}/signatures", operation_id="SignMinutes", summary="Sign the minutes")
    async def sign(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[SignatureCreate],
    ) -> SignatureWritten:
        final, position = await run_for(
            services,
            caller,
            org_nr,
            lambda app: app.sign_minutes(org_nr, reference, data.name, data.signed_at, data.sha256),
        )
        return SignatureWritten(final=final, position=position)

    @write_route(
        "/meetings/{reference:str}/notice", operation_id="PostNotice", summary="Post the notice of adjusted minutes"
    )
    async def notice(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[NoticePost],
    ) -> NoticeWritten:
        last_day, position = await run_for(
            services, caller, org_nr, lambda app: app.post_notice(org_nr, reference, data.posted_on, data.place)
        )
        return NoticeWritten(appeal_ends_on=last_day, position=position)

    # --- reads -------------------------------------------------------------------------------

    @get(
        "/meetings",
        operation_id="ListMeetings",
        summary="Meetings (drafts only for the förbund's writers)",
        responses=_READ_PROBLEMS,
    )
    async def list_meetings(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[MeetingSummary]:
        org_nr = validate_org_nr(org_nr)
        await wait_for_position(services, min_position)
        await known_forbund(services.read_pool, org_nr)
        return await queries.meetings(services.read_pool, org_nr, drafts=may_read_drafts(caller, org_nr))

    async def _minutes_row(
        self, services: Services, caller: Caller | None, org_nr: str, reference: str, min_position: int | None
    ) -> tuple[str, str]:
        org_nr = validate_org_nr(org_nr)
        await wait_for_position(services, min_position)
        row = await queries.meeting_minutes(services.read_pool, org_nr, reference)
        if row is None or not (row["final"] or may_read_drafts(caller, org_nr)):
            # A draft is reported as missing, so that its existence is not disclosed either.
            raise NotFound(f"Det finns inget justerat protokoll {reference} för förbundet {org_nr}.")
        return row["minutes"], row["minutes_text"]

    @get(
        "/meetings/{reference:str}/minutes",
        operation_id="GetMinutes",
        summary="The minutes as JSON",
        responses=_READ_PROBLEMS,
    )
    async def minutes(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> MinutesDocument:
        document, _ = await self._minutes_row(services, caller, org_nr, reference, min_position)
        return msgspec.json.decode(document, type=MinutesDocument)

    @get(
        "/meetings/{reference:str}/minutes.txt",
        operation_id="GetMinutesText",
        summary="The minutes as text",
        media_type=MediaType.TEXT,
        responses=_READ_PROBLEMS,
    )
    async def minutes_text(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> str:
        _, text = await self._minutes_row(services, caller, org_nr, reference, min_position)
        return text

    @get(
        "/decisions",
        operation_id="GetDecisionRegister",
        summary="The förbund's decision register",
        responses=_READ_PROBLEMS,
    )
    async def decision_register(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[DecisionEntry]:
        org_nr = validate_org_nr(org_nr)
        await wait_for_position(services, min_position)
        await known_forbund(services.read_pool, org_nr)
        return await queries.decisions(services.read_pool, org_nr=org_nr, drafts=may_read_drafts(caller, org_nr))


def _attendees(data: AttendanceRecord) -> tuple[Attendee, ...]:
    return tuple(
        Attendee(a.name, a.capacity, a.member_key, a.stands_in_for, a.title, tuple(a.paragraphs))
        for a in data.attendees
    )


def _take_vote(app: Finsam, org_nr: str, reference: str, number: int, data: VoteCreate) -> VoteRecord:
    """Take the vote; the answer is the record it made (outcome, explanation, rule)."""
    return app.vote(org_nr, reference, number, data.proposal, dict(data.ballots), data.matter)
