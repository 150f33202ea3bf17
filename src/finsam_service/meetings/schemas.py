"""Request and response bodies for meetings (attendance, adjusters, signatures, the notice) and the registers
kept from their minutes (decisions, open assignments). A paragraph's own: :mod:`.paragraphs.schemas`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

import msgspec

from finsam_core.domain.meeting import Capacity
from finsam_service.inputs import Body, Items, Line, Number

__all__ = [
    "AdjustersElect",
    "Assignment",
    "AttendanceRecord",
    "AttendeeIn",
    "MeetingCreate",
    "MeetingSummary",
    "NoticePost",
    "NoticeTakeDown",
    "NoticeWritten",
    "SignatureCreate",
    "SignatureWritten",
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


class NoticeTakeDown(Body, frozen=True, forbid_unknown_fields=True):
    taken_down_on: date


class MeetingSummary(msgspec.Struct, frozen=True):
    org_nr: str
    reference: str
    held_on: date
    place: str
    final: bool
    adjusted_on: date | None


class Assignment(msgspec.Struct, frozen=True):
    """An assignment (uppdrag) not yet reported done."""

    meeting: str
    paragraph: int
    assignee: str
    task: str
    due_on: date | None
    overdue: bool
    final: bool
    """Whether the minutes that gave it are adjusted (only these are public)."""
