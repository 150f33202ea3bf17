"""The service's own tables (views, projection tracking and failures, API tokens) and connections to them.

The event store's tables belong to eventsourcing; these sit beside them in the same database.
Their versions are kept by :mod:`finsam_service.migrations`, run at every start and by ``finsam-serve migrate``.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import psycopg

from finsam_core.embedded import connect
from finsam_core.stores import environment_for

__all__ = ["TOKENS_SCHEMA", "VIEWS_SCHEMA", "apply_schema", "asyncpg_arguments", "connect", "create_pool"]

VIEWS_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_projection_tracking (
    name text PRIMARY KEY,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_projection_failures (
    projection text NOT NULL,
    position bigint NOT NULL,
    topic text NOT NULL,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    reason text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 1,
    PRIMARY KEY (projection, position)
);
CREATE TABLE IF NOT EXISTS finsam_forbund (
    org_nr text PRIMARY KEY,
    name text NOT NULL,
    founded_on date NOT NULL,
    members jsonb NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_meetings (
    org_nr text NOT NULL,
    reference text NOT NULL,
    held_on date NOT NULL,
    place text NOT NULL,
    final boolean NOT NULL,
    adjusted_on date,
    minutes jsonb NOT NULL,
    minutes_text text NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, reference)
);
CREATE TABLE IF NOT EXISTS finsam_decisions (
    org_nr text NOT NULL,
    meeting text NOT NULL,
    held_on date NOT NULL,
    paragraph integer NOT NULL,
    seq integer NOT NULL,
    title text NOT NULL,
    clauses jsonb NOT NULL,
    matter text NOT NULL,
    outcome text,
    reservations jsonb NOT NULL,
    final boolean NOT NULL,
    search text NOT NULL,
    PRIMARY KEY (org_nr, meeting, paragraph, seq)
);
CREATE INDEX IF NOT EXISTS finsam_decisions_held_on ON finsam_decisions (held_on);
"""
"""The view tables the records projection keeps (with the money and draft tables: :mod:`finsam_service.migrations`)."""

TOKENS_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_api_tokens (
    sha256 text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('forbund-writer', 'network-admin', 'admin')),
    org_nr text,
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'forbund-writer') = (org_nr IS NOT NULL))
);
"""
"""API tokens as the first release made them; later steps in :mod:`finsam_service.migrations` change them."""


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
        **asyncpg_arguments(url),
    )
    assert pool is not None
    return pool


def psycopg_connect(url: str) -> psycopg.Connection[Any]:
    """A non-autocommit psycopg connection (the projection worker's transactions)."""
    connection = connect(url)
    connection.autocommit = False
    return connection
