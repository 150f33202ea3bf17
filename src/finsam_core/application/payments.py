"""Payments: the amount a board decision carries and the spending against it, and the members'
payments of their contributions to the allocation.

The rules live in :mod:`finsam_core.rules.spending` and :mod:`finsam_core.rules.payments`, the
state in the aggregates :class:`~finsam_core.domain.decision_spending.DecisionSpending` and
:class:`~finsam_core.domain.member_payments.MemberPayments`; the methods here load, check what needs
more than one aggregate (the meeting's amount, the allocation's contribution) and stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.application.base import command
from finsam_core.application.money import MoneyCommands, kronor
from finsam_core.domain.allocation import Allocation, allocation_id
from finsam_core.domain.decision_spending import DecisionSpending, Spend, decision_spending_id
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import Meeting
from finsam_core.domain.member_payments import (
    Instalment,
    MemberPayment,
    MemberPayments,
    PaymentSchedule,
    member_payments_id,
)
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.projections.payment_status import ForbundPaymentStatus, forbund_status
from finsam_core.rules.payments import PaymentPlan, instalments
from finsam_core.rules.spending import AmountPeriod, left_in_period
from finsam_core.values import today_or, validate_org_nr

__all__ = ["PaymentCommands", "SpendingStatus"]


class SpendingStatus(msgspec.Struct, frozen=True):
    """A decision's amount and period, what is spent in the period of the day asked about, and what is left."""

    amount: Decimal
    period: AmountPeriod
    spent: Decimal
    left: Decimal


def _decision_amount(meeting: Meeting, paragraph: int) -> tuple[int, Decimal, AmountPeriod]:
    """The § 's latest decision that carries an amount: (its index, the amount, its period)."""
    found = meeting.paragraphs.get(paragraph)
    if found is None:
        raise InvalidInput(f"§ {paragraph} finns inte i protokollet {meeting.reference}.")
    if not found.amounts:
        raise MoneyRuleViolation(
            f"Beslutet i {meeting.reference} § {paragraph} anger inget belopp; utgifter kan bara registreras "
            "mot ett beslut med en beloppsram."
        )
    index = max(found.amounts)
    amount, period = found.amounts[index]
    return index, amount, period


