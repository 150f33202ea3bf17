"""The public/draft boundary: what derives from minutes that are not yet adjusted, in one place.

Minutes that are not adjusted (justerade) are drafts. Who may read a förbund's drafts is decided by
:func:`finsam_service.access.may_read_drafts` alone (the förbund's writers and admins). *What* is a
draft is marked by the projection, from the domain's own facts, in two ways:

- A view row that a decision authorised carries ``decided_in``: a JSON array of the ids of the
  förbund's meetings whose decisions it derives from (a budget's adoption and revisions, the year's
  allocation, an annual report's approval, a member's admission or notice). The row is final when
  every one of those meetings is final in ``finsam_meetings`` (the domain's ``Meeting.is_final``):
  SQL function ``finsam_final(decided_in)``. Nothing is copied when minutes are adjusted: the row
  turns public at the moment its meeting's row does.
- An event in the log that derives from a meeting (the meeting's own stream, the förbund's index
  entry and the minute book's § numbers for it, and every event that cites one of its decisions)
  has a row in ``finsam_draft_events`` while that meeting is not final. The audit trail shows the
  public each stream only up to its first such event: a stream is never shown with a gap.

The meeting's own rows (``finsam_meetings``, ``finsam_decisions``) carry ``final`` itself. Public reads
filter on these in SQL, with :func:`visible` (the förbund's own reads: its writers see everything) or
:func:`final_only` (reads across förbund). Reads replayed from the log instead of the views use
:func:`final_meetings` with :func:`decided_in`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
import psycopg
from eventsourcing.persistence import Notification

from finsam_core.application import Finsam
from finsam_core.domain.association import Association
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.meeting import meeting_id

__all__ = [
    "DRAFTS_SCHEMA",
    "decided_in",
    "draft_events",
    "final_meetings",
    "final_only",
    "visible",
    "withheld_streams",
    "write_draft_events",
]

DRAFTS_SCHEMA = """
ALTER TABLE finsam_meetings ADD COLUMN IF NOT EXISTS meeting_id uuid;
CREATE UNIQUE INDEX IF NOT EXISTS finsam_meetings_meeting_id ON finsam_meetings (meeting_id);
ALTER TABLE finsam_allocations ADD COLUMN IF NOT EXISTS decided_in jsonb NOT NULL DEFAULT '[]';
ALTER TABLE finsam_budget_status ADD COLUMN IF NOT EXISTS decided_in jsonb NOT NULL DEFAULT '[]';
ALTER TABLE finsam_annual_reports ADD COLUMN IF NOT EXISTS decided_in jsonb NOT NULL DEFAULT '[]';
CREATE TABLE IF NOT EXISTS finsam_draft_events (
    position bigint NOT NULL,
    stream uuid NOT NULL,
    meeting_id uuid NOT NULL,
    PRIMARY KEY (position, meeting_id)
);
CREATE INDEX IF NOT EXISTS finsam_draft_events_meeting ON finsam_draft_events (meeting_id);
CREATE OR REPLACE FUNCTION finsam_final(decided_in jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(coalesce(decided_in, '[]'::jsonb)) AS d(id)
        WHERE NOT EXISTS (SELECT 1 FROM finsam_meetings m WHERE m.meeting_id = d.id::uuid AND m.final)
    )
$$;
"""
"""Applied after the views' own schema: the marks and the one SQL test of finality."""


def final_only(column: str = "decided_in") -> str:
    """SQL: the row derives only from adjusted minutes (or from no minutes at all)."""
    return f"finsam_final({column})"


def visible(drafts: str, column: str = "decided_in") -> str:
    """SQL: the row may be shown; ``drafts`` is the parameter holding ``may_read_drafts``'s answer."""
    return f"({drafts} OR finsam_final({column}))"


def decided_in(association_id: UUID, refs: Iterable[DecisionRef | None]) -> list[str]:
    """The ids of the förbund's meetings whose decisions ``refs`` cite (other bodies' are left out)."""
    return sorted({str(meeting_id(association_id, ref.meeting)) for ref in refs if ref is not None and ref.meeting})


_MEETING = "finsam_core.domain.meeting:Meeting."
_json = msgspec.json.Encoder()


