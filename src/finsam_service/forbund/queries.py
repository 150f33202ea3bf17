"""SQL over the ``finsam_forbund`` view."""

from __future__ import annotations

import asyncpg
import msgspec

from finsam_core.errors import NotFound
from finsam_service.drafts import visible
from finsam_service.forbund.schemas import Forbund, Member

__all__ = ["all_forbund", "known_forbund", "one_forbund"]

_COLUMNS = """
    f.org_nr, f.name, f.founded_on, (
        SELECT coalesce(jsonb_agg(
            CASE WHEN {notice_visible} THEN m.member
                 ELSE m.member || '{{"leaves_on": null, "liquidation": null}}'::jsonb END
            ORDER BY m.ordinality), '[]'::jsonb)::text
        FROM jsonb_array_elements(f.members) WITH ORDINALITY AS m(member, ordinality)
        WHERE {admission_visible}
    ) AS members
""".format(
    notice_visible=visible("$1", "m.member->'notice_in'"), admission_visible=visible("$1", "m.member->'admitted_in'")
)
"""A member admitted by a decision in minutes still in draft is left out, and a notice so decided is not shown,
unless the caller may read the förbund's drafts ($1)."""


def _row(row: asyncpg.Record) -> Forbund:
    return Forbund(
        org_nr=row["org_nr"],
        name=row["name"],
        founded_on=row["founded_on"],
        members=msgspec.json.decode(row["members"], type=list[Member]),
    )


async def all_forbund(pool: asyncpg.Pool) -> list[Forbund]:
    """Every förbund as the public sees it (final records only)."""
    rows = await pool.fetch(f"SELECT {_COLUMNS} FROM finsam_forbund f ORDER BY name, org_nr", False)
    return [_row(r) for r in rows]


async def one_forbund(pool: asyncpg.Pool, org_nr: str, *, drafts: bool) -> Forbund | None:
    row = await pool.fetchrow(f"SELECT {_COLUMNS} FROM finsam_forbund f WHERE org_nr = $2", drafts, org_nr)
    return None if row is None else _row(row)


async def known_forbund(pool: asyncpg.Pool, org_nr: str) -> str:
    """``org_nr`` if the förbund is registered (in the views), else ``NotFound``.

    A list of an unknown förbund is a 404, not ``[]``.
    """
    if await pool.fetchval("SELECT 1 FROM finsam_forbund WHERE org_nr = $1", org_nr) is None:
        raise NotFound(f"Inget förbund med org nr {org_nr} är registrerat.")
    return org_nr
