"""What the service holds while it runs: ONE asyncpg pool, ONE finsam application, the projection worker.

The number of database connections does not grow with the number of förbund: the pool (reads and
token checks), the application's own psycopg pool (commands) and one connection for the worker.
With ``FINSAM_READ_DATABASE_URL`` a second asyncpg pool on that replica serves the views' reads
(``Services.read_pool``; without it that is the primary's pool): see :mod:`finsam_service.replica`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import asyncpg
from litestar import Litestar
from litestar.exceptions import ServiceUnavailableException
from prometheus_client import Gauge
from psycopg_pool import ConnectionPool

from finsam_core.application import Finsam
from finsam_core.errors import InvalidInput
from finsam_core.projections.follower import Progress, ProjectionWorker
from finsam_core.projections.records import RecordsProjection
from finsam_service.database import apply_schema, create_pool
from finsam_service.replica import ensure_primary
from finsam_service.settings import Settings
from finsam_service.worker import ServiceWorker

__all__ = [
    "Services",
    "count_failed_positions",
    "lifespan",
    "observe_projection",
    "open_services",
    "projected_position",
    "wait_for_position",
]

PROJECTION_POSITION = Gauge("finsam_projection_position", "Log position the views have reached", ["projection"])
PROJECTION_LAG = Gauge(
    "finsam_projection_lag_events", "Events in the log the views have not applied yet", ["projection"]
)
PROJECTION_FAILED = Gauge(
    "finsam_projection_failed_positions", "Events the views could not apply (project --list-failed)", ["projection"]
)


def observe_projection(progress: Progress) -> None:
    """The Prometheus gauges after a batch: position reached, events behind the log, failed positions."""
    PROJECTION_LAG.labels(progress.projection).set(progress.lag)
    if progress.position is not None:
        PROJECTION_POSITION.labels(progress.projection).set(progress.position)
    if progress.failed is not None:
        PROJECTION_FAILED.labels(progress.projection).set(progress.failed)


@dataclass
class Services:
    """The pools, the application and the worker, as handlers receive them.

    ``pool`` is the primary's (writes, tokens, idempotency); ``read_pool`` is where the views are read,
    the replica's when ``FINSAM_READ_DATABASE_URL`` is set and otherwise the same pool.
    """

    settings: Settings
    url: str
    app: Finsam
    pool: asyncpg.Pool
    worker: ProjectionWorker | None
    read_pool: asyncpg.Pool
    library_pool: ConnectionPool[Any] | None = None
    """psycopg connections for the reads the core composes itself (``Views.library``), opened on first use."""

    @property
    def reads_from_replica(self) -> bool:
        return self.read_pool is not self.pool


def open_services(settings: Settings, url: str) -> tuple[Finsam, ProjectionWorker | None]:
    ensure_primary(url)  # A replica here would fail later, on its first CREATE TABLE, with less to go on.
    apply_schema(url)
    # A write waits at most this long for a connection (eventsourcing's pool), so with the database
    # away it fails as a 503 within the bound instead of hanging until the database is back.
    connect_timeout = {"POSTGRES_CONNECT_TIMEOUT": str(max(1, round(settings.database_timeout_seconds)))}
    app = Finsam({**settings.write_bounds.environment(), **connect_timeout}, store_url=url)
    worker = None
    if settings.run_projections:
        worker = ServiceWorker(
            app,
            url,
            RecordsProjection(app),
            batch_size=settings.projection_batch_size,
            poll_seconds=settings.projection_poll_seconds,
            observe=observe_projection,
            coalesce_seconds=settings.projection_coalesce_seconds,
            listen=True,  # Writes by other processes (more service processes, the command line) wake it too.
        )
        worker.start()
    return app, worker


@asynccontextmanager
async def lifespan(litestar: Litestar) -> AsyncIterator[None]:
    settings: Settings = litestar.state.settings
    url = settings.database_url
    if url is None:
        raise RuntimeError("FINSAM_DATABASE_URL is not set (finsam serve starts an embedded server first).")
    app, worker = await anyio.to_thread.run_sync(open_services, settings, url)
    pool = await create_pool(url, settings.pool_min_size, settings.pool_max_size, settings.database_timeout_seconds)
    read_pool = pool
    try:
        if settings.read_database_url:  # Never a schema or migration there: the replica follows the primary's.
            read_pool = await create_pool(
                settings.read_database_url,
                settings.pool_min_size,
                settings.pool_max_size,
                settings.database_timeout_seconds,
            )
        litestar.state.services = Services(settings, url, app, pool, worker, read_pool)
        litestar.state.pool = pool
        yield
    finally:
        if worker is not None:
            await anyio.to_thread.run_sync(worker.stop)
        services = getattr(litestar.state, "services", None)
        if services is not None and services.library_pool is not None:
            await anyio.to_thread.run_sync(services.library_pool.close)
        if read_pool is not pool:
            await read_pool.close()
        await pool.close()
        await anyio.to_thread.run_sync(app.close)


async def projected_position(pool: asyncpg.Pool) -> int:
    value = await pool.fetchval("SELECT position FROM finsam_projection_tracking WHERE name = 'records'")
    return int(value or 0)


async def wait_for_position(services: Services, min_position: int | None) -> None:
    """Return once the views that reads see include ``min_position``; 503 after the configured bound.

    With a read replica that is the replica's projected position: the wait then covers both the
    projection and the replication, within the same bound (``FINSAM_READ_WAIT_SECONDS``).
    A position beyond the log's end is a 400 at once: no write has returned it.
    """
    if not min_position:
        return
    if await projected_position(services.read_pool) >= min_position:
        return
    last_id: int | None = await anyio.to_thread.run_sync(services.app.recorder.max_notification_id)
    log_end = last_id or 0
    if min_position > log_end:  # No write has returned this position: waiting could never end.
        raise InvalidInput(f"Position {min_position} finns inte i händelseloggen (den slutar på {log_end}).")
    if isinstance(services.worker, ServiceWorker):
        services.worker.hurry()  # Not to wait for the worker's gathering window (finsam_service.worker).
    elif services.worker is not None:
        services.worker.wake.set()
    deadline = time.monotonic() + services.settings.read_wait_seconds
    delay = 0.002
    while await projected_position(services.read_pool) < min_position:
        if time.monotonic() >= deadline:
            raise ServiceUnavailableException(
                f"Vyerna har ännu inte nått position {min_position}; försök igen om en stund.",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.05)


async def count_failed_positions(pool: asyncpg.Pool, projection: str) -> int:
    """How many failed positions ``projection`` has (for ``/ready``)."""
    value = await pool.fetchval("SELECT count(*) FROM finsam_projection_failures WHERE projection = $1", projection)
    return int(value or 0)
