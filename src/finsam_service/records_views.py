"""The rows of the records views (``finsam_forbund``, ``finsam_meetings``, ``finsam_decisions``) and
the statements that write them.

Each writer takes every aggregate a batch touched and writes them in a few statements, whatever
their number: the rows travel as one JSON array (msgspec encodes it in one call) that PostgreSQL
unpacks with ``jsonb_populate_recordset``. The rows are the same as one ``INSERT`` per aggregate
would write. A NUL in any text is shown as U+FFFD (:func:`~finsam_service.view_text.view_json`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
import psycopg

from finsam_core.domain.association import Association
from finsam_core.domain.meeting import Meeting
from finsam_core.domain.minutes import render_minutes
from finsam_core.projections.registers import decision_register
from finsam_service.drafts import decided_in
from finsam_service.view_text import view_json

__all__ = ["MinutesDocument", "MinutesParagraph", "minutes_document", "write_forbund", "write_meetings"]


class MinutesParagraph(msgspec.Struct, frozen=True):
    number: int
    title: str
    body: str
    decisions: tuple[tuple[str, ...], ...]
    reservations: tuple[str, ...]


class MinutesDocument(msgspec.Struct, frozen=True):
    org_nr: str
    forbund: str
    reference: str
    held_on: date
    place: str
    final: bool
    adjusted_on: date | None
    paragraphs: tuple[MinutesParagraph, ...]


def minutes_document(meeting: Meeting) -> MinutesDocument:
    """The minutes as JSON-able data (the view's ``minutes`` column)."""
    return MinutesDocument(
        org_nr=meeting.org_nr,
        forbund=meeting.association_name,
        reference=meeting.reference,
        held_on=meeting.held_on,
        place=meeting.place,
        final=meeting.is_final,
        adjusted_on=meeting.adjusted_on,
        paragraphs=tuple(
            MinutesParagraph(
                number=number,
                title=p.title,
                body=p.body,
                decisions=tuple(clauses for clauses, _ in p.decisions),
                reservations=tuple(name for name, _ in p.reservations),
            )
            for number, p in sorted(meeting.paragraphs.items())
        ),
    )


class _Member(msgspec.Struct):
    key: str
    name: str
    kind: str
    joined_on: date
    leaves_on: date | None
    admitted_in: list[str]
    """The meeting whose decision admitted the member (see ``finsam_service.drafts``)."""
    notice_in: list[str]
    """The meeting whose decision recorded its notice: ``leaves_on`` is a draft until it is final."""


class _ForbundRow(msgspec.Struct):
    org_nr: str
    name: str
    founded_on: date
    members: list[_Member]
    position: int


class _MeetingRow(msgspec.Struct):
    org_nr: str
    reference: str
    meeting_id: UUID
    held_on: date
    place: str
    final: bool
    adjusted_on: date | None
    minutes: MinutesDocument
    minutes_text: str
    position: int


class _MeetingKey(msgspec.Struct):
    org_nr: str
    meeting: str


class _DecisionRow(msgspec.Struct):
    org_nr: str
    meeting: str
    held_on: date
    paragraph: int
    seq: int
    title: str
    clauses: tuple[str, ...]
    matter: str
    outcome: str | None
    reservations: tuple[str, ...]
    final: bool
    search: str


_FORBUND = "org_nr, name, founded_on, members, position"
_UPSERT_FORBUND = (
    f"INSERT INTO finsam_forbund ({_FORBUND}) "
    f"SELECT {_FORBUND} FROM jsonb_populate_recordset(NULL::finsam_forbund, %s::jsonb) "
    "ON CONFLICT (org_nr) DO UPDATE SET name = excluded.name, founded_on = excluded.founded_on, "
    "members = excluded.members, position = excluded.position"
)
_MEETINGS = "org_nr, reference, meeting_id, held_on, place, final, adjusted_on, minutes, minutes_text, position"
_UPSERT_MEETINGS = (
    f"INSERT INTO finsam_meetings ({_MEETINGS}) "
    f"SELECT {_MEETINGS} FROM jsonb_populate_recordset(NULL::finsam_meetings, %s::jsonb) "
    "ON CONFLICT (org_nr, reference) DO UPDATE SET meeting_id = excluded.meeting_id, held_on = excluded.held_on, "
    "place = excluded.place, "
    "final = excluded.final, adjusted_on = excluded.adjusted_on, minutes = excluded.minutes, "
    "minutes_text = excluded.minutes_text, position = excluded.position"
)
_DELETE_DECISIONS = (
    "DELETE FROM finsam_decisions AS d USING jsonb_to_recordset(%s::jsonb) AS m (org_nr text, meeting text) "
    "WHERE d.org_nr = m.org_nr AND d.meeting = m.meeting"
)
_DECISIONS = "org_nr, meeting, held_on, paragraph, seq, title, clauses, matter, outcome, reservations, final, search"
_INSERT_DECISIONS = (
    f"INSERT INTO finsam_decisions ({_DECISIONS}) "
    f"SELECT {_DECISIONS} FROM jsonb_populate_recordset(NULL::finsam_decisions, %s::jsonb)"
)


def write_forbund(cursor: psycopg.Cursor[Any], forbund: Sequence[tuple[Association, int]]) -> None:
    """Upsert the ``finsam_forbund`` rows of these associations, each at its notification position."""
    rows: dict[str, _ForbundRow] = {}
    for association, position in forbund:
        members = [
            _Member(
                m.member.key,
                m.member.name,
                m.member.kind.value,
                m.joined_on,
                m.leaves_on,
                decided_in(association.id, [m.admitted_by]),
                decided_in(association.id, [m.notice_by]),
            )
            for m in association.memberships
        ]
        rows[association.org_nr] = _ForbundRow(
            association.org_nr, association.name, association.founded_on, members, position
        )
    if rows:
        cursor.execute(_UPSERT_FORBUND, (view_json(list(rows.values())),))


def write_meetings(cursor: psycopg.Cursor[Any], meetings: Sequence[tuple[Meeting, int]]) -> None:
    """Upsert the ``finsam_meetings`` rows of these meetings, each at its notification position, and
    replace their ``finsam_decisions`` rows."""
    rows: dict[tuple[str, str], _MeetingRow] = {}
    decisions: dict[tuple[str, str], list[_DecisionRow]] = {}
    for meeting, position in meetings:
        key = (meeting.org_nr, meeting.reference)
        rows[key] = _MeetingRow(
            meeting.org_nr,
            meeting.reference,
            meeting.id,
            meeting.held_on,
            meeting.place,
            meeting.is_final,
            meeting.adjusted_on,
            minutes_document(meeting),
            render_minutes(meeting),
            position,
        )
        decisions[key] = _decision_rows(meeting)
    if not rows:
        return
    cursor.execute(_UPSERT_MEETINGS, (view_json(list(rows.values())),))
    cursor.execute(_DELETE_DECISIONS, (view_json([_MeetingKey(org_nr, ref) for org_nr, ref in rows]),))
    new = [row for meeting_rows in decisions.values() for row in meeting_rows]
    if new:
        cursor.execute(_INSERT_DECISIONS, (view_json(new),))


def _decision_rows(meeting: Meeting) -> list[_DecisionRow]:
    seqs: dict[int, int] = {}
    rows = []
    for entry in decision_register([meeting]):
        seq = seqs[entry.paragraph] = seqs.get(entry.paragraph, -1) + 1
        rows.append(
            _DecisionRow(
                meeting.org_nr,
                entry.meeting,
                entry.held_on,
                entry.paragraph,
                seq,
                entry.title,
                entry.clauses,
                entry.matter,
                entry.outcome,
                entry.reservations,
                entry.final,
                " ".join((entry.title, *entry.clauses)),
            )
        )
    return rows
