"""Förbund (``/v1/forbund``): register one (admin), list them and read one (public).

Its charter and members: :mod:`.members`; its board, meetings, money and reports: the folders named so.
"""

from __future__ import annotations

from datetime import date, datetime

import anyio.to_thread
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from finsam_core.application import Finsam
from finsam_core.audit.replay import replay_forbund
from finsam_core.domain.charter import Charter, DecisionRef, SeatAllocation
from finsam_core.domain.forbund import Forbund as RecordedForbund
from finsam_core.errors import InvalidInput, NotFound
from finsam_core.values import MemberOrganisation, validate_org_nr
from finsam_service.commands import Commands
from finsam_service.deps import Views
from finsam_service.drafts import final_meetings, replayed_shown
from finsam_service.forbund import queries
from finsam_service.forbund.schemas import Forbund, ForbundCreate, ForbundWritten, Member
from finsam_service.guards import admin
from finsam_service.openapi import problems, write_route

__all__ = ["ForbundController"]


class ForbundController(Controller):
    path = "/v1/forbund"
    tags = ("förbund",)

    @write_route(
        "/",
        operation_id="RegisterForbund",
        summary="Register a förbund (admin)",
        guard=admin,
        statuses=(400, 401, 403, 409, 422),
    )
    async def register(self, commands: NamedDependency[Commands], data: JSONBody[ForbundCreate]) -> ForbundWritten:
        _, position = await commands.run(lambda app: _register(app, data))
        return ForbundWritten(org_nr=validate_org_nr(data.org_nr), position=position)

    @get(
        "/",
        operation_id="ListForbund",
        summary="Every registered förbund (final records only)",
        responses=problems(400, 503),
    )
    async def list_forbund(
        self, views: NamedDependency[Views], min_position: FromQuery[int | None] = None
    ) -> list[Forbund]:
        return await queries.all_forbund(await views.including(min_position))

    @get(
        "/{org_nr:str}",
        operation_id="GetForbund",
        summary="One förbund (as_of / recorded_at: as it stood then, replayed from the audit trail)",
        responses=problems(400, 404, 503),
    )
    async def get_forbund(
        self,
        app: NamedDependency[Finsam],
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
        as_of: FromQuery[date | None] = None,
        recorded_at: FromQuery[datetime | None] = None,
    ) -> Forbund:
        org_nr = validate_org_nr(org_nr)
        if as_of is not None or recorded_at is not None:
            final = None if drafts else await final_meetings(views.pool, org_nr)
            return await anyio.to_thread.run_sync(_forbund_as_of, app, org_nr, as_of, recorded_at, final)
        found = await queries.one_forbund(await views.including(min_position), org_nr, drafts=drafts)
        if found is None:
            raise NotFound(f"Inget förbund med org nr {org_nr} är registrerat.")
        return found


def _register(app: Finsam, data: ForbundCreate) -> None:
    members = tuple(MemberOrganisation(m.key, m.name, m.kind) for m in data.members)
    charter = Charter(seats=tuple(SeatAllocation(m.key, m.board_members, m.deputies) for m in data.members))
    app.register_forbund(data.org_nr, data.name, members, charter, data.founded_on)


def _forbund_as_of(
    app: Finsam, org_nr: str, as_of: date | None, recorded_at: datetime | None, final: frozenset[str] | None
) -> Forbund:
    """The förbund as decided by ``as_of`` and as recorded at ``recorded_at`` (finsam_core.audit.replay);
    with ``final`` (the ids of its adjusted meetings), only what decisions in them authorised."""
    if recorded_at is not None and recorded_at.tzinfo is None:
        raise InvalidInput("Ange recorded_at med tidszon, till exempel 2024-06-10T12:00:00+02:00.")
    forbund = replay_forbund(app, org_nr, as_of=as_of, recorded_at=recorded_at).forbund
    assert forbund is not None
    return forbund_of(forbund, final)


def forbund_of(forbund: RecordedForbund, final: frozenset[str] | None = None) -> Forbund:
    """The förbund as the API shows it; with ``final``, members and notices decided in other
    meetings (drafts) are left out, as the view's public rows leave them out."""

    def shown(ref: DecisionRef | None) -> bool:
        return replayed_shown(final, forbund.id, ref)

    flags = {flag.member_key: flag.message for flag in forbund.liquidation_flags}
    return Forbund(
        org_nr=forbund.org_nr,
        name=forbund.name,
        founded_on=forbund.founded_on,
        members=[
            Member(
                key=m.member.key,
                name=m.member.name,
                kind=m.member.kind.value,
                joined_on=m.joined_on,
                leaves_on=m.leaves_on if shown(m.notice_by) else None,
                liquidation=flags.get(m.member.key) if shown(m.notice_by) else None,
            )
            for m in forbund.memberships
            if shown(m.admitted_by)
        ],
    )
