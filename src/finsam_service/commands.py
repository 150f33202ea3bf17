"""Running the library's commands from async handlers: off the event loop, with their log position."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
import msgspec
import structlog
from litestar import Request

from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor
from finsam_service.access import Caller, caller_of, require_admin, require_network_admin, require_writer
from finsam_service.idempotency import CLAIM, mark_claim
from finsam_service.lifespan import Services
from finsam_service.years import valid_year

__all__ = [
    "Written",
    "actor_of",
    "execute",
    "provide_caller",
    "provide_services",
    "record_for",
    "record_for_network",
    "run_as_admin",
    "run_for",
    "run_for_network",
]

T = TypeVar("T")


class Written(msgspec.Struct, frozen=True):
    """What every write returns: the log position it reached (pass it back as ``min_position``)."""

    position: int


def actor_of(caller: Caller | None) -> Actor | None:
    """The audit trail's actor for a write by ``caller`` in the current request (its request id)."""
    if caller is None:
        return None
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    return Actor.http(token_id=caller.token_id, role=caller.role.value, label=caller.label, request_id=request_id)


async def execute(services: Services, command: Callable[[Finsam], T], caller: Caller | None = None) -> tuple[T, int]:
    """Run ``command`` in one unit of work in a worker thread (eventsourcing is synchronous); wake the projection.

    The write is recorded as made by ``caller`` over HTTP (see :func:`actor_of`); it marks the
    request's ``Idempotency-Key`` claim, if any, in its own transaction. Returns the command's
    result and the log position its write reached.
    """
    claim = CLAIM.get()
    also = (mark_claim(claim),) if claim is not None else ()
    actor = actor_of(caller)
    result, position = await anyio.to_thread.run_sync(lambda: services.app.run(command, actor=actor, also=also))
    if services.worker is not None:
        services.worker.wake.set()
    return result, position


async def run_for(
    services: Services,
    caller: Caller | None,
    org_nr: str,
    command: Callable[[Finsam], T],
    *,
    year: int | None = None,
) -> tuple[T, int]:
    """A write of ``org_nr``'s writers: check the caller (then ``year``), run ``command``, return value and position."""
    require_writer(caller, org_nr)
    if year is not None:
        valid_year(year)
    return await execute(services, command, caller)


async def record_for(
    services: Services,
    caller: Caller | None,
    org_nr: str,
    command: Callable[[Finsam], object],
    *,
    year: int | None = None,
) -> Written:
    """:func:`run_for` for a write that answers only its position."""
    _, position = await run_for(services, caller, org_nr, command, year=year)
    return Written(position)


async def run_for_network(services: Services, caller: Caller | None, command: Callable[[Finsam], T]) -> tuple[T, int]:
    """A write of the network's admins (or an admin): check the caller, run ``command``, return value and position."""
    require_network_admin(caller)
    return await execute(services, command, caller)


async def record_for_network(services: Services, caller: Caller | None, command: Callable[[Finsam], object]) -> Written:
    """:func:`run_for_network` for a write that answers only its position."""
    _, position = await run_for_network(services, caller, command)
    return Written(position)


async def run_as_admin(services: Services, caller: Caller | None, command: Callable[[Finsam], T]) -> tuple[T, int]:
    """A write for admins only: check the caller, run ``command``, return value and position."""
    require_admin(caller)
    return await execute(services, command, caller)


async def provide_services(request: Request) -> Services:  # type: ignore[type-arg]
    services: Services = request.app.state.services
    return services


async def provide_caller(request: Request) -> Caller | None:  # type: ignore[type-arg]
    return await caller_of(request)
