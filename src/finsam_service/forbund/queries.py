"""SQL over the ``finsam_forbund`` view."""

from __future__ import annotations

import asyncpg
import msgspec

from finsam_service.forbund.schemas import Forbund, Member

__all__ = ["all_forbund", "one_forbund"]

_COLUMNS = "org_nr, name, founded_on, members::text AS members"


def _row(row: asyncpg.Record) -> Forbund:
    return Forbund(
        org_nr=row["org_nr"],
        name=row["name"],
        founded_on=row["founded_on"],
        members=msgspec.json.decode(row["members"], type=list[Member]),
    )


async def all_forbund(pool: asyncpg.Pool) -> list[Forbund]:
    return [_row(r) for r in await pool.fetch(f"SELECT {_COLUMNS} FROM finsam_forbund ORDER BY name, org_nr")]


async def one_forbund(pool: asyncpg.Pool, org_nr: str) -> Forbund | None:
    row = await pool.fetchrow(f"SELECT {_COLUMNS} FROM finsam_forbund WHERE org_nr = $1", org_nr)
    return None if row is None else _row(row)
