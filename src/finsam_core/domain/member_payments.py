"""The members' payments of their contributions to one förbund's allocation for one year.

One aggregate per förbund and year, beside the :class:`~finsam_core.domain.allocation.Allocation`
(whose events stay as they were). It holds each member's payment plan (its instalments, computed
by :func:`finsam_core.rules.payments.instalments` from the member's contribution) and the payments
recorded, with their dates. A payment by an organisation that does not contribute to the year's
allocation is refused, and so is one that would take a member past its contribution.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.errors import MembershipRuleViolation
from finsam_core.rules.payments import PaymentPlan, check_payment
from finsam_core.values import Value, require_exact

__all__ = ["Instalment", "MemberPayment", "MemberPayments", "PaymentSchedule", "member_payments_id"]


def member_payments_id(forbund_id: UUID, year: int) -> UUID:
    """The identity of the members' payments to a förbund's allocation for ``year``."""
    return uuid5(forbund_id, f"member-payments:{year}")


class Instalment(Value, frozen=True):
    due_on: date
    amount: Decimal

    def __post_init__(self) -> None:
        require_exact(self.amount, "Delbetalningen")


class PaymentSchedule(Value, frozen=True):
    """A member's plan for paying its contribution for the year."""

    member_key: str
    member_name: str
    plan: PaymentPlan
    instalments: tuple[Instalment, ...]

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), Decimal(0))


class MemberPayment(Value, frozen=True):
    """One payment a member made towards its contribution."""

    member_key: str
    paid_on: date
    amount: Decimal
    note: str = ""

    def __post_init__(self) -> None:
        require_exact(self.amount, "Inbetalningen")


class MemberPayments(Aggregate):
    """The payment plans and payments of a förbund's members for one year."""

    @staticmethod
    def create_id(forbund_id: UUID, year: int) -> UUID:
        return member_payments_id(forbund_id, year)

    @event("Opened")
    def __init__(self, forbund_id: UUID, org_nr: str, year: int) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.year = year
        self.schedules: dict[str, PaymentSchedule] = {}
        self.payments: list[MemberPayment] = []

    def set_schedule(self, schedule: PaymentSchedule) -> None:
        """Set (or replace) a member's plan; its instalments were computed from its contribution."""
        self._schedule_set(schedule=schedule)

    @event("ScheduleSet")
    def _schedule_set(self, schedule: PaymentSchedule) -> None:
        self.schedules = {**self.schedules, schedule.member_key: schedule}

    def paid_by(self, member_key: str) -> Decimal:
        return sum((p.amount for p in self.payments if p.member_key == member_key), Decimal(0))

    def record_payment(
        self, payment: MemberPayment, *, member_name: str | None, contribution: Decimal | None, today: date
    ) -> Decimal:
        """Record ``payment``; ``contribution`` is the member's share of the year's allocation (``None``:
        it has none). Returns what the member still owes for the year."""
        if contribution is None or member_name is None:
            raise MembershipRuleViolation(
                f"{payment.member_key} bidrar inte till förbundets tilldelning för {self.year} och kan inte "
                "betala medlemsbidrag det året."
            )
        if payment.member_key not in self.schedules:
            raise MembershipRuleViolation(
                f"Ange först hur {member_name} betalar sitt bidrag för {self.year} (i förskott, vid två "
                "tillfällen eller kvartalsvis)."
            )
        left = check_payment(
            member_name=member_name,
            year=self.year,
            contribution=contribution,
            paid_before=self.paid_by(payment.member_key),
            amount=payment.amount,
            paid_on=payment.paid_on,
            today=today,
        )
        self._payment_recorded(payment=payment)
        return left

    @event("PaymentRecorded")
    def _payment_recorded(self, payment: MemberPayment) -> None:
        self.payments = [*self.payments, payment]
