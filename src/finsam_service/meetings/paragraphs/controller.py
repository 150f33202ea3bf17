"""A meeting's paragraphs (``.../meetings/{reference}/paragraphs``): adding one, and what each records:
votes, decisions, reservations, information, conflicts of interest, tablings, assignments and their
completion, incoming documents and corrections of adjusted minutes. Writers of the förbund only.
"""

from __future__ import annotations

from litestar import Controller
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from finsam_core.application import Finsam
from finsam_core.domain.meeting import VoteRecord
from finsam_service.commands import Commands, Written
from finsam_service.guards import forbund_writer
from finsam_service.meetings.paragraphs.schemas import (
    AssignmentComplete,
    AssignmentCreate,
    ConflictDeclare,
    CorrectionCreate,
    DecisionCreate,
    DocumentReceive,
    InformationNote,
    ParagraphCreate,
    ParagraphWritten,
    ReservationCreate,
    TablingCreate,
    VoteCreate,
    VoteWritten,
)
from finsam_service.openapi import write_route

__all__ = ["ParagraphsController"]

_PARAGRAPH = "/{number:int}"


class ParagraphsController(Controller):
    path = "/v1/forbund/{org_nr:str}/meetings/{reference:str}/paragraphs"
    tags = ("sammanträden",)

    @write_route("/", operation_id="AddParagraph", summary="Add a paragraph (§)", guard=forbund_writer)
    async def paragraph(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        data: JSONBody[ParagraphCreate],
    ) -> ParagraphWritten:
        number, position = await commands.run(
            lambda app: app.add_paragraph(org_nr, reference, data.title, data.body, data.number)
        )
        return ParagraphWritten(number=number, position=position)

    @write_route(f"{_PARAGRAPH}/votes", operation_id="TakeVote", summary="Record an open vote", guard=forbund_writer)
    async def vote(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[VoteCreate],
    ) -> VoteWritten:
        record, position = await commands.run(lambda app: _take_vote(app, org_nr, reference, number, data))
        return VoteWritten(outcome=record.outcome.value, explanation=record.explanation, position=position)

    @write_route(
        f"{_PARAGRAPH}/decisions", operation_id="RecordDecision", summary="Record a decision", guard=forbund_writer
    )
    async def decide(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[DecisionCreate],
    ) -> Written:
        return await commands.record(
            lambda app: app.decide(org_nr, reference, number, tuple(data.clauses), data.matter)
        )

    @write_route(
        f"{_PARAGRAPH}/reservations",
        operation_id="EnterReservation",
        summary="Enter a reservation against a decision",
        guard=forbund_writer,
    )
    async def reservation(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[ReservationCreate],
    ) -> Written:
        return await commands.record(
            lambda app: app.enter_reservation(org_nr, reference, number, data.name, data.motivation, data.on_behalf_of)
        )

    @write_route(
        f"{_PARAGRAPH}/information",
        operation_id="NoteInformation",
        summary="Note an information item",
        guard=forbund_writer,
    )
    async def information(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[InformationNote],
    ) -> Written:
        return await commands.record(lambda app: app.note_information(org_nr, reference, number, data.text))

    @write_route(
        f"{_PARAGRAPH}/conflicts",
        operation_id="DeclareConflict",
        summary="Declare a conflict of interest",
        guard=forbund_writer,
    )
    async def conflict(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[ConflictDeclare],
    ) -> Written:
        return await commands.record(lambda app: app.declare_conflict(org_nr, reference, number, data.name))

    @write_route(
        f"{_PARAGRAPH}/tablings",
        operation_id="TableItem",
        summary="Table an item to a later meeting",
        guard=forbund_writer,
    )
    async def table(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[TablingCreate],
    ) -> Written:
        return await commands.record(
            lambda app: app.table(org_nr, reference, number, data.item, data.reason, data.to_meeting)
        )

    @write_route(
        f"{_PARAGRAPH}/assignments",
        operation_id="GiveAssignment",
        summary="Give an assignment (uppdrag)",
        guard=forbund_writer,
    )
    async def assign(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[AssignmentCreate],
    ) -> Written:
        return await commands.record(
            lambda app: app.assign(org_nr, reference, number, data.assignee, data.task, data.due_on)
        )

    @write_route(
        f"{_PARAGRAPH}/assignment-completions",
        operation_id="CompleteAssignment",
        summary="Report an assignment as done",
        guard=forbund_writer,
    )
    async def complete_assignment(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[AssignmentComplete],
    ) -> Written:
        return await commands.record(
            lambda app: app.complete_assignment(org_nr, reference, number, data.assignee, data.completed_on)
        )

    @write_route(
        f"{_PARAGRAPH}/documents",
        operation_id="ReceiveDocument",
        summary="Report an incoming document",
        guard=forbund_writer,
    )
    async def document(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[DocumentReceive],
    ) -> Written:
        return await commands.record(
            lambda app: app.receive_document(
                org_nr, reference, number, data.registry_number, data.sender, data.title, data.received_on
            )
        )

    @write_route(
        f"{_PARAGRAPH}/corrections",
        operation_id="CorrectMinutes",
        summary="Correct a paragraph of adjusted minutes",
        guard=forbund_writer,
    )
    async def correct(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[CorrectionCreate],
    ) -> Written:
        return await commands.record(
            lambda app: app.correct(org_nr, reference, number, data.text, data.reason, data.recorded_on)
        )


def _take_vote(app: Finsam, org_nr: str, reference: str, number: int, data: VoteCreate) -> VoteRecord:
    """Take the vote; the answer is the record it made (outcome, explanation, rule)."""
    return app.vote(org_nr, reference, number, data.proposal, dict(data.ballots), data.matter)
