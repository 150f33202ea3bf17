"""SQL over the ``finsam_annual_reports`` and ``finsam_participants`` views."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import msgspec

from finsam_core.projections.discharge_status import DischargeStatus
from finsam_service.drafts import visible
from finsam_service.network import queries as network_queries
from finsam_service.reports.schemas import AnnualReportView, ForbundParticipants

__all__ = ["annual_report", "annual_report_years", "participant_years", "participants"]


async def annual_report(pool: asyncpg.Pool, org_nr: str, year: int, *, drafts: bool) -> AnnualReportView | None:
    """The report, unless its approval is in minutes not yet adjusted and ``drafts`` is false."""
    row = await pool.fetchrow(
        "SELECT result::text AS result, equity_at_year_end::text AS equity_at_year_end, discharge::text AS discharge "
        "FROM finsam_annual_reports "
        f"WHERE org_nr = $1 AND year = $2 AND {visible('$3')}",
        org_nr,
        year,
        drafts,
    )
    if row is None:
        return None
    return AnnualReportView(
        org_nr=org_nr,
        year=year,
        result=Decimal(row["result"]),
        equity_at_year_end=Decimal(row["equity_at_year_end"]),
        discharge=msgspec.json.decode(row["discharge"], type=DischargeStatus),
    )


async def participants(pool: asyncpg.Pool, org_nr: str, year: int) -> ForbundParticipants | None:
    """The förbund's entry in the year's published figures: suppressed together with the network's."""
    published = await network_queries.participants(pool, year)
    return next((e for e in published.entries if e.org_nr == org_nr), None)


async def annual_report_years(pool: asyncpg.Pool, org_nr: str, *, drafts: bool) -> list[int]:
    """The years the förbund has an annual report for that the caller may see."""
    rows = await pool.fetch(
        f"SELECT year FROM finsam_annual_reports WHERE org_nr = $1 AND {visible('$2')} ORDER BY year", org_nr, drafts
    )
    return [int(r["year"]) for r in rows]


async def participant_years(pool: asyncpg.Pool, org_nr: str) -> list[int]:
    """The years the förbund has reported participant figures for, latest first."""
    rows = await pool.fetch("SELECT year FROM finsam_participants WHERE org_nr = $1 ORDER BY year DESC", org_nr)
    return [r["year"] for r in rows]
