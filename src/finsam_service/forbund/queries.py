"""SQL over the ``finsam_forbund`` view."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from finsam_core.errors import NotFound
from finsam_service.drafts import visible
from finsam_service.forbund.schemas import Forbund, Member

__all__ = ["BoardOn", "BoardSeat", "all_forbund", "board_on", "known_forbund", "one_forbund"]


class BoardSeat(msgspec.Struct, frozen=True):
    person: str
    member_key: str
    role: str
    """``ledamot`` or ``ersattare`` (:class:`~finsam_core.values.BoardRole`)."""
    term_from: date
    term_to: date


class BoardOn(msgspec.Struct, frozen=True):
    """The board on a day: its seats, and who chairs it and is vice chair (None: nobody elected for the day)."""

    day: date
    seats: list[BoardSeat]
    chair: str | None
    vice_chair: str | None


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


async def board_on(pool: asyncpg.Pool, org_nr: str, day: date, *, drafts: bool) -> BoardOn:
    """The seats held on ``day`` (a seat appointed by a decision in draft minutes only if ``drafts``), and the
    officers whose term covers it (the latest election wins, as :meth:`Forbund.officer_on` has it)."""
    async with pool.acquire() as connection, connection.transaction(isolation="repeatable_read", readonly=True):
        seats = await connection.fetch(
            f"""
            SELECT s->>'person' AS person, s->>'member_key' AS member_key, s->>'role' AS role,
                   (s->>'term_from')::date AS term_from, (s->>'term_to')::date AS term_to
            FROM finsam_forbund f, jsonb_array_elements(f.board) WITH ORDINALITY AS b(s, n)
            WHERE f.org_nr = $1 AND (s->>'term_from')::date <= $2 AND $2 <= (s->>'term_to')::date
              AND {visible("$3", "s->'decided_in'")}
            ORDER BY s->>'role' DESC, b.n
            """,
            org_nr,
            day,
            drafts,
        )
        officers = await connection.fetch(
            """
            SELECT DISTINCT ON (o->>'office') o->>'office' AS office, o->>'person' AS person
            FROM finsam_forbund f, jsonb_array_elements(f.offices) WITH ORDINALITY AS h(o, n)
            WHERE f.org_nr = $1 AND (o->>'term_from')::date <= $2 AND $2 <= (o->>'term_to')::date
            ORDER BY o->>'office', h.n DESC
            """,
            org_nr,
            day,
        )
    held = {r["office"]: r["person"] for r in officers}
    return BoardOn(
        day=day,
        seats=[BoardSeat(**dict(r)) for r in seats],
        chair=held.get("ordforande"),
        vice_chair=held.get("vice_ordforande"),
    )
