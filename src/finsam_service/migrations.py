"""Versioned schema of the service's own tables: at every start on the primary, and ``finsam-serve migrate``.

The service keeps two kinds of table beside eventsourcing's, and versions them differently:

- **Records kept nowhere else** (API tokens, Idempotency-Key claims) change by :data:`STEPS`: an
  ordered list, each step applied once and in order, in one transaction with the version it
  reaches. A step never drops what a user recorded.
- **Views** (everything the projections write, and their tracking) are derived from the event log.
  Their definitions carry one number, :data:`VIEWS_VERSION`; when the database's is lower, the
  view tables are dropped, created from the current definitions and the worker rebuilds them from
  the log. A changed view therefore needs no hand-written migration, only a new number.

Versions live in ``finsam_schema_versions`` (``part``: ``records`` or ``views``). A database whose
version is newer than this code's is refused with one sentence (an older release must not
write into a newer schema). Migrations run under an advisory lock, so concurrent starts wait for
each other, and never on a read replica (:func:`finsam_service.replica.ensure_primary`).
A database made before versions existed has none recorded: every step is written to be a no-op
where it was already applied, and its views are rebuilt once.

Why not Alembic: our tables are plain SQL kept by asyncpg and psycopg, without SQLAlchemy models to
diff; most of them are views that need no migration at all, only a rebuild; and what Alembic would
add for the few record tables — a version table, ordered steps, a lock — is the forty lines below,
with the same guarantees (one transaction per run, an advisory lock, refusal of a newer schema).
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import psycopg

from finsam_core.embedded import connect
from finsam_core.errors import InvalidInput
from finsam_core.projections.postgres_schema import SCHEMA as VIEWS_SCHEMA
from finsam_core.projections.postgres_schema import TABLES as VIEW_TABLES

__all__ = ["STEPS", "VIEWS_VERSION", "VIEW_TABLES", "Step", "migrate", "versions"]


class Step(NamedTuple):
    version: int
    description: str
    sql: str


_TOKENS_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS finsam_api_tokens (
    sha256 text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('forbund-writer', 'network-admin', 'admin')),
    org_nr text,
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'forbund-writer') = (org_nr IS NOT NULL))
);
"""
"""API tokens as the first release made them; later steps change them."""


_IDEMPOTENCY_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS finsam_idempotency_keys (
    caller text NOT NULL,
    key text NOT NULL,
    request_sha256 text NOT NULL,
    status integer,
    content_type text,
    body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
"""
"""Idempotency-Key claims as the first release made them (rows may be pruned by age); step 3 adds the lease
and the position."""


STEPS: Final = (
    Step(1, "API tokens and Idempotency-Key claims (first release)", _TOKENS_SCHEMA + _IDEMPOTENCY_SCHEMA),
    Step(
        2,
        "tokens: expiry, last use, revocation; the metrics role",
        """
ALTER TABLE finsam_api_tokens ADD COLUMN IF NOT EXISTS expires_at timestamptz;
ALTER TABLE finsam_api_tokens ADD COLUMN IF NOT EXISTS last_used_at timestamptz;
ALTER TABLE finsam_api_tokens ADD COLUMN IF NOT EXISTS revoked_at timestamptz;
ALTER TABLE finsam_api_tokens DROP CONSTRAINT IF EXISTS finsam_api_tokens_role_check;
ALTER TABLE finsam_api_tokens ADD CONSTRAINT finsam_api_tokens_role_check
    CHECK (role IN ('forbund-writer', 'network-admin', 'admin', 'metrics'));
""",
    ),
    Step(
        3,
        "Idempotency-Key claims: a lease (a crashed request's claim runs out) and the write's position",
        """
ALTER TABLE finsam_idempotency_keys ADD COLUMN IF NOT EXISTS lease_until timestamptz NOT NULL DEFAULT now();
ALTER TABLE finsam_idempotency_keys ADD COLUMN IF NOT EXISTS position bigint;
""",
    ),
)
"""The records' steps, in order. Append; never edit a step that has shipped."""

VIEWS_VERSION: Final = 13
"""1: the first release's views. 2: draft marks (``decided_in``, ``finsam_draft_events``). 3: failed positions.
4: the domain's results stored (roster entries with their days, fees per allocation, the years of memberships
and fee policies), open assignments, the decisions' vote counts. 5: the minutes as the documents lay them out
(``finsam_meetings.sheet``) with their deadlines. 6: the budget status's deviations rounded once to the öre
and the members' liquidation flags (issue 15), recomputed from the log. 7: the board's seats and officers per förbund
(``finsam_forbund.board``, ``.offices``). 8: the verksamhetsplan per förbund and year
(``finsam_plan_years``). 9: the annual reports' discharge status with the year's auditors
and each member's chain of proposals (issue 15). 10: the participant figures' breakdowns
(``finsam_participants.breakdowns``: kommun, age, income source, ...). 11: the amount a decision carries
(``finsam_decisions.amount``, ``.period``), the spending against them (``finsam_decision_spending``)
and the members' payments (``finsam_member_payments``). 12: the delegation register and per capsulam book
per förbund (``finsam_delegation``, ``finsam_per_capsulam``). 13: the delegation orders' ``decided_in``
(an order adopted in minutes not yet adjusted is a draft). The views' definitions live in
:mod:`finsam_core.projections.postgres_schema`."""

_LOCK: Final = 742001
_VERSIONS_TABLE: Final = """
CREATE TABLE IF NOT EXISTS finsam_schema_versions (
    part text PRIMARY KEY,
    version integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""


def versions(url: str) -> dict[str, int]:
    """The versions the database at ``url`` is at (``{}`` before the first migration)."""
    with connect(url) as connection:
        exists = connection.execute("SELECT to_regclass('finsam_schema_versions') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return {}
        rows = connection.execute("SELECT part, version FROM finsam_schema_versions").fetchall()
    return {part: int(version) for part, version in rows}


def migrate(url: str) -> list[str]:
    """Bring the database at ``url`` to this code's versions; returns a line per change made (none: up to date)."""
    done: list[str] = []
    latest = STEPS[-1].version
    with connect(url) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (_LOCK,))
        try:
            with connection.transaction():
                connection.execute(_VERSIONS_TABLE)
                rows = connection.execute("SELECT part, version FROM finsam_schema_versions FOR UPDATE").fetchall()
                current = {part: int(version) for part, version in rows}
                records, views = current.get("records", 0), current.get("views", 0)
                if records > latest or views > VIEWS_VERSION:
                    raise InvalidInput(
                        f"Databasens schema (poster {records}, vyer {views}) är nyare än den här versionen av "
                        f"finsam (poster {latest}, vyer {VIEWS_VERSION}); starta den nyare versionen."
                    )
                for step in STEPS:
                    if step.version > records:
                        connection.execute(step.sql)
                        done.append(f"records {step.version}: {step.description}")
                if latest > records:
                    _record(connection, "records", latest)
                if views < VIEWS_VERSION:
                    for table in VIEW_TABLES:
                        connection.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
                    connection.execute(VIEWS_SCHEMA)
                    _record(connection, "views", VIEWS_VERSION)
                    done.append(f"views {views} -> {VIEWS_VERSION}: view tables created anew, rebuilt from the log")
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_LOCK,))
    return done


def _record(connection: psycopg.Connection[Any], part: str, version: int) -> None:
    connection.execute(
        "INSERT INTO finsam_schema_versions (part, version) VALUES (%s, %s) "
        "ON CONFLICT (part) DO UPDATE SET version = excluded.version, applied_at = now()",
        (part, version),
    )