class _Mark(msgspec.Struct):
    position: int
    stream: UUID
    meeting_id: UUID


_CITING = (
    "finsam_core.domain.association:Association.",
    "finsam_core.domain.minute_book:MinuteBook.",
    "finsam_core.domain.budget:Budget.",
    "finsam_core.domain.allocation:Allocation.",
    "finsam_core.domain.annual_report:AnnualReport.",
)


def _cited(value: Any) -> Iterable[DecisionRef]:
    """The decisions an event's attribute cites: itself, or a version's or a discharge's decision."""
    if isinstance(value, DecisionRef):
        yield value
    for name in ("authorised_by", "decision"):
        inner = getattr(value, name, None)
        if isinstance(inner, DecisionRef):
            yield inner


def draft_events(
    app: Finsam, notifications: Sequence[Notification], aggregates: Mapping[UUID, tuple[Any, int]]
) -> list[tuple[int, UUID, UUID]]:
    """(position, stream, meeting id) of every event in the batch that derives from a meeting's minutes.

    ``aggregates`` are the batch's rebuilt aggregates (originator id -> (aggregate, position)): they
    name the förbund whose minutes a cited decision is in.
    """
    found: list[tuple[int, UUID, UUID]] = []
    for notification in notifications:
        stream: UUID = notification.originator_id  # type: ignore[assignment]
        if notification.topic.startswith(_MEETING):
            if notification.originator_version == 1:  # The whole stream follows its first event.
                found.append((notification.id, stream, stream))
            continue
        if not notification.topic.startswith(_CITING):
            continue
        event = app.mapper.to_domain_event(notification)
        meetings: set[UUID] = set()
        cited_meeting = getattr(event, "meeting_id", None)
        if isinstance(cited_meeting, UUID):
            meetings.add(cited_meeting)
        aggregate = aggregates.get(stream, (None, 0))[0]
        association = stream if isinstance(aggregate, Association) else getattr(aggregate, "association_id", None)
        if isinstance(association, UUID):
            for value in vars(event).values():
                meetings.update(UUID(m) for m in decided_in(association, _cited(value)))
        found.extend((notification.id, stream, meeting) for meeting in sorted(meetings))
    return found


def write_draft_events(
    cursor: psycopg.Cursor[Any], rows: Sequence[tuple[int, UUID, UUID]], adjusted: Iterable[UUID]
) -> None:
    """Mark these events, unless their meeting is final already; forget the marks of the meetings
    ``adjusted`` (those whose rows this batch wrote as final).

    Minutes never return to draft once adjusted (the domain refuses every change to them), so a
    mark can be dropped for good; the table holds only the marks of meetings still in draft.
    """
    if rows:
        cursor.execute(
            "INSERT INTO finsam_draft_events (position, stream, meeting_id) "
            "SELECT r.position, r.stream, r.meeting_id "
            "FROM jsonb_to_recordset(%s::jsonb) AS r (position bigint, stream uuid, meeting_id uuid) "
            "WHERE NOT EXISTS (SELECT 1 FROM finsam_meetings m WHERE m.meeting_id = r.meeting_id AND m.final) "
            "ON CONFLICT DO NOTHING",
            (_json.encode([_Mark(*row) for row in rows]).decode(),),
        )
    done = [str(meeting) for meeting in adjusted]
    if done:
        cursor.execute("DELETE FROM finsam_draft_events WHERE meeting_id = ANY(%s::uuid[])", (done,))


async def final_meetings(pool: asyncpg.Pool, org_nr: str) -> frozenset[str]:
    """The ids of the förbund's meetings whose minutes are adjusted (for reads replayed from the log)."""
    rows = await pool.fetch("SELECT meeting_id FROM finsam_meetings WHERE org_nr = $1 AND final", org_nr)
    return frozenset(str(r["meeting_id"]) for r in rows)


async def withheld_streams(pool: asyncpg.Pool) -> dict[UUID, int]:
    """Stream -> the position of its first event that derives from minutes still in draft."""
    rows = await pool.fetch("SELECT stream, min(position) AS first FROM finsam_draft_events GROUP BY stream")
    return {r["stream"]: int(r["first"]) for r in rows}
