"""Fixtures for the audit tests: a signing key of their own and raw SQL on the store's tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
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
def raw_store(store_url: str) -> Iterator[RawStore]:
    if store_url.startswith("memory:"):
        pytest.skip("the in-memory store has no rows to tamper with")
    raw = RawStore(store_url)
    yield raw
    raw.close()
