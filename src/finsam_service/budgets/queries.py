"""SQL over the ``finsam_budget_status`` and ``finsam_allocations`` views."""

from __future__ import annotations

import asyncpg
import msgspec

from finsam_core.projections.budget_status import BudgetStatus
from finsam_service.drafts import visible

__all__ = ["budget_status", "budget_years"]


async def budget_status(pool: asyncpg.Pool, org_nr: str, year: int, *, drafts: bool) -> BudgetStatus | None:
    """The status, unless it derives from minutes not yet adjusted and ``drafts`` is false."""
    text = await pool.fetchval(
        f"SELECT status::text FROM finsam_budget_status WHERE org_nr = $1 AND year = $2 AND {visible('$3')}",
        org_nr,
        year,
        drafts,
    )
    return None if text is None else msgspec.json.decode(text, type=BudgetStatus)


async def budget_years(pool: asyncpg.Pool, org_nr: str, *, drafts: bool) -> list[int]:
    rows = await pool.fetch(
        f"SELECT year FROM finsam_budget_status WHERE org_nr = $1 AND {visible('$2')} ORDER BY year", org_nr, drafts
    )
    return [int(r["year"]) for r in rows]
