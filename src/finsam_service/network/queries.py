"""SQL over the NNS, allocation, budget status, annual report and participant views.

The views hold what the domain computed (:mod:`finsam_core.projections.money`): the roster entry of
each förbund for every stretch of days, the years each membership period covers, the years each fee
policy is in force, the fee for each allocation. SQL here only selects and filters them by date or
year; the list's totals come from the library's own functions (``fee_list_of``, ``equity_ratio``,
``network_participants``, which also suppresses small counts), so no rule of the law is restated in SQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg
import msgspec

from finsam_core.domain.interventions import ParticipantCounts
from finsam_core.domain.network import FeePolicy
from finsam_core.domain.participant_breakdowns import Breakdown
from finsam_core.errors import NotFound
from finsam_core.projections.budget_status import BudgetStatus
from finsam_core.projections.fee_list import FeeEntry, FeeList, fee_entry, fee_list_of
from finsam_core.projections.participant_figures import NetworkParticipants, Reported, network_participants
from finsam_core.projections.roster import RosterEntry
from finsam_core.rules.money import equity_ratio
from finsam_service.drafts import final_only
from finsam_service.network.schemas import (
    ForbundSummary,
    NetworkRoster,
    NetworkSummary,
)

__all__ = ["fees", "participants", "roster", "summary"]

_NAMES = """
    SELECT org_nr, name FROM finsam_forbund
    UNION ALL
    SELECT org_nr, name FROM finsam_nns_forbund WHERE org_nr NOT IN (SELECT org_nr FROM finsam_forbund)
"""

_MEMBER_DURING = "m.first_year <= {year} AND (m.last_year IS NULL OR {year} <= m.last_year)"
"""A membership period of ``m`` covers a day of the year."""


def _decimal(text: str | None) -> Decimal | None:
    """A numeric column read as text: asyncpg's binary numerics come back as ``Decimal('3E+4')``."""
    return None if text is None else Decimal(text)


async def roster(pool: asyncpg.Pool, as_of: date) -> NetworkRoster:
    rows = await pool.fetch(
        """
        SELECT org_nr, name, member, joined_on, withdrawal_notice, leaves_after FROM finsam_nns_roster
        WHERE (valid_from IS NULL OR valid_from <= $1) AND (valid_until IS NULL OR $1 <= valid_until)
        ORDER BY name, org_nr
        """,
        as_of,
    )
    entries = [
        RosterEntry(
            org_nr=r["org_nr"],
            name=r["name"],
            member=r["member"],
            joined_on=r["joined_on"],
            withdrawal_notice=r["withdrawal_notice"],
            leaves_after=r["leaves_after"],
        )
        for r in rows
    ]
    return NetworkRoster(as_of=as_of, members=sum(1 for e in entries if e.member), total=len(entries), entries=entries)


async def fees(pool: asyncpg.Pool, year: int) -> FeeList:
    """The NNS fee list for ``year``: every förbund that is a member on some day of it."""
    async with pool.acquire() as connection, connection.transaction(isolation="repeatable_read", readonly=True):
        row = await connection.fetchrow(
            "SELECT effective_year, per_mille::text AS per_mille, cap::text AS cap, decided_by "
            "FROM finsam_nns_fee_policies WHERE effective_year <= $1 AND (until_year IS NULL OR $1 <= until_year)",
            year,
        )
        if row is None:
            raise NotFound(f"NNS har ingen avgiftsmodell som gäller {year}.")
        rows = await connection.fetch(
            f"""
            SELECT DISTINCT ON (m.org_nr) m.org_nr, m.name, f.allocation::text AS allocation, f.fee::text AS fee,
                   f.capped
            FROM finsam_nns_memberships m
            LEFT JOIN finsam_nns_fees f ON f.org_nr = m.org_nr AND f.year = $1 AND {final_only("f.decided_in")}
            WHERE {_MEMBER_DURING.format(year="$1")}
            ORDER BY m.org_nr, m.period DESC
            """,
            year,
        )
    policy = FeePolicy(row["effective_year"], Decimal(row["per_mille"]), _decimal(row["cap"]), row["decided_by"])
    return fee_list_of(year, policy, [_fee_entry(r, policy) for r in rows])


def _fee_entry(row: asyncpg.Record, policy: FeePolicy) -> FeeEntry:
    """The stored fee of the förbund's allocation; without one (no allocation, or a draft) no fee."""
    if row["fee"] is None:
        return fee_entry(row["org_nr"], row["name"], None, policy)
    allocation, fee = Decimal(row["allocation"]), Decimal(row["fee"])
    return FeeEntry(row["org_nr"], row["name"], allocation, policy.per_mille, policy.cap, fee, row["capped"])


