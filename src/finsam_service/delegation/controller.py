"""Delegation (kommunallagen 6 kap. 37–40 §§) and per capsulam decisions over HTTP.

Writes are the förbund's writers'; the reads (the order in force on a day, the delegated and per
capsulam decisions with whether they have been reported) are public, as the minutes that adopt and
report them: what derives from minutes not yet adjusted only for the förbund's writers, marked ``draft``.
"""

from __future__ import annotations

from datetime import date

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.errors import NotFound
from finsam_core.projections.delegation import DelegatedDecisionRow, DelegationOrderRow, PerCapsulamRow
from finsam_core.rules.delegation import ReportState
from finsam_core.values import validate_org_nr
from finsam_service.commands import Commands, Written
from finsam_service.delegation import queries
from finsam_service.delegation.schemas import (
    DelegatedDecisionCreate,
    DelegatedDecisionWritten,
    DelegationOrderCreate,
    DelegationReportCreate,
    PerCapsulamAnswer,
    PerCapsulamClose,
    PerCapsulamClosed,
    PerCapsulamCreate,
    PerCapsulamReportCreate,
)
from finsam_service.deps import Views
from finsam_service.guards import forbund_writer
from finsam_service.openapi import problems, write_route

__all__ = ["DelegationController"]

_PARAGRAPH = "/meetings/{reference:str}/paragraphs/{number:int}"


class DelegationController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("delegation",)

    @write_route(
        "/delegation/orders",
        operation_id="AdoptDelegationOrder",
        summary="Record the delegation order the board adopted (replaces the one in force from its date)",
        guard=forbund_writer,
    )
    async def adopt_order(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[DelegationOrderCreate]
    ) -> Written:
        items = [item.to_domain() for item in data.items]
        return await commands.record(
            lambda app: app.adopt_delegation_order(org_nr, data.valid_from, items, data.adopted_by.to_domain())
        )

    @get(
        "/delegation/order",
        operation_id="GetDelegationOrder",
        summary="The delegation order in force on a day (default today)",
        responses=problems(400, 404, 503),
    )
    async def order(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        on: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> DelegationOrderRow:
        org_nr = validate_org_nr(org_nr)
        day = on or date.today()
        found = await queries.order_on(await views.including(min_position), org_nr, day, drafts=drafts)
        if found is None:
            raise NotFound(f"Ingen delegationsordning gällde {day.isoformat()} för förbundet {org_nr}.")
        return found

    @get(
        "/delegation/orders",
        operation_id="ListDelegationOrders",
        summary="Every delegation order the board adopted, oldest first, with the day each was replaced",
        responses=problems(400, 404, 503),
    )
    async def orders(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[DelegationOrderRow]:
        org_nr = validate_org_nr(org_nr)
        return await queries.orders(await views.including(min_position), org_nr, drafts=drafts)

    @write_route(
        "/delegation/decisions",
        operation_id="RecordDelegatedDecision",
        summary="Record a decision taken under delegation (delegationsbeslut)",
        guard=forbund_writer,
    )
    async def record_decision(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[DelegatedDecisionCreate]
    ) -> DelegatedDecisionWritten:
        decision, position = await commands.run(
            lambda app: app.record_delegated_decision(
                org_nr,
                data.decided_on,
                data.item_code,
                data.delegate,
                data.matter,
                data.amount,
                data.matter_class,
                data.registry_number,
            )
        )
        return DelegatedDecisionWritten(number=decision.number, urgent=decision.urgent, position=position)

    @get(
        "/delegation/decisions",
        operation_id="ListDelegatedDecisions",
        summary="Delegated decisions with their report state (unreported=true: only those not yet reported)",
        responses=problems(400, 404, 503),
    )
    async def decisions(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        unreported: FromQuery[bool] = False,
        min_position: FromQuery[int | None] = None,
    ) -> list[DelegatedDecisionRow]:
        org_nr = validate_org_nr(org_nr)
        rows = await queries.decisions(await views.including(min_position), org_nr, drafts=drafts)
        if unreported:
            rows = [r for r in rows if r.state in (ReportState.UNREPORTED, ReportState.OVERDUE)]
        return rows

    @write_route(
        f"{_PARAGRAPH}/delegation-reports",
        operation_id="ReportDelegatedDecisions",
        summary="Report delegated decisions to the board in a paragraph (anmälan av delegationsbeslut)",
        guard=forbund_writer,
    )
    async def report_decisions(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[DelegationReportCreate],
    ) -> Written:
        return await commands.record(
            lambda app: app.report_delegated_decisions(org_nr, reference, number, data.decisions)
        )

    # --- per capsulam ----------------------------------------------------------------------

    @write_route(
        "/per-capsulam",
        operation_id="ProposePerCapsulam",
        summary="Send a proposal to the ledamöter for a decision per capsulam (if the charter allows)",
        guard=forbund_writer,
    )
    async def propose(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[PerCapsulamCreate]
    ) -> Written:
        return await commands.record(
            lambda app: app.propose_per_capsulam(org_nr, data.reference, data.proposal, data.sent_on, data.matter)
        )

    @write_route(
        "/per-capsulam/{decision:str}/answers",
        operation_id="AnswerPerCapsulam",
        summary="Record a ledamot's answer (ja, nej, avstar) with its date",
        guard=forbund_writer,
    )
    async def answer(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        decision: FromPath[str],
        data: JSONBody[PerCapsulamAnswer],
    ) -> Written:
        return await commands.record(
            lambda app: app.answer_per_capsulam(org_nr, decision, data.name, data.ballot, data.answered_on)
        )

    @write_route(
        "/per-capsulam/{decision:str}/close",
        operation_id="ClosePerCapsulam",
        summary="Close the proposal: the outcome by the charter's majority rule",
        guard=forbund_writer,
    )
    async def close(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        decision: FromPath[str],
        data: JSONBody[PerCapsulamClose],
    ) -> PerCapsulamClosed:
        outcome, position = await commands.run(lambda app: app.close_per_capsulam(org_nr, decision, data.closed_on))
        return PerCapsulamClosed(outcome=outcome.value, position=position)

    @write_route(
        f"{_PARAGRAPH}/per-capsulam-reports",
        operation_id="ReportPerCapsulam",
        summary="Report a per capsulam decision to the board in a paragraph",
        guard=forbund_writer,
    )
    async def report_per_capsulam(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        reference: FromPath[str],
        number: FromPath[int],
        data: JSONBody[PerCapsulamReportCreate],
    ) -> Written:
        return await commands.record(lambda app: app.report_per_capsulam(org_nr, reference, number, data.decision))

    @get(
        "/per-capsulam",
        operation_id="ListPerCapsulam",
        summary="Per capsulam decisions: answers, outcome and report state",
        responses=problems(400, 404, 503),
    )
    async def per_capsulam(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[PerCapsulamRow]:
        org_nr = validate_org_nr(org_nr)
        return await queries.per_capsulam(await views.including(min_position), org_nr, drafts=drafts)
