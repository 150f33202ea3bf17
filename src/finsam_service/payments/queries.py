"""SQL over the ``finsam_member_payments`` view; the status on a day is the domain's
:func:`~finsam_core.projections.payment_status.forbund_status` over the rows it selects."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from finsam_core.domain.decision_spending import Spend
from finsam_core.projections.payment_status import (
    ForbundPaymentStatus,
    NetworkPaymentStatus,
    forbund_status,
    network_status,
)
from finsam_core.projections.rows import MemberPaymentsRow
from finsam_core.rules.spending import AmountPeriod, left_in_period
from finsam_service.drafts import visible_own
from finsam_service.payments.schemas import DecisionSpendingStatus

__all__ = ["decision_spending", "forbund_payments", "network_payments"]

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


async def decision_spending(
    pool: asyncpg.Pool, org_nr: str, meeting: str, paragraph: int, as_of: date, *, drafts: bool
) -> DecisionSpendingStatus | None:
    """The § 's latest decision with an amount, what is spent in the period ``as_of`` falls in and what is left
    (``None``: no such decision, or one in draft minutes the caller may not read)."""
    found = await pool.fetchrow(
        "SELECT seq, amount, period FROM finsam_decisions WHERE org_nr = $1 AND meeting = $2 AND paragraph = $3 "
        f"AND amount IS NOT NULL AND {visible_own('$4')} ORDER BY seq DESC LIMIT 1",
        org_nr,
        meeting,
        paragraph,
        drafts,
    )
    if found is None:
        return None
    text = await pool.fetchval(
        "SELECT spending::text FROM finsam_decision_spending "
        "WHERE org_nr = $1 AND meeting = $2 AND paragraph = $3 AND decision = $4",
        org_nr,
        meeting,
        paragraph,
        found["seq"],
    )
    spending = () if text is None else msgspec.json.decode(text, type=tuple[Spend, ...])
    period = AmountPeriod(found["period"])
    spent, left = left_in_period(found["amount"], period, [(s.spent_on, s.amount) for s in spending], as_of)
    return DecisionSpendingStatus(
        meeting=meeting,
        paragraph=paragraph,
        amount=found["amount"],
        period=period,
        as_of=as_of,
        spent=spent,
        left=left,
        spending=spending,
    )
