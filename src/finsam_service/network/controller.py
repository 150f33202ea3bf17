"""The network-level picture (NNS and every förbund): roster, fees and decisions across förbund.

Decisions come from the ``finsam_decisions`` view. The roster and the fee list are, in this first
slice, computed by the application from the network's aggregates (in a worker thread); they move to
their own views with the money projections.
"""

from __future__ import annotations

from datetime import date

import anyio.to_thread
from litestar.di import NamedDependency
from litestar import Controller, get
from litestar.params import FromPath, FromQuery

from finsam_core.domain.values import MatterKind, validate_org_nr
from finsam_core.projections.fee_list import FeeList
from finsam_core.projections.roster import Roster
from finsam_service.lifespan import Services, wait_for_position
from finsam_service.meetings import queries
from finsam_service.meetings.schemas import DecisionEntry
from finsam_service.openapi import problems

__all__ = ["NetworkController"]


class NetworkController(Controller):
    path = "/v1/network"
    tags = ["nätverket"]

    @get("/decisions", operation_id="SearchNetworkDecisions", summary="Decisions across förbund (final minutes)",
         responses=problems(400, 503))
    async def decisions(
        self,
        services: NamedDependency[Services],
        forbund: FromQuery[str | None] = None,
        since: FromQuery[date | None] = None,
        until: FromQuery[date | None] = None,
        text: FromQuery[str | None] = None,
        matter: FromQuery[MatterKind | None] = None,
        limit: FromQuery[int] = 500,
        min_position: FromQuery[int | None] = None,
    ) -> list[DecisionEntry]:
        org_nr = validate_org_nr(forbund) if forbund else None
        await wait_for_position(services, min_position)
        return await queries.decisions(
            services.pool, org_nr=org_nr, since=since, until=until, text=text,
            matter=matter.value if matter else None, limit=max(1, min(limit, 5000)),
        )

    @get("/roster", operation_id="GetNetworkRoster", summary="NNS membership of every förbund on a day",
         responses=problems(400, 404))
    async def roster(self, services: NamedDependency[Services], as_of: FromQuery[date | None] = None) -> Roster:
        day = as_of or date.today()
        return await anyio.to_thread.run_sync(services.app.network_roster, day)

    @get("/fees/{year:int}", operation_id="GetNetworkFees", summary="NNS service fee per förbund for a year",
         responses=problems(400, 404, 422))
    async def fees(self, services: NamedDependency[Services], year: FromPath[int]) -> FeeList:
        return await anyio.to_thread.run_sync(services.app.fee_list, year)
