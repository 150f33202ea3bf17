"""The network-level picture (NNS and every förbund): roster, fees, summary, participant figures and
decisions across förbund. Every read comes from the PostgreSQL views through the asyncpg pool.
"""

from __future__ import annotations

from datetime import date

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from finsam_core.projections.fee_list import FeeList
from finsam_core.values import MatterKind, validate_org_nr
from finsam_service.lifespan import Services, wait_for_position
from finsam_service.meetings import queries
from finsam_service.meetings.schemas import DecisionEntry
from finsam_service.network import queries as network_queries
from finsam_service.network.schemas import NetworkParticipants, NetworkRoster, NetworkSummary
from finsam_service.openapi import problems
from finsam_service.years import valid_year

__all__ = ["NetworkController"]


class NetworkController(Controller):
    path = "/v1/network"
    tags = ("nätverket",)

    @get(
        "/decisions",
        operation_id="SearchNetworkDecisions",
        summary="Decisions across förbund (final minutes)",
        responses=problems(400, 503),
    )
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
            services.read_pool,
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
        services: NamedDependency[Services],
        as_of: FromQuery[date | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> NetworkRoster:
        await wait_for_position(services, min_position)
        return await network_queries.roster(services.read_pool, as_of or date.today())

    @get(
        "/fees/{year:int}",
        operation_id="GetNetworkFees",
        summary="NNS service fee per förbund for a year",
        responses=problems(400, 404, 503),
    )
    async def fees(
        self, services: NamedDependency[Services], year: FromPath[int], min_position: FromQuery[int | None] = None
    ) -> FeeList:
        await wait_for_position(services, min_position)
        valid_year(year)
        return await network_queries.fees(services.read_pool, year)

    @get(
        "/summary",
        operation_id="GetNetworkSummary",
        summary="Förbund and NNS members, total allocation, equity ratios, budget against outcome per förbund",
        responses=problems(400, 503),
    )
    async def summary(
        self,
        services: NamedDependency[Services],
        year: FromQuery[int | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> NetworkSummary:
        await wait_for_position(services, min_position)
        year = valid_year(year or date.today().year)
        return await network_queries.summary(services.read_pool, year)

    @get(
        "/participants/{year:int}",
        operation_id="GetNetworkParticipants",
        summary="Participant figures per förbund and summed",
        responses=problems(400, 503),
    )
    async def participants(
        self, services: NamedDependency[Services], year: FromPath[int], min_position: FromQuery[int | None] = None
    ) -> NetworkParticipants:
        await wait_for_position(services, min_position)
        valid_year(year)
        return await network_queries.participants(services.read_pool, year)
