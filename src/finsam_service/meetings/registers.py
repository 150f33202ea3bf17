"""The registers a förbund keeps from its minutes: its decisions (``/v1/forbund/{org_nr}/decisions``) and
its open assignments (``/v1/forbund/{org_nr}/assignments``), both read from the views.

Both are public for what adjusted minutes hold; the förbund's writers (and admins) also see drafts'.
"""

from __future__ import annotations

from datetime import date

import anyio.to_thread
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from finsam_core.application import Finsam
from finsam_core.projections.registers import DecisionEntry
from finsam_core.values import validate_org_nr
from finsam_service.deps import Views
from finsam_service.forbund.queries import known_forbund
from finsam_service.meetings import queries
from finsam_service.meetings.schemas import Assignment
from finsam_service.openapi import problems

__all__ = ["RegistersController"]


class RegistersController(Controller):
    path = "/v1/forbund/{org_nr:str}"
    tags = ("sammanträden",)

    @get(
        "/decisions",
        operation_id="GetDecisionRegister",
        summary="The förbund's decision register",
        responses=problems(400, 404, 503),
    )
    async def decision_register(
        self,
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        min_position: FromQuery[int | None] = None,
    ) -> list[DecisionEntry]:
        org_nr = validate_org_nr(org_nr)
        pool = await views.including(min_position)
        await known_forbund(pool, org_nr)
        return await queries.decisions(pool, org_nr=org_nr, drafts=drafts)

    @get(
        "/assignments",
        operation_id="ListOpenAssignments",
        summary="Open assignments (drafts' only for the förbund's writers)",
        responses=problems(400, 404, 503),
    )
    async def open_assignments(
        self,
        app: NamedDependency[Finsam],
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        as_of: FromQuery[date | None] = None,
    ) -> list[Assignment]:
        org_nr = validate_org_nr(org_nr)
        # The list has always shown every write made before the request: wait for the log's end.
        pool = await views.including(await anyio.to_thread.run_sync(app.recorder.max_notification_id))
        await known_forbund(pool, org_nr)
        return await queries.open_assignments(pool, org_nr, as_of or date.today(), drafts=drafts)
