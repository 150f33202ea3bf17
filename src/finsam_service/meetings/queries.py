"""SQL over the ``finsam_meetings``, ``finsam_decisions`` and ``finsam_assignments`` views."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
import msgspec

from finsam_core.projections.registers import DecisionEntry, is_overdue
from finsam_service.drafts import visible_own
from finsam_service.meetings.schemas import Assignment, MeetingSummary

__all__ = ["decisions", "meeting_minutes", "meeting_sheet", "meetings", "open_assignments"]


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


async def meeting_sheet(pool: asyncpg.Pool, org_nr: str, reference: str) -> asyncpg.Record | None:
    """The row with ``final`` and ``sheet`` (JSON text): the minutes as the documents lay them out."""
    return await pool.fetchrow(
        "SELECT final, sheet::text AS sheet FROM finsam_meetings WHERE org_nr = $1 AND reference = $2",
        org_nr,
        reference,
    )


_IN_ORDER = "held_on, org_nr, meeting, paragraph, seq"
_LATEST = "held_on DESC, org_nr, meeting, paragraph DESC, seq"


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
    latest: bool = False,
) -> list[DecisionEntry]:
    """Decisions in date and § order (``latest``: the newest first); only those of final minutes unless ``drafts``."""
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
    rows = await pool.fetch(
        "SELECT org_nr, meeting, held_on, paragraph, title, clauses::text AS clauses, matter, yes, no, abstain, "
        "outcome, reservations::text AS reservations, final, amount, period FROM finsam_decisions WHERE "
        + " AND ".join(clauses)
        + f" ORDER BY {_LATEST if latest else _IN_ORDER} LIMIT ${len(args)}",
        *args,
    )
    return [
        DecisionEntry(
            org_nr=r["org_nr"],
            meeting=r["meeting"],
            held_on=r["held_on"],
            paragraph=r["paragraph"],
            title=r["title"],
            clauses=msgspec.json.decode(r["clauses"], type=tuple[str, ...]),
            matter=r["matter"],
            yes=r["yes"],
            no=r["no"],
            abstain=r["abstain"],
            outcome=r["outcome"],
            reservations=msgspec.json.decode(r["reservations"], type=tuple[str, ...]),
            final=r["final"],
            amount=r["amount"],
            period=r["period"],
        )
        for r in rows
    ]


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
