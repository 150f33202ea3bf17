"""What the service publishes for witnesses: signed heads and the leaves between them, hashes only.

``finsam witness https://...`` reads these two routes (finsam_core.audit.witness). They read the
event store itself in a worker thread; no token is needed, because a leaf reveals nothing of an
event's payload (drafts stay private) and a head is a signed hash.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from finsam_core.application import Finsam
from finsam_core.audit.publish import MAX_HEADS, MAX_LEAVES, published_heads, published_leaves
from finsam_core.audit.witness_wire import WireHeads, WireLeaves, wire_heads, wire_leaves
from finsam_service.openapi import problems

__all__ = ["PublishedController"]

_POSITION = 2**62
Position = Annotated[int, QueryParameter(ge=0, le=_POSITION)]


def _heads(app: Finsam, since: int, limit: int) -> WireHeads:
    return wire_heads(published_heads(app, since, limit))


def _leaves(app: Finsam, after: int, upto: int, limit: int) -> WireLeaves:
    return wire_leaves(published_leaves(app, after, upto, limit))


class PublishedController(Controller):
    path = "/v1/audit"
    tags = ("revision",)

    @get(
        "/heads",
        operation_id="GetPublishedHeads",
        summary="The store's public key, its latest signed head and the signed heads after a position",
        responses=problems(400),
    )
    async def heads(
        self,
        app: NamedDependency[Finsam],
        since: Position = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_HEADS)] = MAX_HEADS,
    ) -> WireHeads:
        return await anyio.to_thread.run_sync(_heads, app, since, limit)

    @get(
        "/leaves",
        operation_id="GetPublishedLeaves",
        summary="The leaf hash of every event after one position up to another (no payloads), for re-hashing",
        responses=problems(400),
    )
    async def leaves(
        self,
        app: NamedDependency[Finsam],
        after: Position = 0,
        upto: Position = _POSITION,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LEAVES)] = MAX_LEAVES,
    ) -> WireLeaves:
        return await anyio.to_thread.run_sync(_leaves, app, after, upto, limit)
