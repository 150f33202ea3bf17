"""Request and response bodies for meetings, paragraphs, votes, decisions, reservations and signatures."""

from __future__ import annotations

from datetime import date, datetime, time

import msgspec

from finsam_core.domain.meeting import Capacity
from finsam_core.domain.values import Ballot, MatterKind

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


class MeetingCreate(msgspec.Struct, frozen=True):
    reference: str
    held_on: date
    place: str
    opens_at: time | None = None
    closes_at: time | None = None
    agenda: list[str] = msgspec.field(default_factory=list)


class AttendeeIn(msgspec.Struct, frozen=True):
    name: str
    capacity: Capacity
    member_key: str | None = None
    stands_in_for: str | None = None
    title: str = ""
    paragraphs: list[int] = msgspec.field(default_factory=list)


class AttendanceRecord(msgspec.Struct, frozen=True):
    attendees: list[AttendeeIn]
    chair: str
    secretary: str


class AdjustersElect(msgspec.Struct, frozen=True):
    names: list[str]


class ParagraphCreate(msgspec.Struct, frozen=True):
    title: str
    body: str = ""
    number: int | None = None


class ParagraphWritten(msgspec.Struct, frozen=True):
    number: int
    position: int


class VoteCreate(msgspec.Struct, frozen=True):
    proposal: str
    ballots: dict[str, Ballot]
    matter: MatterKind = MatterKind.GENERAL


class VoteWritten(msgspec.Struct, frozen=True):
    outcome: str
    explanation: str
    position: int


class DecisionCreate(msgspec.Struct, frozen=True):
    clauses: list[str]
    matter: MatterKind = MatterKind.GENERAL


class ReservationCreate(msgspec.Struct, frozen=True):
    name: str
    motivation: str
    on_behalf_of: str | None = None


class SignatureCreate(msgspec.Struct, frozen=True):
    name: str
    signed_at: datetime
    sha256: str | None = None


class SignatureWritten(msgspec.Struct, frozen=True):
    final: bool
    position: int


class NoticePost(msgspec.Struct, frozen=True):
    posted_on: date
    place: str


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
