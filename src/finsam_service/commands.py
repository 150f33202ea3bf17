"""Running the library's commands from async handlers: off the event loop, as the caller, with their log position.

:func:`execute` is the one place where the service runs a command; a handler reaches it through
:class:`Commands`, which :mod:`finsam_service.deps` injects with the request's application and actor.
Who may run a command is decided before, by the route's guard (:mod:`finsam_service.guards`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import anyio.to_thread
import msgspec
import structlog

from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor
from finsam_service.access import Caller
from finsam_service.idempotency import CLAIM, mark_claim

__all__ = ["Commands", "Written", "actor_of", "execute"]

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


async def execute(
    app: Finsam, command: Callable[[Finsam], T], actor: Actor | None, wake: Callable[[], object] | None = None
) -> tuple[T, int]:
    """Run ``command`` in one unit of work in a worker thread (eventsourcing is synchronous) as ``actor``.

    Returns its result and the log position its write reached. A request with an ``Idempotency-Key``
    marks its claim in the write's own transaction; ``wake`` (the projection worker's) is called
    after the write, so that the views follow at once.
    """
    claim = CLAIM.get()
    also = (mark_claim(claim),) if claim is not None else ()
    result, position = await anyio.to_thread.run_sync(lambda: app.run(command, actor=actor, also=also))
    if wake is not None:
        wake()
    return result, position


@dataclass(frozen=True)
class Commands:
    """The application as one request writes to it: each command runs as the request's ``actor``.

    ``command`` is a call of the application's methods, ``lambda app: app.convene_meeting(...)``.
    """

    app: Finsam
    actor: Actor | None
    wake: Callable[[], object] | None = None
    """Called after each command: wakes the projection worker."""

    async def run(self, command: Callable[[Finsam], T]) -> tuple[T, int]:
        """Run ``command``: what it returns and the log position it reached."""
        return await execute(self.app, command, self.actor, self.wake)

    async def record(self, command: Callable[[Finsam], object]) -> Written:
        """Run ``command`` that answers nothing but its position."""
        _, position = await self.run(command)
        return Written(position)
