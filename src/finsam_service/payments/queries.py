"""SQL over the ``finsam_member_payments`` view; the status on a day is the domain's
:func:`~finsam_core.projections.payment_status.forbund_status` over the rows it selects."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from finsam_core.projections.payment_status import (
    ForbundPaymentStatus,
    NetworkPaymentStatus,
    forbund_status,
    network_status,
)
from finsam_core.projections.rows import MemberPaymentsRow

__all__ = ["forbund_payments", "network_payments"]

_ROW = "SELECT to_jsonb(t)::text FROM finsam_member_payments t"


def _status(row: MemberPaymentsRow, as_of: date) -> ForbundPaymentStatus:
    return forbund_status(row.org_nr, row.year, row.schedules, row.payments, as_of)


async def forbund_payments(pool: asyncpg.Pool, org_nr: str, year: int, as_of: date) -> ForbundPaymentStatus:
    """The förbund's members' status on ``as_of`` (no members listed when no plan is recorded)."""
    text = await pool.fetchval(f"{_ROW} WHERE org_nr = $1 AND year = $2", org_nr, year)
    if text is None:
        return forbund_status(org_nr, year, (), (), as_of)
    return _status(msgspec.json.decode(text, type=MemberPaymentsRow), as_of)


async def network_payments(pool: asyncpg.Pool, year: int, as_of: date) -> NetworkPaymentStatus:
    """Every förbund's status on ``as_of`` and the network's totals."""
    rows = await pool.fetch(f'{_ROW} WHERE year = $1 ORDER BY org_nr COLLATE "C"', year)
    found = [_status(msgspec.json.decode(r[0], type=MemberPaymentsRow), as_of) for r in rows]
    return network_status(year, as_of, found)
