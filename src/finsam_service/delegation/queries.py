"""SQL over the ``finsam_delegation``, ``finsam_per_capsulam`` and ``finsam_meetings`` views.

The views keep the facts; whether a decision was reported in time is the core's rule
(:mod:`finsam_core.projections.delegation`), applied here to the facts and the förbund's meetings.
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
    per_capsulam_rows,
)
from finsam_service.forbund.queries import known_forbund

__all__ = ["decisions", "order_on", "orders", "per_capsulam"]


async def _meetings(pool: asyncpg.Pool, org_nr: str) -> list[tuple[str, date]]:
    rows = await pool.fetch("SELECT reference, held_on FROM finsam_meetings WHERE org_nr = $1", org_nr)
    return [(r["reference"], r["held_on"]) for r in rows]


async def order_on(pool: asyncpg.Pool, org_nr: str, day: date) -> DelegationOrderRow | None:
    """The order in force on ``day``; ``NotFound`` for an unknown förbund."""
    await known_forbund(pool, org_nr)
    found = await pool.fetchval(
        "SELECT o::text FROM finsam_delegation d, jsonb_array_elements(d.orders) AS o "
        "WHERE d.org_nr = $1 AND (o->>'valid_from')::date <= $2 "
        "AND (o->>'valid_to' IS NULL OR (o->>'valid_to')::date >= $2)",
        org_nr,
        day,
    )
    return None if found is None else msgspec.json.decode(found, type=DelegationOrderRow)


async def orders(pool: asyncpg.Pool, org_nr: str) -> list[DelegationOrderRow]:
    """Every order the board adopted, oldest first, each with the day it ended (the history)."""
    await known_forbund(pool, org_nr)
    raw = await pool.fetchval("SELECT orders::text FROM finsam_delegation WHERE org_nr = $1", org_nr)
    return [] if raw is None else msgspec.json.decode(raw, type=list[DelegationOrderRow])


async def decisions(pool: asyncpg.Pool, org_nr: str) -> list[DelegatedDecisionRow]:
    await known_forbund(pool, org_nr)
    raw = await pool.fetchval("SELECT decisions::text FROM finsam_delegation WHERE org_nr = $1", org_nr)
    facts = [] if raw is None else msgspec.json.decode(raw, type=list[DecisionFact])
    return decision_rows(facts, await _meetings(pool, org_nr))


async def per_capsulam(pool: asyncpg.Pool, org_nr: str) -> list[PerCapsulamRow]:
    await known_forbund(pool, org_nr)
    raw = await pool.fetchval("SELECT proposals::text FROM finsam_per_capsulam WHERE org_nr = $1", org_nr)
    facts = [] if raw is None else msgspec.json.decode(raw, type=list[PerCapsulamFact])
    return per_capsulam_rows(facts, await _meetings(pool, org_nr))
