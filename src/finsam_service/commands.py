"""Running the library's commands from async handlers: off the event loop, with their log position."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
import msgspec
import structlog
from litestar import Request

from finsam_core.audit.actor import Actor
from finsam_service.access import Caller, caller_of, require_admin, require_network_admin, require_writer
from finsam_service.application import ServiceFinsam
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


async def execute(services: Services, command: Callable[[], T], caller: Caller | None = None) -> tuple[T, int]:
    """Run ``command`` in a worker thread (eventsourcing is synchronous); wake the projection after it.

    The write is recorded as made by ``caller`` over HTTP (see :func:`actor_of`).
    """
    claim = CLAIM.get()
    if claim is not None:  # the write marks its Idempotency-Key claim in its own transaction
        result, position = await anyio.to_thread.run_sync(_run_marking, services, command, caller, claim)
    else:
        result, position = await anyio.to_thread.run_sync(services.app.run, command, actor_of(caller))
    if services.worker is not None:
        services.worker.wake.set()
    return result, position


def _run_marking(
    services: Services, command: Callable[[], T], caller: Caller | None, claim: tuple[str, str]
) -> tuple[T, int]:
    with services.app.recording_also(mark_claim(claim)):
        return services.app.run(command, actor_of(caller))


async def run_for(
    services: Services,
    caller: Caller | None,
    org_nr: str,
    command: Callable[[ServiceFinsam], T],
    *,
    year: int | None = None,
) -> tuple[T, int]:
    """A write of ``org_nr``'s writers: check the caller (then ``year``), run ``command``, return value and position."""
    require_writer(caller, org_nr)
    if year is not None:
        valid_year(year)
    return await execute(services, lambda: command(services.app), caller)


async def record_for(
    services: Services,
    caller: Caller | None,
    org_nr: str,
    command: Callable[[ServiceFinsam], object],
    *,
    year: int | None = None,
) -> Written:
    """:func:`run_for` for a write that answers only its position."""
    _, position = await run_for(services, caller, org_nr, command, year=year)
    return Written(position)


async def run_for_network(
    services: Services, caller: Caller | None, command: Callable[[ServiceFinsam], T]
) -> tuple[T, int]:
    """A write of the network's admins (or an admin): check the caller, run ``command``, return value and position."""
    require_network_admin(caller)
    return await execute(services, lambda: command(services.app), caller)


async def record_for_network(
    services: Services, caller: Caller | None, command: Callable[[ServiceFinsam], object]
) -> Written:
    """:func:`run_for_network` for a write that answers only its position."""
    _, position = await run_for_network(services, caller, command)
    return Written(position)


async def run_as_admin(
    services: Services, caller: Caller | None, command: Callable[[ServiceFinsam], T]
) -> tuple[T, int]:
    """A write for admins only: check the caller, run ``command``, return value and position."""
    require_admin(caller)
    return await execute(services, lambda: command(services.app), caller)


async def provide_services(request: Request) -> Services:  # type: ignore[type-arg]
    services: Services = request.app.state.services
    return services


async def provide_caller(request: Request) -> Caller | None:  # type: ignore[type-arg]
    return await caller_of(request)
