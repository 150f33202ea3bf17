"""SQL over the ``finsam_meetings``, ``finsam_decisions`` and ``finsam_assignments`` views."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
import msgspec

from finsam_core.projections.registers import is_overdue
from finsam_service.drafts import visible_own
from finsam_service.meetings.schemas import Assignment, DecisionEntry, MeetingSummary

__all__ = ["VotedDecision", "decisions", "decisions_with_votes", "meeting_minutes", "meetings", "open_assignments"]


class VotedDecision(msgspec.Struct, frozen=True):
    """A decision of the register with the vote the view counted for it (``None``: decided without a vote)."""

    entry: DecisionEntry
    yes: int | None
    no: int | None
    abstain: int | None


async def meetings(pool: asyncpg.Pool, org_nr: str, *, drafts: bool) -> list[MeetingSummary]:
    rows = await pool.fetch(
        "SELECT org_nr, reference, held_on, place, final, adjusted_on FROM finsam_meetings "
        f"WHERE org_nr = $1 AND {visible_own('$2')} ORDER BY held_on, reference",
        org_nr,
        drafts,
    )
    return [MeetingSummary(**dict(r)) for r in rows]


async def meeting_minutes(pool: asyncpg.Pool, org_nr: str, reference: str) -> asyncpg.Record | None:
    """The row with ``final``, ``minutes`` (JSON text) and ``minutes_text``."""
    return await pool.fetchrow(
        "SELECT final, minutes::text AS minutes, minutes_text FROM finsam_meetings "
        "WHERE org_nr = $1 AND reference = $2",
        org_nr,
        reference,
    )


async def decisions(
    pool: asyncpg.Pool,
    *,
    org_nr: str | None = None,
    drafts: bool = False,
    since: date | None = None,
    until: date | None = None,
    text: str | None = None,
    matter: str | None = None,
    limit: int = 500,
) -> list[DecisionEntry]:
    """Decisions in date and § order; only those of final minutes unless ``drafts``."""
    rows = await _decision_rows(
        pool, org_nr=org_nr, drafts=drafts, since=since, until=until, text=text, matter=matter, limit=limit
    )
    return [_entry(r) for r in rows]


async def decisions_with_votes(
    pool: asyncpg.Pool, *, org_nr: str | None = None, drafts: bool = False, limit: int = 500, latest: bool = False
) -> list[VotedDecision]:
    """:func:`decisions` with their vote counts (the pages show them); ``latest``: the newest first."""
    rows = await _decision_rows(pool, org_nr=org_nr, drafts=drafts, limit=limit, latest=latest)
    return [VotedDecision(_entry(r), r["yes"], r["no"], r["abstain"]) for r in rows]


async def _decision_rows(
    pool: asyncpg.Pool,
    *,
    org_nr: str | None = None,
    drafts: bool = False,
    since: date | None = None,
    until: date | None = None,
    text: str | None = None,
    matter: str | None = None,
    limit: int = 500,
    latest: bool = False,
) -> list[asyncpg.Record]:
    clauses = [visible_own("$1")]
    args: list[Any] = [drafts]
    for column, op, value in (
        ("org_nr", "=", org_nr),
        ("held_on", ">=", since),
        ("held_on", "<=", until),
        ("matter", "=", matter),
    ):
        if value is not None:
            args.append(value)
            clauses.append(f"{column} {op} ${len(args)}")
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"%{escaped}%")
        clauses.append(f"search ILIKE ${len(args)}")
    args.append(limit)
    order = (
        "held_on DESC, org_nr, meeting, paragraph DESC, seq" if latest else "held_on, org_nr, meeting, paragraph, seq"
    )
    return list(
        await pool.fetch(
            "SELECT org_nr, meeting, held_on, paragraph, title, clauses::text AS clauses, matter, outcome, "
            "reservations::text AS reservations, final, yes, no, abstain FROM finsam_decisions WHERE "
            + " AND ".join(clauses)
            + f" ORDER BY {order} LIMIT ${len(args)}",
            *args,
        )
    )


def _entry(r: asyncpg.Record) -> DecisionEntry:
    return DecisionEntry(
        org_nr=r["org_nr"],
        meeting=r["meeting"],
        held_on=r["held_on"],
        paragraph=r["paragraph"],
        title=r["title"],
        clauses=msgspec.json.decode(r["clauses"], type=list[str]),
        matter=r["matter"],
        outcome=r["outcome"],
        reservations=msgspec.json.decode(r["reservations"], type=list[str]),
        final=r["final"],
    )


async def open_assignments(pool: asyncpg.Pool, org_nr: str, as_of: date, *, drafts: bool) -> list[Assignment]:
    """Assignments not yet reported done, by meeting date; those of drafts only if ``drafts``."""
    rows = await pool.fetch(
        "SELECT meeting, paragraph, assignee, task, due_on, final FROM finsam_assignments "
        f"WHERE org_nr = $1 AND {visible_own('$2')} ORDER BY held_on, meeting, seq",
        org_nr,
        drafts,
    )
    return [
        Assignment(
            meeting=r["meeting"],
            paragraph=r["paragraph"],
            assignee=r["assignee"],
            task=r["task"],
            due_on=r["due_on"],
            overdue=is_overdue(r["due_on"], as_of),
            final=r["final"],
        )
        for r in rows
    ]
