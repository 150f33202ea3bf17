"""NNS, the network (``/v1/network``): its own records, written by network admins (founding, the service
fee policy, the förbund it knows and each förbund's membership: joining, written notice of withdrawal
and its revocation), and the picture across förbund, public (roster, fees, summary, participant figures
and decisions), read from the PostgreSQL views.
"""

from __future__ import annotations

from datetime import date

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.projections.fee_list import FeeList
from finsam_core.projections.participant_figures import NetworkParticipants
from finsam_core.projections.registers import DecisionEntry
from finsam_core.values import MatterKind, validate_org_nr
from finsam_service.commands import Commands, Written
from finsam_service.deps import Views
from finsam_service.guards import network_writer
from finsam_service.meetings import queries
from finsam_service.network import queries as network_queries
from finsam_service.network.schemas import (
    FeePolicyCreate,
    ForbundListing,
    MembershipJoin,
    NetworkFound,
    NetworkRoster,
    NetworkSummary,
    WithdrawalNotice,
    WithdrawalNoticeWritten,
    WithdrawalRevocation,
)
from finsam_service.openapi import problems, write_route
from finsam_service.years import valid_year

__all__ = ["NetworkController"]


class NetworkController(Controller):
    path = "/v1/network"
    tags = ("nätverket",)

    # --- NNS's own records (network admins) --------------------------------------------------

    @write_route("/", operation_id="FoundNetwork", summary="Register NNS itself (once)", guard=network_writer)
    async def found(self, commands: NamedDependency[Commands], data: JSONBody[NetworkFound]) -> Written:
        return await commands.record(lambda app: app.found_network(data.name))

    @write_route(
        "/fee-policies",
        operation_id="SetFeePolicy",
        summary="Set the service fee policy from a year",
        guard=network_writer,
    )
    async def fee_policy(self, commands: NamedDependency[Commands], data: JSONBody[FeePolicyCreate]) -> Written:
        return await commands.record(
            lambda app: app.set_fee_policy(data.effective_year, data.per_mille, data.cap, data.decided_by)
        )

    @write_route(
        "/forbund", operation_id="ListForbundInNetwork", summary="Make a förbund known to NNS", guard=network_writer
    )
    async def listing(self, commands: NamedDependency[Commands], data: JSONBody[ForbundListing]) -> Written:
        return await commands.record(lambda app: app.list_in_network(data.org_nr, data.name))

    @write_route(
        "/memberships/{org_nr:str}",
        operation_id="JoinNetwork",
        summary="A förbund joins NNS (or joins again)",
        guard=network_writer,
    )
    async def join(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[MembershipJoin]
    ) -> Written:
        return await commands.record(lambda app: app.join_network(org_nr, data.joined_on, data.name))

    @write_route(
        "/memberships/{org_nr:str}/withdrawal-notice",
        operation_id="GiveNetworkWithdrawalNotice",
        summary="Record a written notice of withdrawal from NNS",
        guard=network_writer,
    )
    async def withdrawal_notice(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[WithdrawalNotice]
    ) -> WithdrawalNoticeWritten:
        last_day, position = await commands.run(
            lambda app: app.give_network_withdrawal_notice(org_nr, data.received_on, written=data.written)
        )
        return WithdrawalNoticeWritten(last_day=last_day, position=position)

    @write_route(
        "/memberships/{org_nr:str}/withdrawal-revocation",
        operation_id="RevokeNetworkWithdrawal",
        summary="Revoke a withdrawal notice before it takes effect",
        guard=network_writer,
    )
    async def revoke(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[WithdrawalRevocation]
    ) -> Written:
        return await commands.record(lambda app: app.revoke_network_withdrawal(org_nr, data.revoked_on))

    # --- the picture across förbund (public) -------------------------------------------------

    @get(
        "/decisions",
        operation_id="SearchNetworkDecisions",
        summary="Decisions across förbund (final minutes)",
        responses=problems(400, 503),
    )
    async def decisions(
        self,
        views: NamedDependency[Views],
        forbund: FromQuery[str | None] = None,
        since: FromQuery[date | None] = None,
        until: FromQuery[date | None] = None,
        text: FromQuery[str | None] = None,
        matter: FromQuery[MatterKind | None] = None,
        limit: FromQuery[int] = 500,
        min_position: FromQuery[int | None] = None,
    ) -> list[DecisionEntry]:
        org_nr = validate_org_nr(forbund) if forbund else None
        return await queries.decisions(
            await views.including(min_position),
            org_nr=org_nr,
            since=since,
            until=until,
            text=text,
            matter=matter.value if matter else None,
            limit=max(1, min(limit, 5000)),
        )

    @get(
        "/roster",
        operation_id="GetNetworkRoster",
        summary="NNS membership of every förbund on a day",
        responses=problems(400, 503),
    )
    async def roster(
        self,
        views: NamedDependency[Views],
        as_of: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> NetworkRoster:
        return await network_queries.roster(await views.including(min_position), as_of or date.today())

    @get(
        "/fees/{year:int}",
        operation_id="GetNetworkFees",
        summary="NNS service fee per förbund for a year",
        responses=problems(400, 404, 503),
    )
    async def fees(
        self, views: NamedDependency[Views], year: FromPath[int], min_position: FromQuery[int | None] = None
    ) -> FeeList:
        pool = await views.including(min_position)
        return await network_queries.fees(pool, valid_year(year))

    @get(
        "/summary",
        operation_id="GetNetworkSummary",
        summary="Förbund and NNS members, total allocation, equity ratios, budget against outcome per förbund",
        responses=problems(400, 503),
    )
    async def summary(
        self,
        views: NamedDependency[Views],
        year: FromQuery[int | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> NetworkSummary:
        pool = await views.including(min_position)
        return await network_queries.summary(pool, valid_year(year or date.today().year))

    @get(
        "/participants/{year:int}",
        operation_id="GetNetworkParticipants",
        summary="Participant figures per förbund and summed",
        responses=problems(400, 503),
    )
    async def participants(
        self, views: NamedDependency[Views], year: FromPath[int], min_position: FromQuery[int | None] = None
    ) -> NetworkParticipants:
        pool = await views.including(min_position)
        return await network_queries.participants(pool, valid_year(year))