class PaymentCommands(MoneyCommands):
    """Commands and reads of decisions' amounts and spending, and of members' payments."""

    # --- the amount a decision carries, and spending against it ---------------------------

    @command
    def attach_decision_amount(
        self,
        org_nr: str,
        reference: str,
        paragraph: int,
        amount: Decimal | int | str,
        period: AmountPeriod = AmountPeriod.YEAR,
    ) -> None:
        """The § 's latest decision sets an amount (a ceiling per year, or a one-off sum); minutes still open."""
        meeting = self.meeting(org_nr, reference)
        meeting.attach_amount(paragraph, kronor(amount, f"Beloppet i § {paragraph}"), AmountPeriod(period))
        self._stage(meeting)

    @command
    def record_spending(
        self,
        org_nr: str,
        reference: str,
        paragraph: int,
        amount: Decimal | int | str,
        spent_on: date,
        note: str = "",
    ) -> Decimal:
        """Record a spend under the decision in ``reference`` § ``paragraph``; returns what is left in its period."""
        meeting = self.meeting(org_nr, reference)
        index, cap, period = _decision_amount(meeting, paragraph)
        aggregate_id = decision_spending_id(meeting.id, paragraph, index)
        spending = self._find(aggregate_id, DecisionSpending) or DecisionSpending(
            meeting_id=meeting.id, org_nr=meeting.org_nr, meeting=meeting.reference, paragraph=paragraph, decision=index
        )
        spend = Spend(spent_on=spent_on, amount=kronor(amount, "Utlägget"), note=note.strip())
        left = spending.record(spend, cap=cap, period=period, decided_on=meeting.held_on)
        self._stage(spending)
        return left

    def decision_spending(self, org_nr: str, reference: str, paragraph: int, on: date) -> SpendingStatus:
        """The decision's amount and period, what is spent in the period ``on`` falls in, and what is left."""
        meeting = self.meeting(org_nr, reference)
        index, cap, period = _decision_amount(meeting, paragraph)
        spending = self._find(decision_spending_id(meeting.id, paragraph, index), DecisionSpending)
        spent, left = left_in_period(cap, period, [] if spending is None else spending.entries(), on)
        return SpendingStatus(cap, period, spent, left)

    # --- members' payments of their contributions -------------------------------------------

    def _contribution(self, org_nr: str, year: int, member_key: str) -> tuple[str, Decimal] | None:
        """(member name, contribution) of ``member_key`` in the year's allocation, ``None`` if it has none."""
        allocation = self._find(allocation_id(forbund_id(org_nr), year), Allocation)
        if allocation is None:
            raise MoneyRuleViolation(
                f"Ingen tilldelning för {year} är registrerad för förbundet {org_nr}; registrera den innan "
                "medlemmarnas inbetalningar."
            )
        for contribution in allocation.current.contributions:
            if contribution.member_key == member_key:
                return contribution.member_name, contribution.amount
        return None

    def _member_payments(self, org_nr: str, year: int) -> MemberPayments:
        aggregate_id = member_payments_id(forbund_id(org_nr), year)
        return self._find(aggregate_id, MemberPayments) or MemberPayments(
            forbund_id=forbund_id(org_nr), org_nr=org_nr, year=year
        )

    @command
    def set_payment_plan(
        self,
        org_nr: str,
        year: int,
        member_key: str,
        plan: PaymentPlan | str,
        due_dates: Sequence[date] | None = None,
    ) -> tuple[Instalment, ...]:
        """How a member pays its contribution for ``year``; returns the instalments (due day, kronor)."""
        org_nr = validate_org_nr(org_nr)
        try:
            chosen = PaymentPlan(plan)
        except ValueError:
            raise InvalidInput(
                f"Betalningsplanen {plan!r} finns inte; välj forskott, tva_tillfallen eller kvartalsvis."
            ) from None
        found = self._contribution(org_nr, year, member_key)
        if found is None:
            raise MembershipRuleViolation(
                f"{member_key} bidrar inte till förbundets tilldelning för {year} och har inget bidrag att betala."
            )
        name, amount = found
        parts = tuple(Instalment(day, part) for day, part in instalments(chosen, year, amount, due_dates))
        payments = self._member_payments(org_nr, year)
        payments.set_schedule(PaymentSchedule(member_key, name, chosen, parts))
        self._stage(payments)
        return parts

    @command
    def record_member_payment(
        self,
        org_nr: str,
        year: int,
        member_key: str,
        amount: Decimal | int | str,
        paid_on: date,
        note: str = "",
        *,
        today: date | None = None,
    ) -> Decimal:
        """A member's payment towards its contribution for ``year``; returns what it still owes for the year."""
        org_nr = validate_org_nr(org_nr)
        found = self._contribution(org_nr, year, member_key)
        payments = self._member_payments(org_nr, year)
        left = payments.record_payment(
            MemberPayment(member_key, paid_on, kronor(amount, "Inbetalningen"), note.strip()),
            member_name=None if found is None else found[0],
            contribution=None if found is None else found[1],
            today=today_or(today),
        )
        self._stage(payments)
        return left

    def payment_status(self, org_nr: str, year: int, as_of: date) -> ForbundPaymentStatus:
        """What each member has paid, had due and has outstanding and overdue on ``as_of``."""
        org_nr = validate_org_nr(org_nr)
        payments = self._find(member_payments_id(forbund_id(org_nr), year), MemberPayments)
        if payments is None:
            return forbund_status(org_nr, year, (), (), as_of)
        return forbund_status(org_nr, year, payments.schedules.values(), payments.payments, as_of)
