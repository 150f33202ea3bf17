"""What a paragraph (§) records besides votes and decisions, the notice's take-down, and open assignments.

Writes are for the förbund's writers (and admins). The list of open assignments is public for
assignments in adjusted minutes; the förbund's writers also see those of drafts.
"""

from __future__ import annotations

from datetime import date

import anyio.to_thread
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.application import Finsam
from finsam_core.values import validate_org_nr
from finsam_service.access import Caller, may_read_drafts
from finsam_service.board.schemas import (
    Assignment,
    AssignmentComplete,
    AssignmentCreate,
    ConflictDeclare,
    CorrectionCreate,
    DocumentReceive,
    InformationNote,
    NoticeTakeDown,
    TablingCreate,
)
from finsam_service.commands import Written, record_for
from finsam_service.lifespan import Services
from finsam_service.openapi import problems, write_route

__all__ = ["ParagraphContentController"]

_PARAGRAPH = "/meetings/{reference:str}/paragraphs/{number:int}"


class ParagraphContentController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("sammanträden",)

    @write_route(f"{_PARAGRAPH}/information", operation_id="NoteInformation", summary="Note an information item")
    async def information(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[InformationNote],
    ) -> Written:
        return await record_for(
            services, caller, org_nr, lambda app: app.note_information(org_nr, reference, number, data.text)
        )

    @write_route(f"{_PARAGRAPH}/conflicts", operation_id="DeclareConflict", summary="Declare a conflict of interest")
    async def conflict(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[ConflictDeclare],
    ) -> Written:
        return await record_for(
            services, caller, org_nr, lambda app: app.declare_conflict(org_nr, reference, number, data.name)
        )

    @write_route(f"{_PARAGRAPH}/tablings", operation_id="TableItem", summary="Table an item to a later meeting")
    async def table(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[TablingCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.table(org_nr, reference, number, data.item, data.reason, data.to_meeting),
        )

    @write_route(f"{_PARAGRAPH}/assignments", operation_id="GiveAssignment", summary="Give an assignment (uppdrag)")
    async def assign(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[AssignmentCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.assign(org_nr, reference, number, data.assignee, data.task, data.due_on),
        )

    @write_route(
        f"{_PARAGRAPH}/assignment-completions",
        operation_id="CompleteAssignment",
        summary="Report an assignment as done",
    )
    async def complete_assignment(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[AssignmentComplete],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.complete_assignment(org_nr, reference, number, data.assignee, data.completed_on),
        )

    @write_route(f"{_PARAGRAPH}/documents", operation_id="ReceiveDocument", summary="Report an incoming document")
    async def document(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[DocumentReceive],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.receive_document(
                org_nr, reference, number, data.registry_number, data.sender, data.title, data.received_on
            ),
        )

    @write_route(
        f"{_PARAGRAPH}/corrections",
        operation_id="CorrectMinutes",
        summary="Correct a paragraph of adjusted minutes",
    )
    async def correct(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[CorrectionCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.correct(org_nr, reference, number, data.text, data.reason, data.recorded_on),
        )

    @write_route(
        "/meetings/{reference:str}/notice/take-down",
        operation_id="TakeDownNotice",
        summary="Take down the notice of adjusted minutes",
    )
    async def take_down_notice(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[NoticeTakeDown],
    ) -> Written:
        return await record_for(
            services, caller, org_nr, lambda app: app.take_down_notice(org_nr, reference, data.taken_down_on)
        )

    @get(
        "/assignments",
        operation_id="ListOpenAssignments",
        summary="Open assignments (drafts' only for the förbund's writers)",
        responses=problems(400, 404),
    )
    async def open_assignments(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        as_of: FromQuery[date | None] = None,
    ) -> list[Assignment]:
        org_nr = validate_org_nr(org_nr)
        drafts = may_read_drafts(caller, org_nr)
        return await anyio.to_thread.run_sync(_open_assignments, services.app, org_nr, as_of, drafts)


def _open_assignments(app: Finsam, org_nr: str, as_of: date | None, drafts: bool) -> list[Assignment]:
    """The library's open assignments, computed from the log (there is no view of them yet)."""
    final = {entry.reference: app.meeting(org_nr, entry.reference).is_final for entry in app.meetings(org_nr)}
    return [
        Assignment(
            meeting=entry.meeting,
            paragraph=entry.paragraph,
            assignee=entry.assignee,
            task=entry.task,
            due_on=entry.due_on,
            overdue=entry.overdue,
            final=final[entry.meeting],
        )
        for entry in app.open_assignments(org_nr, as_of)
        if drafts or final[entry.meeting]
    ]
