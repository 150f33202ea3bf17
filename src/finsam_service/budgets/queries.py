"""SQL over the ``finsam_budget_status`` and ``finsam_allocations`` views."""

from __future__ import annotations

import asyncpg
import msgspec

from finsam_core.projections.budget_status import BudgetStatus

__all__ = ["budget_status", "budget_years"]


async def budget_status(pool: asyncpg.Pool, org_nr: str, year: int) -> BudgetStatus | None:
    text = await pool.fetchval(
        "SELECT status::text FROM finsam_budget_status WHERE org_nr = $1 AND year = $2", org_nr, year
    )
    return None if text is None else msgspec.json.decode(text, type=BudgetStatus)


async def budget_years(pool: asyncpg.Pool, org_nr: str) -> list[int]:
    rows = await pool.fetch("SELECT year FROM finsam_budget_status WHERE org_nr = $1 ORDER BY year", org_nr)
    return [int(r["year"]) for r in rows]
