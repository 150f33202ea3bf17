"""Connections to the service's database: the read pool, the worker's connection, the schema's migration.

The event store's tables belong to eventsourcing; the views' (:mod:`finsam_core.projections.postgres_schema`)
and the service's own records (:mod:`finsam_service.migrations`) sit beside them in the same database.
Their versions are kept by :mod:`finsam_service.migrations`, run at every start and by ``finsam-serve migrate``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import psycopg

from finsam_core.embedded import connect
from finsam_core.stores import environment_for

__all__ = ["apply_schema", "asyncpg_arguments", "connect", "create_pool"]


def apply_schema(url: str) -> list[str]:
    """Bring the service's tables in the database at ``url`` to this code's version (:func:`migrations.migrate`)."""
    from finsam_service.migrations import migrate

    return migrate(url)


def asyncpg_arguments(url: str) -> dict[str, Any]:
    """asyncpg's connection arguments for a finsam PostgreSQL store URL."""
    env = environment_for(url)
    return {
        "host": env["POSTGRES_HOST"],
        "port": int(env["POSTGRES_PORT"]),
        "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"] or None,
        "database": env["POSTGRES_DBNAME"],
    }


async def create_pool(url: str, min_size: int, max_size: int, timeout: float = 2.0) -> asyncpg.Pool:
    """An asyncpg pool for the service's reads: ``timeout`` bounds a connection attempt, five times it a query.

    With the database away, a read therefore fails within the bound (a 503) instead of hanging.
    """
    pool = await asyncpg.create_pool(
        min_size=min_size,
        max_size=max_size,
        timeout=timeout,
        command_timeout=timeout * 5,
        init=_numeric_as_text,
        **asyncpg_arguments(url),
    )
    assert pool is not None
    return pool


async def _numeric_as_text(connection: asyncpg.Connection) -> None:
    """Read ``numeric`` through its text form: asyncpg's binary codec gives 50 000 as ``Decimal('5E+4')``,
    which the API would then answer as the string ``"5E+4"`` (any round amount: a cap, a budget line)."""
    await connection.set_type_codec("numeric", encoder=str, decoder=Decimal, schema="pg_catalog", format="text")


def psycopg_connect(url: str) -> psycopg.Connection[Any]:
    """A non-autocommit psycopg connection (the projection worker's transactions)."""
    connection = connect(url)
    connection.autocommit = False
    return connection
