"""SQL over the ``finsam_assignments`` view: the open assignments of a förbund."""

from __future__ import annotations

from datetime import date

import asyncpg

from finsam_core.projections.registers import is_overdue
from finsam_service.board.schemas import Assignment
from finsam_service.drafts import visible_own

__all__ = ["open_assignments"]


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
