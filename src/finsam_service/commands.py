"""Running the library's commands from async handlers: off the event loop, with their log position."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
import msgspec
from litestar import Request

from finsam_service.access import Caller, caller_of
from finsam_service.lifespan import Services

__all__ = ["Written", "execute", "provide_caller", "provide_services"]

T = TypeVar("T")


class Written(msgspec.Struct, frozen=True):
    """What every write returns: the log position it reached (pass it back as ``min_position``)."""

    position: int


async def execute(services: Services, command: Callable[[], T]) -> tuple[T, int]:
    """Run ``command`` in a worker thread (eventsourcing is synchronous); wake the projection after it."""
    result, position = await anyio.to_thread.run_sync(services.app.run, command)
    if services.worker is not None:
        services.worker.wake.set()
    return result, position


async def provide_services(request: Request) -> Services:  # type: ignore[type-arg]
    services: Services = request.app.state.services
    return services


async def provide_caller(request: Request) -> Caller | None:  # type: ignore[type-arg]
    return await caller_of(request)
