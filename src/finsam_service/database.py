"""The service's own tables (views, projection tracking and failures, API tokens) and connections to them.

The event store's tables belong to eventsourcing; these sit beside them in the same database.
Every statement is idempotent, so applying the schema at each start is the migration for now.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import psycopg

from finsam_core.embedded import connect
from finsam_core.stores import environment_for
from finsam_service.idempotency import SCHEMA as IDEMPOTENCY_SCHEMA
from finsam_service.money_projection import MONEY_SCHEMA

__all__ = ["SCHEMA", "apply_schema", "asyncpg_arguments", "connect", "create_pool"]

SCHEMA = """
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
CREATE TABLE IF NOT EXISTS finsam_api_tokens (
    sha256 text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('forbund-writer', 'network-admin', 'admin')),
    org_nr text,
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'forbund-writer') = (org_nr IS NOT NULL))
);
"""


def apply_schema(url: str) -> None:
    """Create the service's tables in the database at ``url`` if they are missing."""
    with connect(url) as connection:
        # Serialise concurrent starts (several service workers) on one advisory lock.
        connection.execute("SELECT pg_advisory_lock(742001)")
        try:
            connection.execute(SCHEMA)
            connection.execute(MONEY_SCHEMA)
            connection.execute(IDEMPOTENCY_SCHEMA)
        finally:
            connection.execute("SELECT pg_advisory_unlock(742001)")


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


async def create_pool(url: str, min_size: int, max_size: int) -> asyncpg.Pool:
    """The one asyncpg pool the service's reads share."""
    pool = await asyncpg.create_pool(min_size=min_size, max_size=max_size, **asyncpg_arguments(url))
    assert pool is not None
    return pool


def psycopg_connect(url: str) -> psycopg.Connection[Any]:
    """A non-autocommit psycopg connection (the projection worker's transactions)."""
    connection = connect(url)
    connection.autocommit = False
    return connection
