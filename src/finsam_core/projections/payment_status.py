"""What each member has paid of its contribution on a day, what was due by then, what is left and overdue.

Computed from the payment plans and payments of :class:`~finsam_core.domain.member_payments.MemberPayments`
(as the aggregate holds them, or as the views keep them in a
:class:`~finsam_core.projections.rows.MemberPaymentsRow`): the library, the views' readers and the
HTTP service call these functions, so the arithmetic is in one place.

- *due*: the instalments due on or before the day;
- *paid*: the payments made on or before the day;
- *outstanding*: the contribution less what is paid (what is still to come, due or not);
- *overdue*: what was due and is not paid (never below zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.domain.member_payments import MemberPayment, PaymentSchedule

__all__ = ["ForbundPaymentStatus", "MemberPaymentStatus", "NetworkPaymentStatus", "forbund_status", "network_status"]


class MemberPaymentStatus(msgspec.Struct, frozen=True):
    member_key: str
    member_name: str
    plan: str
    contribution: Decimal
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal
    next_due_on: date | None
    """The first instalment after the day (``None``: none left in the plan)."""


class ForbundPaymentStatus(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    as_of: date
    members: tuple[MemberPaymentStatus, ...]
    contribution: Decimal
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal


class NetworkPaymentStatus(msgspec.Struct, frozen=True):
    """Every förbund's status on the day, and the network's totals."""

    year: int
    as_of: date
    forbund: tuple[ForbundPaymentStatus, ...]
    contribution: Decimal
    due: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def member_status(schedule: PaymentSchedule, payments: Sequence[MemberPayment], as_of: date) -> MemberPaymentStatus:
    """One member's status on ``as_of``."""
    due = _sum(i.amount for i in schedule.instalments if i.due_on <= as_of)
    paid = _sum(p.amount for p in payments if p.member_key == schedule.member_key and p.paid_on <= as_of)
    return MemberPaymentStatus(
        member_key=schedule.member_key,
        member_name=schedule.member_name,
        plan=schedule.plan.value,
        contribution=schedule.total,
        due=due,
        paid=paid,
        outstanding=schedule.total - paid,
        overdue=max(due - paid, Decimal(0)),
        next_due_on=next((i.due_on for i in schedule.instalments if i.due_on > as_of), None),
    )


def forbund_status(
    org_nr: str, year: int, schedules: Iterable[PaymentSchedule], payments: Sequence[MemberPayment], as_of: date
) -> ForbundPaymentStatus:
    """The förbund's members' status on ``as_of`` (by member key), with the förbund's totals."""
    members = tuple(member_status(s, payments, as_of) for s in sorted(schedules, key=lambda s: s.member_key))
    return ForbundPaymentStatus(
        org_nr=org_nr,
        year=year,
        as_of=as_of,
        members=members,
        contribution=_sum(m.contribution for m in members),
        due=_sum(m.due for m in members),
        paid=_sum(m.paid for m in members),
        outstanding=_sum(m.outstanding for m in members),
        overdue=_sum(m.overdue for m in members),
    )


def network_status(year: int, as_of: date, forbund: Iterable[ForbundPaymentStatus]) -> NetworkPaymentStatus:
    """The network's totals over the förbund's statuses (by org nr)."""
    found = tuple(sorted(forbund, key=lambda f: f.org_nr))
    return NetworkPaymentStatus(
        year=year,
        as_of=as_of,
        forbund=found,
        contribution=_sum(f.contribution for f in found),
        due=_sum(f.due for f in found),
        paid=_sum(f.paid for f in found),
        outstanding=_sum(f.outstanding for f in found),
        overdue=_sum(f.overdue for f in found),
    )
