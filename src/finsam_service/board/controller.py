"""The board of a förbund (``/v1/forbund/{org_nr}/board``): appointments of ledamöter and ersättare, their
endings before the term ends, and its officers. Writers of the förbund only."""

from __future__ import annotations

from litestar import Controller
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from finsam_service.board.schemas import AppointmentCreate, AppointmentEnd, OfficerElect
from finsam_service.commands import Commands, Written
from finsam_service.guards import forbund_writer
from finsam_service.openapi import write_route

__all__ = ["BoardController"]


class BoardController(Controller):
    path = "/v1/forbund/{org_nr:str}/board"
    tags = ("styrelse",)

    @write_route(
        "/appointments",
        operation_id="AppointBoardMember",
        summary="Appoint a ledamot or ersättare",
        guard=forbund_writer,
    )
    async def appoint(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[AppointmentCreate]
    ) -> Written:
        return await commands.record(
            lambda app: app.appoint(
                org_nr,
                data.person,
                data.member_key,
                data.role,
                data.term_from,
                data.term_to,
                data.authorised_by.to_domain() if data.authorised_by else None,
            )
        )

    @write_route(
        "/appointment-endings",
        operation_id="EndAppointment",
        summary="End an appointment before its term ends",
        guard=forbund_writer,
    )
    async def end_appointment(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[AppointmentEnd]
    ) -> Written:
        return await commands.record(
            lambda app: app.end_appointment(org_nr, data.person, data.member_key, data.ended_on)
        )

    @write_route(
        "/officers", operation_id="ElectOfficer", summary="Elect the chair or vice chair", guard=forbund_writer
    )
    async def elect_officer(
        self, commands: NamedDependency[Commands], org_nr: FromPath[str], data: JSONBody[OfficerElect]
    ) -> Written:
        return await commands.record(
            lambda app: app.elect_officer(org_nr, data.person, data.office, data.term_from, data.term_to)
        )
