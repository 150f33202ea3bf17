"""Fixtures for the audit tests: a signing key of their own and raw SQL on the store's tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.stores import environment_for


@pytest.fixture(autouse=True)
def signing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test signs with a fresh key in its temporary directory."""
    path = tmp_path / "signing-key.pem"
    monkeypatch.setenv("FINSAM_SIGNING_KEY", str(path))
    return path


class RawStore:
    """SQL straight on the store's tables, behind the library's back (what an intruder does)."""

    def __init__(self, url: str) -> None:
        env = environment_for(url)
        self.postgres = env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
        if self.postgres:
            self.conn: Any = psycopg.connect(
                host=env["POSTGRES_HOST"],
                port=int(env["POSTGRES_PORT"]),
                dbname=env["POSTGRES_DBNAME"],
                user=env["POSTGRES_USER"],
                password=env["POSTGRES_PASSWORD"],
                autocommit=True,
            )
            self.position = "notification_id"
            self.events = "finsam_events"
        else:
            self.conn = sqlite3.connect(env["SQLITE_DBNAME"], isolation_level=None)
            self.position = "rowid"
            self.events = "stored_events"

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        sql = sql.replace("{pos}", self.position).replace("{events}", self.events)
        if self.postgres:
            sql = sql.replace("?", "%s")
        cursor = self.conn.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def ornskoldsvik_2024_05_30(app: Finsam) -> Finsam:
    """``app`` with Örnsköldsvik registered and its minutes of 2024-05-30 recorded, signed and posted."""
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    return app


@pytest.fixture
def two(app: Finsam) -> Finsam:
    """Örnsköldsvik with its signed minutes and Kramfors with a meeting, their writes interleaved."""
    testing.register_ornskoldsvik(app)
    testing.register_kramfors(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    app.convene_meeting(testing.KRAMFORS, "2024-06-01", date(2024, 6, 1), "Kramfors")
    app.convene_meeting(testing.ORNSKOLDSVIK, "2024-09-12", date(2024, 9, 12), "Örnsköldsvik")
    return app


@pytest.fixture
def raw_store(store_url: str) -> Iterator[RawStore]:
    if store_url.startswith("memory:"):
        pytest.skip("the in-memory store has no rows to tamper with")
    raw = RawStore(store_url)
    yield raw
    raw.close()


def cut_tail_after(raw: RawStore, cut: int) -> None:
    """Delete every write after position ``cut`` with everything the audit trail keeps of it, consistently.

    The events, their log-chain rows, signed heads and actors, and their förbund-chain links; the
    förbund chains' current heads are rolled back to the last link left (what a careful intruder does).
    """
    for table in (
        "{events}",
        "{events}_audit_chain",
        "{events}_audit_heads",
        "{events}_audit_actors",
        "{events}_audit_links",
    ):
        raw.execute(f"DELETE FROM {table} WHERE {'{pos}' if table == '{events}' else 'position'} > ?", (cut,))
    raw.execute("DELETE FROM {events}_audit_chain_heads")
    raw.execute(
        "INSERT INTO {events}_audit_chain_heads SELECT chain, position, hash FROM {events}_audit_links l "
        "WHERE position = (SELECT max(position) FROM {events}_audit_links m WHERE m.chain = l.chain)"
    )


def recompute_every_hash(raw: RawStore) -> None:
    """Recompute the log chain, the förbund chains and every head from the events as they are now.

    What a forger without the signing key can do: every stored hash then agrees with the events and
    only the signatures do not.
    """
    from finsam_core.audit.chain import (
        CHAIN_RECORD,
        GENESIS,
        NETWORK,
        ActorCursor,
        ActorRange,
        chain_genesis,
        chain_hash,
        chain_of,
        leaf_hash,
        originator_bytes,
    )

    rows = raw.execute("SELECT {pos}, originator_id, originator_version, topic, state FROM {events} ORDER BY {pos}")
    actors = raw.execute("SELECT position, last_position, actor FROM {events}_audit_actors ORDER BY position")
    actor_of = ActorCursor([ActorRange(first, last, bytes(actor)) for first, last, actor in actors])
    heads = {int(p): c is not None for p, c in raw.execute("SELECT position, chains FROM {events}_audit_heads")}
    prev, chains, streams, changed = GENESIS, dict[bytes, tuple[int, bytes]](), dict[bytes, bytes](), set[bytes]()
    for position, originator_id, version, topic, state in rows:
        oid = originator_bytes(originator_id)
        made_by = actor_of.at(position)
        leaf = leaf_hash(position, oid, version, topic, bytes(state), made_by.digest if made_by else None)
        prev = chain_hash(prev, leaf)
        chain = streams.setdefault(oid, chain_of(oid, bytes(state)) if version == 1 else NETWORK.bytes)
        before = chains.get(chain)
        chains[chain] = (position, chain_hash(before[1] if before else chain_genesis(chain), leaf))
        changed.add(chain)
        raw.execute("UPDATE {events}_audit_chain SET hash = ? WHERE position = ?", (prev, position))
        raw.execute("UPDATE {events}_audit_links SET hash = ? WHERE position = ?", (chains[chain][1], position))
        raw.execute("UPDATE {events}_audit_heads SET log_hash = ? WHERE position = ?", (prev, position))
        if heads.get(position):
            committed = b"".join(CHAIN_RECORD.pack(c, *chains[c]) for c in sorted(changed))
            raw.execute("UPDATE {events}_audit_heads SET chains = ? WHERE position = ?", (committed, position))
            changed.clear()
