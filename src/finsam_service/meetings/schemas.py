"""Request and response bodies for meetings, paragraphs, votes, decisions, reservations and signatures."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

import msgspec

from finsam_core.domain.meeting import Capacity
from finsam_core.values import Ballot, MatterKind
from finsam_service.inputs import Body, Items, Line, Number, Text

__all__ = [
    "AdjustersElect",
    "AttendanceRecord",
    "AttendeeIn",
    "DecisionCreate",
    "DecisionEntry",
    "MeetingCreate",
    "MeetingSummary",
    "NoticePost",
    "NoticeWritten",
    "ParagraphCreate",
    "ParagraphWritten",
    "ReservationCreate",
    "SignatureCreate",
    "SignatureWritten",
    "VoteCreate",
    "VoteWritten",
]


class MeetingCreate(Body, frozen=True):
    reference: Line
    held_on: date
    place: Line
    opens_at: time | None = None
    closes_at: time | None = None
    agenda: Annotated[list[Line], Items] = msgspec.field(default_factory=list)


class AttendeeIn(Body, frozen=True):
    name: Line
    capacity: Capacity
    member_key: Line | None = None
    stands_in_for: Line | None = None
    title: Line = ""
    paragraphs: Annotated[list[Number], Items] = msgspec.field(default_factory=list)


class AttendanceRecord(Body, frozen=True):
    attendees: Annotated[list[AttendeeIn], Items]
    chair: Line
    secretary: Line


class AdjustersElect(Body, frozen=True):
    names: Annotated[list[Line], Items]


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


class SignatureCreate(Body, frozen=True):
    name: Line
    signed_at: datetime
    sha256: Line | None = None


class SignatureWritten(msgspec.Struct, frozen=True):
    final: bool
    position: int


class NoticePost(Body, frozen=True):
    posted_on: date
    place: Line


class NoticeWritten(msgspec.Struct, frozen=True):
    appeal_ends_on: date
    position: int


class MeetingSummary(msgspec.Struct, frozen=True):
    org_nr: str
    reference: str
    held_on: date
    place: str
    final: bool
    adjusted_on: date | None


class DecisionEntry(msgspec.Struct, frozen=True):
    org_nr: str
    meeting: str
    held_on: date
    paragraph: int
    title: str
    clauses: list[str]
    matter: str
    outcome: str | None
    reservations: list[str]
    final: bool
