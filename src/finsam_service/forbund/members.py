"""What makes up a förbund besides its board: its charter (``/v1/forbund/{org_nr}/charter``) and its member
organisations (``/v1/forbund/{org_nr}/members``), admitted and leaving on notice. Writers of the förbund."""

from __future__ import annotations

from litestar import Controller
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from finsam_service.commands import Commands, Written
from finsam_service.forbund.schemas import CharterAmendment, MemberAdmit, MemberNotice, MemberNoticeWritten
from finsam_service.guards import forbund_writer
from finsam_service.openapi import write_route

__all__ = ["MembersController"]


class MembersController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("styrelse",)

    @write_route(
        "/charter", operation_id="AmendCharter", summary="Amend the charter (förbundsordning)", guard=forbund_writer
    )
    async def amend_charter(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[CharterAmendment]
    ) -> Written:
        return await commands.record(
            lambda app: app.amend_charter(
                org_nr, data.charter.to_domain(), data.effective_from, data.authorised_by.to_domain()
            )
        )

    @write_route(
        "/members", operation_id="AdmitMember", summary="Admit a kommun or region as a member", guard=forbund_writer
    )
    async def admit_member(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[MemberAdmit]
    ) -> Written:
        return await commands.record(
            lambda app: app.admit_member(org_nr, data.member(), data.effective_from, data.authorised_by.to_domain())
        )

    @write_route(
        "/members/{member_key:str}/notice",
        operation_id="GiveMemberNotice",
        summary="A member's notice to leave (answers the day it leaves)",
        guard=forbund_writer,
    )
    async def give_member_notice(
        self,
        commands: NamedDependency[Commands],
        org_nr: FromPath[str],
        member_key: FromPath[str],
        data: JSONBody[MemberNotice],
    ) -> MemberNoticeWritten:
        leaves_on, position = await commands.run(
            lambda app: app.give_member_notice(org_nr, member_key, data.notice_received, data.authorised_by.to_domain())
        )
        return MemberNoticeWritten(leaves_on=leaves_on, position=position)
