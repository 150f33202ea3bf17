"""The public/draft boundary in the service's reads: the one place that filters on draft marks.

Minutes that are not adjusted (justerade) are drafts. Who may read a förbund's drafts is decided by
:func:`finsam_service.access.may_read_drafts` alone (the förbund's writers and admins). *What* is a
draft is marked by the projection, from the domain's own facts (:mod:`finsam_core.projections.drafts`):
a view row that a decision authorised carries ``decided_in`` (the ids of the meetings it derives
from), and an event that derives from a meeting still in draft has a row in ``finsam_draft_events``.
The row is final when every one of its meetings is final in ``finsam_meetings``: SQL function
``finsam_final(decided_in)`` (:mod:`finsam_core.projections.postgres_schema`). Nothing is copied when
minutes are adjusted: the row turns public at the moment its meeting's row does. The audit trail
shows the public each stream only up to its first marked event: a stream is never shown with a gap.

The meeting's own rows (``finsam_meetings``, ``finsam_decisions``) carry ``final`` itself. Public reads
filter on these in SQL, with :func:`visible` (the förbund's own reads: its writers see everything) or
:func:`final_only` (reads across förbund). Reads replayed from the log instead of the views use
:func:`final_meetings` with :func:`~finsam_core.projections.drafts.decided_in`.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from finsam_core.domain.charter import DecisionRef
from finsam_core.projections.drafts import decided_in

__all__ = [
    "decided_in",
    "final_meetings",
    "final_only",
    "replayed_shown",
    "shown",
    "visible",
    "visible_own",
    "withheld_streams",
]


def shown(final: bool, drafts: bool) -> bool:
    """Whether a meeting's own record may be shown: its minutes are adjusted, or ``drafts`` (the
    caller may read the förbund's drafts, :func:`~finsam_service.access.may_read_drafts`)."""
    return final or drafts


def visible_own(drafts: str, column: str = "final") -> str:
    """SQL for :func:`shown` over a meeting's own rows (``finsam_meetings``, ``finsam_decisions``,
    ``finsam_assignments``); ``drafts`` is the parameter holding ``may_read_drafts``'s answer."""
    return f"({column} OR {drafts})"


def final_only(column: str = "decided_in") -> str:
    """SQL: the row derives only from adjusted minutes (or from no minutes at all)."""
    return f"finsam_final({column})"


def visible(drafts: str, column: str = "decided_in") -> str:
    """SQL: the row may be shown; ``drafts`` is the parameter holding ``may_read_drafts``'s answer."""
    return f"({drafts} OR finsam_final({column}))"


def replayed_shown(final: frozenset[str] | None, forbund_id: UUID, ref: DecisionRef | None) -> bool:
    """For reads replayed from the log: whether what the decision ``ref`` authorised may be shown.

    ``final`` holds the ids of the förbund's adjusted meetings (:func:`final_meetings`), or is
    ``None`` when the caller may read drafts; SQL's ``finsam_final`` in Python.
    """
    return final is None or final.issuperset(decided_in(forbund_id, [ref]))


async def final_meetings(pool: asyncpg.Pool, org_nr: str) -> frozenset[str]:
    """The ids of the förbund's meetings whose minutes are adjusted (for reads replayed from the log)."""
    rows = await pool.fetch("SELECT meeting_id FROM finsam_meetings WHERE org_nr = $1 AND final", org_nr)
    return frozenset(str(r["meeting_id"]) for r in rows)


async def withheld_streams(pool: asyncpg.Pool) -> dict[UUID, int]:
    """Stream -> the position of its first event that derives from minutes still in draft."""
    rows = await pool.fetch("SELECT stream, min(position) AS first FROM finsam_draft_events GROUP BY stream")
    return {r["stream"]: int(r["first"]) for r in rows}
