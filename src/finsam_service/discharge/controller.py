"""Auditors and discharge (``/v1/forbund/{org_nr}/auditors``, ``.../annual-reports/{year}/discharge...``,
``/v1/discharge-steps``, ``/v1/network/discharge/{year}``): a förbund's writers appoint auditors and
record a member's proposals; an administrator records one member's step covering several förbund
(a region's committee handling four förbund at once); the status and the network's picture are public.
"""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.errors import NotFound
from finsam_core.projections.discharge_status import DischargeStatus
from finsam_core.values import validate_org_nr
from finsam_service.commands import Commands, Written
from finsam_service.deps import Views
from finsam_service.discharge import queries
from finsam_service.discharge.schemas import (
    AuditorCreate,
    DischargeProposalCreate,
    MemberDischargeStepCreate,
    MemberStepWritten,
    NetworkDischarge,
)
from finsam_service.guards import admin, forbund_writer
from finsam_service.openapi import problems, write_route
from finsam_service.years import valid_year

__all__ = ["DischargeController"]


class DischargeController(Controller):
    path = "/v1"
    tags = ("revision och ansvarsfrihet",)

    @write_route(
        "/forbund/{org_nr:str}/auditors",
        operation_id="AppointAuditor",
        summary="A member appoints an auditor of the förbund for a term",
        guard=forbund_writer,
    )
    async def appoint_auditor(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[AuditorCreate]
    ) -> Written:
        return await commands.record(
            lambda app: app.appoint_auditor(
                org_nr, data.member_key, data.name, data.kind, data.starts_on, data.ends_on, data.appointed_by
            )
        )

    @write_route(
        "/forbund/{org_nr:str}/annual-reports/{year:int}/discharge-proposals",
        operation_id="ProposeDischarge",
        summary="A committee or board of a member proposes its decision on discharge",
        guard=forbund_writer,
    )
    async def propose(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        year: FromPath[int],
        data: JSONBody[DischargeProposalCreate],
    ) -> Written:
        valid_year(year)
        return await commands.record(
            lambda app: app.propose_discharge(
                org_nr, year, data.member_key, data.grant, data.proposal.to_domain(), body_kind=data.body_kind
            )
        )

    @write_route(
        "/discharge-steps",
        operation_id="RecordMemberDischargeStep",
        summary="One member's proposal or decision on discharge covering several förbund (all or none)",
        guard=admin,
    )
    async def member_step(
        self, commands: NamedDependency[Commands], data: JSONBody[MemberDischargeStepCreate]
    ) -> MemberStepWritten:
        valid_year(data.year)
        covers, position = await commands.run(
            lambda app: app.record_member_discharge_step(
                data.member_name,
                data.year,
                data.forbund,
                step=data.step,
                body_kind=data.body_kind,
                grant=data.grant,
                ref=data.decision.to_domain(),
            )
        )
        return MemberStepWritten(covers=list(covers), position=position)

    @get(
        "/forbund/{org_nr:str}/annual-reports/{year:int}/discharge-status",
        operation_id="GetDischargeStatus",
        summary="The year's auditors, audit report and each member's discharge chain and status",
        responses=problems(400, 404, 503),
    )
    async def status(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        year: FromPath[int],
        min_position: FromQuery[int | None] = None,
    ) -> DischargeStatus:
        org_nr = validate_org_nr(org_nr)
        valid_year(year)
        found = await queries.discharge_status(await views.including(min_position), org_nr, year, drafts=drafts)
        if found is None:
            raise NotFound(f"Ingen årsredovisning för {year} är godkänd för förbundet {org_nr}.")
        return found

    @get(
        "/network/discharge/{year:int}",
        operation_id="GetNetworkDischarge",
        summary="Which förbund have full discharge for the year, which wait on which member (final minutes)",
        responses=problems(400, 503),
    )
    async def network(
        self, views: NamedDependency[Views], year: FromPath[int], min_position: FromQuery[int | None] = None
    ) -> NetworkDischarge:
        valid_year(year)
        return await queries.network_discharge(await views.including(min_position), year)
