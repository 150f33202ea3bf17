"""Request and response bodies for a meeting's paragraphs (§): what each records, votes and decisions first."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.values import Ballot, MatterKind
from finsam_service.inputs import Body, Items, Line, Number, Text

__all__ = [
    "AssignmentComplete",
    "AssignmentCreate",
    "ConflictDeclare",
    "CorrectionCreate",
    "DecisionCreate",
    "DocumentReceive",
    "InformationNote",
    "ParagraphCreate",
    "ParagraphWritten",
    "ReservationCreate",
    "TablingCreate",
    "VoteCreate",
    "VoteWritten",
]


class ParagraphCreate(Body, frozen=True):
    title: Line
    body: Text = ""
    number: Number | None = None


class ParagraphWritten(msgspec.Struct, frozen=True):
    number: int
    position: int


class VoteCreate(Body, frozen=True):
    proposal: Text
    ballots: Annotated[dict[Line, Ballot], Items]
    matter: MatterKind = MatterKind.GENERAL


class VoteWritten(msgspec.Struct, frozen=True):
    outcome: str
    explanation: str
    position: int


class DecisionCreate(Body, frozen=True):
    clauses: Annotated[list[Text], Items]
    matter: MatterKind = MatterKind.GENERAL


class ReservationCreate(Body, frozen=True):
    name: Line
    motivation: Text
    on_behalf_of: Line | None = None


class InformationNote(Body, frozen=True, forbid_unknown_fields=True):
    text: Text


class ConflictDeclare(Body, frozen=True, forbid_unknown_fields=True):
    """Jäv: ``name`` takes no part in the paragraph."""

    name: Line


class TablingCreate(Body, frozen=True, forbid_unknown_fields=True):
    item: Line
    reason: Text
    to_meeting: Line | None = None


class AssignmentCreate(Body, frozen=True, forbid_unknown_fields=True):
    assignee: Line
    task: Text
    due_on: date | None = None


class AssignmentComplete(Body, frozen=True, forbid_unknown_fields=True):
    assignee: Line
    completed_on: date


class DocumentReceive(Body, frozen=True, forbid_unknown_fields=True):
    """An incoming document (inkommande handling) reported to the board."""

    registry_number: Line
    sender: Line
    title: Line
    received_on: date


class CorrectionCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A correction of adjusted minutes: the signed text stays, the correction is shown beside it."""

    text: Text
    reason: Text
    recorded_on: date
