"""SQL over ``finsam_annual_reports``: one förbund's discharge status, and the network's picture."""

from __future__ import annotations

import asyncpg
import msgspec

from finsam_core.projections.discharge_status import DischargeStatus
from finsam_service.discharge.schemas import ForbundDischarge, NetworkDischarge, WaitingMember
from finsam_service.drafts import final_only, visible

__all__ = ["discharge_status", "network_discharge"]


async def discharge_status(pool: asyncpg.Pool, org_nr: str, year: int, *, drafts: bool) -> DischargeStatus | None:
    text = await pool.fetchval(
        f"SELECT discharge::text FROM finsam_annual_reports WHERE org_nr = $1 AND year = $2 AND {visible('$3')}",
        org_nr,
        year,
        drafts,
    )
    return None if text is None else msgspec.json.decode(text, type=DischargeStatus)


async def network_discharge(pool: asyncpg.Pool, year: int) -> NetworkDischarge:
    """Every förbund with an annual report for ``year`` approved in adjusted minutes."""
    rows = await pool.fetch(
        f"""
        SELECT r.org_nr, coalesce(f.name, r.org_nr) AS name, r.discharge::text AS discharge
        FROM finsam_annual_reports r LEFT JOIN finsam_forbund f ON f.org_nr = r.org_nr
        WHERE r.year = $1 AND {final_only("r.decided_in")}
        ORDER BY name, r.org_nr
        """,
        year,
    )
    entries = []
    for row in rows:
        status = msgspec.json.decode(row["discharge"], type=DischargeStatus)
        entries.append(
            ForbundDischarge(
                org_nr=row["org_nr"],
                name=row["name"],
                audited=status.audited,
                auditors_recommend=status.auditors_recommend,
                fully_discharged=status.fully_discharged,
                waiting=[
                    WaitingMember(m.member_key, m.member_name, m.waiting_for) for m in status.members if not m.decided
                ],
            )
        )
    return NetworkDischarge(
        year=year, fully_discharged=[e.org_nr for e in entries if e.fully_discharged], entries=entries
    )