async def summary(pool: asyncpg.Pool, year: int) -> NetworkSummary:
    async with pool.acquire() as connection, connection.transaction(isolation="repeatable_read", readonly=True):
        counts = await connection.fetchrow(
            f"""
            SELECT (SELECT count(*) FROM ({_NAMES}) n) AS forbund,
                   (SELECT count(DISTINCT org_nr) FROM finsam_nns_memberships m
                    WHERE {_MEMBER_DURING.format(year="$1")}) AS members
            """,
            year,
        )
        assert counts is not None  # A SELECT without FROM returns exactly one row.
        rows = await connection.fetch(
            f"""
            WITH names AS ({_NAMES}),
            keys AS (
                SELECT org_nr FROM finsam_allocations a WHERE year = $1 AND {final_only("a.decided_in")}
                UNION SELECT org_nr FROM finsam_budget_status b WHERE year = $1 AND {final_only("b.decided_in")}
                UNION SELECT org_nr FROM finsam_annual_reports r WHERE year = $1 AND {final_only("r.decided_in")}
            )
            SELECT k.org_nr, coalesce(n.name, k.org_nr) AS name, a.total::text AS total, b.status::text AS status,
                   r.equity_at_year_end::text AS equity_at_year_end,
                   EXISTS (SELECT 1 FROM finsam_nns_memberships m
                           WHERE m.org_nr = k.org_nr AND {_MEMBER_DURING.format(year="$1")}) AS member
            FROM keys k
            LEFT JOIN names n ON n.org_nr = k.org_nr
            LEFT JOIN finsam_allocations a ON a.org_nr = k.org_nr AND a.year = $1 AND {final_only("a.decided_in")}
            LEFT JOIN finsam_budget_status b ON b.org_nr = k.org_nr AND b.year = $1 AND {final_only("b.decided_in")}
            LEFT JOIN finsam_annual_reports r ON r.org_nr = k.org_nr AND r.year = $1 AND {final_only("r.decided_in")}
            ORDER BY name, k.org_nr
            """,
            year,
        )
    entries = [_summary_entry(r) for r in rows]
    known = [(e.equity, e.allocation) for e in entries if e.equity is not None and e.allocation]
    total_equity = sum((equity for equity, _ in known), Decimal(0))
    total_known_allocation = sum((allocation for _, allocation in known if allocation), Decimal(0))
    return NetworkSummary(
        year=year,
        forbund=int(counts["forbund"]),
        nns_members=int(counts["members"]),
        total_allocation=sum((e.allocation for e in entries if e.allocation is not None), Decimal(0)),
        equity_ratio=equity_ratio(total_equity, total_known_allocation) if known else None,
        entries=entries,
    )


def _summary_entry(row: asyncpg.Record) -> ForbundSummary:
    allocation = _decimal(row["total"])
    status = None if row["status"] is None else msgspec.json.decode(row["status"], type=BudgetStatus)
    equity = status.equity_forecast if status is not None else _decimal(row["equity_at_year_end"])
    ratio = None
    if status is not None and status.equity_ratio is not None:
        ratio = status.equity_ratio
    elif equity is not None and allocation:
        ratio = equity_ratio(equity, allocation)
    return ForbundSummary(
        org_nr=row["org_nr"],
        name=row["name"],
        nns_member=row["member"],
        allocation=allocation,
        year_budget=status.year_budget if status else None,
        months=status.months if status else None,
        outcome=status.outcome if status else None,
        used_share=status.used_share if status else None,
        benchmark=status.benchmark if status else None,
        deviation=status.deviation if status else None,
        forecast=status.forecast if status else None,
        equity=equity,
        equity_ratio=ratio,
        flags=list(status.flags) if status else [],
    )


async def participants(pool: asyncpg.Pool, year: int) -> NetworkParticipants:
    """Every förbund's figures for ``year`` and their sum, small counts suppressed over all at once."""
    rows = await pool.fetch(
        f"""
        WITH names AS ({_NAMES})
        SELECT p.org_nr, coalesce(n.name, p.org_nr) AS name, p.counts::text AS counts,
               p.breakdowns::text AS breakdowns
        FROM finsam_participants p LEFT JOIN names n ON n.org_nr = p.org_nr
        WHERE p.year = $1 ORDER BY name, p.org_nr
        """,
        year,
    )
    reported = [
        Reported(
            r["org_nr"],
            r["name"],
            msgspec.json.decode(r["counts"], type=ParticipantCounts),
            msgspec.json.decode(r["breakdowns"], type=tuple[Breakdown, ...]),
        )
        for r in rows
    ]
    return network_participants(year, reported)
