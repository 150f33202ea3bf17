"""SQL over the ``finsam_delegation``, ``finsam_per_capsulam`` and ``finsam_meetings`` views.

The views keep the facts; whether a decision was reported in time is the core's rule
(:mod:`finsam_core.projections.delegation`), applied here to the facts and the förbund's meetings. What
derives from minutes not yet adjusted (an order adopted there, a report made there) is shown only to
those who may read the förbund's drafts (:mod:`finsam_service.drafts`), marked ``draft``.
"""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from finsam_core.projections.delegation import (
    DecisionFact,
    DelegatedDecisionRow,
    DelegationOrderRow,
    PerCapsulamFact,
    PerCapsulamRow,
    decision_rows,
    orders_shown,
    per_capsulam_rows,
)
from finsam_core.projections.delegation import order_on as in_force
from finsam_service.drafts import final_meetings
from finsam_service.forbund.queries import known_forbund

__all__ = ["decisions", "order_on", "orders", "per_capsulam"]


async def _meetings(pool: asyncpg.Pool, org_nr: str) -> tuple[list[tuple[str, date]], frozenset[str]]:
    """The förbund's meetings (reference, date) and the references of those whose minutes are drafts."""
    rows = await pool.fetch("SELECT reference, held_on, final FROM finsam_meetings WHERE org_nr = $1", org_nr)
    return [(r["reference"], r["held_on"]) for r in rows], frozenset(r["reference"] for r in rows if not r["final"])


async def orders(pool: asyncpg.Pool, org_nr: str, *, drafts: bool) -> list[DelegationOrderRow]:
    """Every order the board adopted, oldest first, each with the day it ended (the history); an order
    adopted in minutes not yet adjusted only if ``drafts`` (marked), else the one before stays in force."""
    await known_forbund(pool, org_nr)
    raw = await pool.fetchval("SELECT orders::text FROM finsam_delegation WHERE org_nr = $1", org_nr)
    found = [] if raw is None else msgspec.json.decode(raw, type=list[DelegationOrderRow])
    return orders_shown(found, await final_meetings(pool, org_nr), drafts=drafts)


async def order_on(pool: asyncpg.Pool, org_nr: str, day: date, *, drafts: bool) -> DelegationOrderRow | None:
    """The order in force on ``day`` among those :func:`orders` shows; ``NotFound`` for an unknown förbund."""
    return in_force(await orders(pool, org_nr, drafts=drafts), day)


async def decisions(pool: asyncpg.Pool, org_nr: str, *, drafts: bool) -> list[DelegatedDecisionRow]:
    """Delegated decisions; a report in minutes not yet adjusted counts only if ``drafts`` (marked)."""
    await known_forbund(pool, org_nr)
    raw = await pool.fetchval("SELECT decisions::text FROM finsam_delegation WHERE org_nr = $1", org_nr)
    facts = [] if raw is None else msgspec.json.decode(raw, type=list[DecisionFact])
    meetings, draft_meetings = await _meetings(pool, org_nr)
    return decision_rows(facts, meetings, draft_meetings, drafts=drafts)


async def per_capsulam(pool: asyncpg.Pool, org_nr: str, *, drafts: bool) -> list[PerCapsulamRow]:
    """Per capsulam decisions; a report in minutes not yet adjusted counts only if ``drafts`` (marked)."""
    await known_forbund(pool, org_nr)
    raw = await pool.fetchval("SELECT proposals::text FROM finsam_per_capsulam WHERE org_nr = $1", org_nr)
    facts = [] if raw is None else msgspec.json.decode(raw, type=list[PerCapsulamFact])
    meetings, draft_meetings = await _meetings(pool, org_nr)
    return per_capsulam_rows(facts, meetings, draft_meetings, drafts=drafts)
