"""Payments (``/v1/forbund/{org_nr}/...``, ``/v1/network/payments``): the amount a decision carries and
the spending against it, the members' payment plans and payments (writers of the förbund), and what
each member has paid, had due and owes on a day (public, from the views)."""

from __future__ import annotations

from datetime import date

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.errors import NotFound
from finsam_core.projections.payment_status import ForbundPaymentStatus, NetworkPaymentStatus
from finsam_core.values import validate_org_nr
from finsam_service.commands import Commands, Written
from finsam_service.deps import Views
from finsam_service.forbund.queries import known_forbund
from finsam_service.guards import forbund_writer
from finsam_service.openapi import problems, write_route
from finsam_service.payments import queries
from finsam_service.payments.schemas import (
    DecisionAmountCreate,
    DecisionSpendingStatus,
    Instalment,
    MemberPaymentCreate,
    MemberPaymentWritten,
    PaymentPlanCreate,
    PaymentPlanWritten,
    SpendingCreate,
    SpendingWritten,
)
from finsam_service.years import valid_year

__all__ = ["PaymentsController"]

_PARAGRAPH = "/forbund/{org_nr:str}/meetings/{reference:str}/paragraphs/{number:int}"
_PAYMENTS = "/forbund/{org_nr:str}/payments/{year:int}"


class PaymentsController(Controller):
    path = "/v1"
    tags = ("ekonomi",)

    @write_route(
        f"{_PARAGRAPH}/amount",
        operation_id="AttachDecisionAmount",
        summary="The amount the paragraph's decision carries (per year or once)",
        guard=forbund_writer,
    )
    async def amount(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[DecisionAmountCreate],
    ) -> Written:
        return await commands.record(
            lambda app: app.attach_decision_amount(org_nr, reference, number, data.amount, data.period)
        )

    @write_route(
        f"{_PARAGRAPH}/spending",
        operation_id="RecordDecisionSpending",
        summary="Record a spend under a decision with an amount (refused past its cap)",
        guard=forbund_writer,
    )
    async def spending(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[SpendingCreate],
    ) -> SpendingWritten:
        left, position = await commands.run(
            lambda app: app.record_spending(org_nr, reference, number, data.amount, data.spent_on, data.note)
        )
        return SpendingWritten(left=left, position=position)

    @write_route(
        f"{_PAYMENTS}/plans",
        operation_id="SetPaymentPlan",
        summary="How a member pays its contribution for the year",
        guard=forbund_writer,
    )
    async def plan(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[PaymentPlanCreate],
    ) -> PaymentPlanWritten:
        valid_year(year)
        parts, position = await commands.run(
            lambda app: app.set_payment_plan(org_nr, year, data.member, data.plan, data.due_dates)
        )
        return PaymentPlanWritten(tuple(Instalment(p.due_on, p.amount) for p in parts), position)

    @write_route(
        _PAYMENTS,
        operation_id="RecordMemberPayment",
        summary="Record a member's payment towards its contribution",
        guard=forbund_writer,
    )
    async def payment(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[MemberPaymentCreate],
    ) -> MemberPaymentWritten:
        valid_year(year)
        owed, position = await commands.run(
            lambda app: app.record_member_payment(org_nr, year, data.member, data.amount, data.paid_on, data.note)
        )
        return MemberPaymentWritten(owed=owed, position=position)

    # --- reads -------------------------------------------------------------------------------

    @get(
        f"{_PARAGRAPH}/spending",
        operation_id="GetDecisionSpending",
        summary="A decision's amount, what is spent in the period of a day (datum, default today) and what is left",
        responses=problems(400, 404, 503),
    )
    async def spending_status(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        datum: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> DecisionSpendingStatus:
        org_nr = validate_org_nr(org_nr)
        pool = await views.including(min_position)
        found = await queries.decision_spending(pool, org_nr, reference, number, datum or date.today(), drafts=drafts)
        if found is None:
            raise NotFound(f"Inget beslut med belopp i {reference} § {number} är registrerat för förbundet {org_nr}.")
        return found

    @get(
        _PAYMENTS,
        operation_id="GetMemberPayments",
        summary="What each member has paid, had due, owes and has overdue on a day (datum, default today)",
        responses=problems(400, 404, 503),
    )
    async def status(
        self,
        views: NamedDependency[Views],
        org_nr: FromPath[str],
        year: FromPath[int],
        datum: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> ForbundPaymentStatus:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        pool = await views.including(min_position)
        await known_forbund(pool, org_nr)
        return await queries.forbund_payments(pool, org_nr, year, datum or date.today())

    @get(
        "/network/payments/{year:int}",
        operation_id="GetNetworkMemberPayments",
        summary="Members' payments per förbund on a day, and the network's totals",
        responses=problems(400, 503),
    )
    async def network(
        self,
        views: NamedDependency[Views],
        year: FromPath[int],
        datum: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> NetworkPaymentStatus:
        pool = await views.including(min_position)
        return await queries.network_payments(pool, valid_year(year), datum or date.today())
