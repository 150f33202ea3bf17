"""NNS's own records (network admins): founding, the service fee policy, the förbund it knows and
each förbund's membership: joining, written notice of withdrawal and its revocation."""

from __future__ import annotations

from litestar import Controller
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from finsam_service.access import Caller
from finsam_service.commands import Written, record_for_network, run_for_network
from finsam_service.lifespan import Services
from finsam_service.membership.schemas import (
    FeePolicyCreate,
    ForbundListing,
    MembershipJoin,
    NetworkFound,
    WithdrawalNotice,
    WithdrawalNoticeWritten,
    WithdrawalRevocation,
)
from finsam_service.openapi import write_route

__all__ = ["MembershipController"]


class MembershipController(Controller):
    path = "/v1/network"
    tags = ("nätverket",)

    @write_route("/", operation_id="FoundNetwork", summary="Register NNS itself (once)")
    async def found(
        self, services: NamedDependency[Services], caller: NamedDependency[Caller | None], data: JSONBody[NetworkFound]
    ) -> Written:
        return await record_for_network(services, caller, lambda app: app.found_network(data.name))

    @write_route("/fee-policies", operation_id="SetFeePolicy", summary="Set the service fee policy from a year")
    async def fee_policy(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        data: JSONBody[FeePolicyCreate],
    ) -> Written:
        return await record_for_network(
            services,
            caller,
            lambda app: app.set_fee_policy(data.effective_year, data.per_mille, data.cap, data.decided_by),
        )

    @write_route("/forbund", operation_id="ListForbundInNetwork", summary="Make a förbund known to NNS")
    async def listing(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        data: JSONBody[ForbundListing],
    ) -> Written:
        return await record_for_network(services, caller, lambda app: app.list_in_network(data.org_nr, data.name))

    @write_route(
        "/memberships/{org_nr:str}",
        operation_id="JoinNetwork",
        summary="A förbund joins NNS (or joins again)",
    )
    async def join(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[MembershipJoin],
    ) -> Written:
        return await record_for_network(
            services, caller, lambda app: app.join_network(org_nr, data.joined_on, data.name)
        )

    @write_route(
        "/memberships/{org_nr:str}/withdrawal-notice",
        operation_id="GiveNetworkWithdrawalNotice",
        summary="Record a written notice of withdrawal from NNS",
    )
    async def withdrawal_notice(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[WithdrawalNotice],
    ) -> WithdrawalNoticeWritten:
        last_day, position = await run_for_network(
            services,
            caller,
            lambda app: app.give_network_withdrawal_notice(org_nr, data.received_on, written=data.written),
        )
        return WithdrawalNoticeWritten(last_day=last_day, position=position)

    @write_route(
        "/memberships/{org_nr:str}/withdrawal-revocation",
        operation_id="RevokeNetworkWithdrawal",
        summary="Revoke a withdrawal notice before it takes effect",
    )
    async def revoke(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[WithdrawalRevocation],
    ) -> Written:
        return await record_for_network(
            services, caller, lambda app: app.revoke_network_withdrawal(org_nr, data.revoked_on)
        )
