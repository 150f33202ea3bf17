"""What a handler receives: Litestar's dependency injection, by the name of the handler's parameter.

=============  ==============================================================================
``caller``     the holder of the request's token, or None (looked up once per request)
``commands``   the application as the caller writes to it (:class:`~finsam_service.commands.Commands`)
``app``        the application itself, for reads replayed from the event store (audit trail, as-of)
``views``      the read side: the views' pool, once they include a ``min_position`` (:class:`Views`)
``drafts``     whether the caller may read the drafts of the förbund in the path (``{org_nr}``)
``services``   the running process as a whole (pools, worker, settings), for ``/ready`` only
=============  ==============================================================================

Handlers declare them as ``NamedDependency[...]`` parameters; :func:`finsam_service.app.create_app`
registers :data:`DEPENDENCIES` on the app. Who may call a route is not a dependency but a guard
(:mod:`finsam_service.guards`): it runs before any of these is resolved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
import asyncpg
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from psycopg_pool import ConnectionPool

from finsam_core.application import Finsam
from finsam_core.projections.postgres import PostgresViews
from finsam_core.values import validate_org_nr
from finsam_service.access import Caller, caller_of, may_read_drafts
from finsam_service.commands import Commands, actor_of
from finsam_service.lifespan import Services, projected_position, wait_for_position

__all__ = ["DEPENDENCIES", "Views"]

T = TypeVar("T")


class Views:
    """The views as a read sees them: their pool (the replica's, with one), read your writes by ``min_position``."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self.pool: asyncpg.Pool = services.read_pool
        self.app: Finsam = services.app

    async def including(self, min_position: int | None) -> asyncpg.Pool:
        """The views' pool once they include ``min_position`` (a position a write answered); 503 past the bound."""
        await wait_for_position(self._services, min_position)
        return self.pool

    async def position(self) -> int:
        """The log position the views have reached."""
        return await projected_position(self.pool)

    async def library(self, read: Callable[[PostgresViews], T]) -> T:
        """``read`` over the library's own reads of the views (:class:`PostgresViews`), in a thread, on the
        database the views are read from: for reads the core composes itself (the statutory clock).

        The connections come from a small psycopg pool kept with the services (opened on the first such
        read), not one connection per request: a connection costs more than most of these reads."""
        pool = self._services.library_pool
        if pool is None:
            settings = self._services.settings
            timeout = max(1, round(settings.database_timeout_seconds))  # the database away: a 503 within the bound
            pool = self._services.library_pool = ConnectionPool(
                settings.read_database_url or self._services.url,
                min_size=1,
                max_size=4,
                kwargs={"autocommit": True, "connect_timeout": timeout},
                timeout=settings.database_timeout_seconds,
                open=True,  # connects in the pool's own threads; the event loop does not wait
            )
        library_pool = pool

        def run() -> T:
            with library_pool.connection() as connection, connection.cursor() as cursor:
                return read(PostgresViews(cursor))

        return await anyio.to_thread.run_sync(run)


# Litestar resolves the providers a handler needs in batches by depth, and a batch of two or more in an
# anyio task group: a task per provider, spawned and joined on every request (litestar-org/litestar#4563),
# which cost a read more than the providers themselves. So the providers form one chain,
# ``views`` -> ``app`` -> ``drafts``, each taking the rest from the request and the app's state
# (Litestar's reserved ``request`` and ``state``): whatever subset of them a handler names, each batch
# holds one provider, resolved in the request's own task. ``commands``, ``caller`` and ``services``
# depend on no provider. tests/service/test_dependencies.py keeps it so.


def _services(state: State) -> Services:
    services: Services = state.services
    return services


async def provide_services(state: State) -> Services:
    return _services(state)


async def provide_caller(request: Request[Any, Any, Any]) -> Caller | None:
    return await caller_of(request)  # Kept on the request: the edge, the guard and this look it up once.


async def provide_views(state: State) -> Views:
    return Views(_services(state))


async def provide_app(views: NamedDependency[Views]) -> Finsam:
    return views.app


async def provide_commands(request: Request[Any, Any, Any], state: State) -> Commands:
    services = _services(state)
    worker = services.worker
    return Commands(services.app, actor_of(await caller_of(request)), worker.wake.set if worker is not None else None)


async def provide_drafts(app: NamedDependency[Finsam], request: Request[Any, Any, Any], org_nr: FromPath[str]) -> bool:
    del app  # Only its place in the chain (above).
    return may_read_drafts(await caller_of(request), validate_org_nr(org_nr))


DEPENDENCIES: dict[str, Any] = {
    "services": Provide(provide_services),
    "caller": Provide(provide_caller),
    "app": Provide(provide_app),
    "commands": Provide(provide_commands),
    "views": Provide(provide_views),
    "drafts": Provide(provide_drafts),
}
"""The app's dependencies, by parameter name."""
