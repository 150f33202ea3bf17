"""SQL over the ``finsam_plan_years`` view: a förbund's plan for a year, and every förbund's for the network.

The network's sums come from the core's :func:`~finsam_core.projections.activity_plans.network_fulfilment`,
so "comparable" and "met" are defined in one place, not restated in SQL.
"""

from __future__ import annotations

import asyncpg
import msgspec

from finsam_core.projections.activity_plans import NetworkPlans, network_fulfilment
from finsam_core.projections.plan_rows import PlanYear
from finsam_service.drafts import final_only, visible

__all__ = ["network_plans", "plan_year"]

_NAMES = """
    SELECT org_nr, name FROM finsam_forbund
    UNION ALL
    SELECT org_nr, name FROM finsam_nns_forbund WHERE org_nr NOT IN (SELECT org_nr FROM finsam_forbund)
"""


async def plan_year(pool: asyncpg.Pool, org_nr: str, year: int, *, drafts: bool) -> PlanYear | None:
    """The plan governing ``year``, unless its decisions are in minutes not yet adjusted and ``drafts`` is false."""
    text = await pool.fetchval(
        f"SELECT plan::text FROM finsam_plan_years WHERE org_nr = $1 AND year = $2 AND {visible('$3')}",
        org_nr,
        year,
        drafts,
    )
    return None if text is None else msgspec.json.decode(text, type=PlanYear)


async def network_plans(pool: asyncpg.Pool, year: int) -> NetworkPlans:
    """Every förbund's plan for ``year`` that derives only from adjusted minutes, summed."""
    rows = await pool.fetch(
        f"""
        WITH names AS ({_NAMES})
        SELECT coalesce(n.name, p.org_nr) AS name, p.plan::text AS plan
        FROM finsam_plan_years p LEFT JOIN names n ON n.org_nr = p.org_nr
        WHERE p.year = $1 AND {final_only("p.decided_in")} ORDER BY name, p.org_nr
        """,
        year,
    )
    return network_fulfilment(year, [(r["name"], msgspec.json.decode(r["plan"], type=PlanYear)) for r in rows])
