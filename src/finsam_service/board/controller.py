"""The board and the charter of a förbund: appointments, officers, charter amendments and members (writers)."""

from __future__ import annotations

from litestar import Controller
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from finsam_service.access import Caller
from finsam_service.board.schemas import (
    AppointmentCreate,
    AppointmentEnd,
    CharterAmendment,
    MemberAdmit,
    MemberNotice,
    MemberNoticeWritten,
    OfficerElect,
)
from finsam_service.commands import Written, record_for, run_for
from finsam_service.lifespan import Services
from finsam_service.openapi import write_route

__all__ = ["BoardController"]


class BoardController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("styrelse",)

    @write_route("/board/appointments", operation_id="AppointBoardMember", summary="Appoint a ledamot or ersättare")
    async def appoint(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[AppointmentCreate],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.appoint(
                org_nr,
                data.person,
                data.member_key,
                data.role,
                data.term_from,
                data.term_to,
                data.authorised_by.to_domain() if data.authorised_by else None,
            ),
        )

    @write_route(
        "/board/appointment-endings",
        operation_id="EndAppointment",
        summary="End an appointment before its term ends",
    )
    async def end_appointment(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[AppointmentEnd],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.end_appointment(org_nr, data.person, data.member_key, data.ended_on),
        )

    @write_route("/board/officers", operation_id="ElectOfficer", summary="Elect the chair or vice chair")
    async def elect_officer(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[OfficerElect],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.elect_officer(org_nr, data.person, data.office, data.term_from, data.term_to),
        )

    @write_route("/charter", operation_id="AmendCharter", summary="Amend the charter (förbundsordning)")
    async def amend_charter(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[CharterAmendment],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.amend_charter(
                org_nr, data.charter.to_domain(), data.effective_from, data.authorised_by.to_domain()
            ),
        )

    @write_route("/members", operation_id="AdmitMember", summary="Admit a kommun or region as a member")
    async def admit_member(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        data: JSONBody[MemberAdmit],
    ) -> Written:
        return await record_for(
            services,
            caller,
            org_nr,
            lambda app: app.admit_member(org_nr, data.member(), data.effective_from, data.authorised_by.to_domain()),
        )

    @write_route(
        "/members/{member_key:str}/notice",
        operation_id="GiveMemberNotice",
        summary="A member's notice to leave (answers the day it leaves)",
    )
    async def give_member_notice(
        self,
        services: NamedDependency[Services],
        caller: NamedDependency[Caller | None],
        org_nr: FromPath[str],
        member_key: FromPath[str],
        data: JSONBody[MemberNotice],
    ) -> MemberNoticeWritten:
        leaves_on, position = await run_for(
            services,
            caller,
            org_nr,
            lambda app: app.give_member_notice(
                org_nr, member_key, data.notice_received, data.authorised_by.to_domain()
            ),
        )
        return MemberNoticeWritten(leaves_on=leaves_on, position=position)
