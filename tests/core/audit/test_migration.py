"""A store with today's single log chain (written before the förbund chains) migrates at its first write.

The store is ``data/store-v1.sqlite`` (428 events, its heads signed by an old key): on SQLite a copy
of the file; on PostgreSQL the same rows loaded into the tables as the earlier code made them (no
``chains`` column on the heads, no links, no förbund chain heads).
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from finsam_core.application import Finsam
from finsam_core.audit.chain import CHAIN_RECORD, NETWORK
from finsam_core.audit.export import FORMAT_CHAIN, export_audit, verify_export
from finsam_core.audit.forbund_chain import verify_forbund
from finsam_core.audit.keys import load_public_key
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.verify import verify_store
from finsam_core.domain.forbund import forbund_id
from finsam_core.embedded import connect, create_database, drop_database
from finsam_core.testing import KRAMFORS, ORNSKOLDSVIK

from .conftest import RawStore

OLD_STORE = Path(__file__).parents[1] / "data" / "store-v1.sqlite"
OLD_EVENTS = 428


def _old_rows(sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{OLD_STORE}?mode=ro", uri=True) as connection:
        return list(connection.execute(sql))


@pytest.fixture
def sqlite_store(tmp_path: Path) -> str:
    copy = tmp_path / "store-v1.sqlite"
    shutil.copyfile(OLD_STORE, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def postgres_store(postgres_server_url: str) -> Iterator[str]:
    """The old store's rows in a PostgreSQL database shaped as the code before the förbund chains made it."""
    name = "migrate_chains"
    url = create_database(postgres_server_url, name, file_copy=True)
    Finsam(store_url=url).close()  # Today's tables, then back to the old shape:
    with connect(url) as conn:
        for table in ("links", "streams", "chain_heads"):
            conn.execute(f"DROP TABLE finsam_events_audit_{table}")
        conn.execute("ALTER TABLE finsam_events_audit_heads DROP COLUMN chains")
        events = _old_rows("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events")
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO finsam_events (notification_id, originator_id, originator_version, topic, state) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(p, UUID(str(o)), v, t, s) for p, o, v, t, s in events],
            )
            cursor.executemany(
                "INSERT INTO finsam_events_audit_chain VALUES (%s, %s, %s, %s)",
                [(p, UUID(str(o)), v, h) for p, o, v, h in _old_rows("SELECT * FROM stored_events_audit_chain")],
            )
            cursor.executemany(
                "INSERT INTO finsam_events_audit_heads VALUES (%s, %s, %s, %s, %s)",
                _old_rows("SELECT * FROM stored_events_audit_heads"),
            )
            cursor.executemany(
                "INSERT INTO finsam_events_audit_actors VALUES (%s, %s, %s)",
                _old_rows("SELECT * FROM stored_events_audit_actors"),
            )
        conn.execute("SELECT setval('finsam_events_notification_id_seq', %s)", (len(events),))
    yield url
    drop_database(postgres_server_url, name)


def _migrates(url: str) -> None:
    raw = RawStore(url)
    try:
        app = Finsam(store_url=url)
        storage = audit_storage(app.recorder)
        assert [h.chains for h in storage.heads()] == [None] * len(storage.heads())  # old heads, old form
        old_key = load_public_key((OLD_STORE.parent / "store-v1.pub").read_text())
        assert verify_store(app, old_key, minutes=False).ok  # Before any write: the old chain as it was.
        assert raw.execute("SELECT count(*) FROM {events}_audit_links") == [(0,)]

        app.convene_meeting(ORNSKOLDSVIK, "2024-11-28", date(2024, 11, 28), "Trolltjärn stadshuset Kronan")

        report = verify_store(Finsam(store_url=url))
        assert report.ok, report.summary()
        assert report.events == OLD_EVENTS + 3
        assert raw.execute("SELECT count(*) FROM {events}_audit_links") == [(OLD_EVENTS + 3,)]
        head = storage.latest_head()
        assert head is not None and head.chains is not None and head.position == OLD_EVENTS + 3
        committed = {UUID(bytes=c): p for c, p, _ in CHAIN_RECORD.iter_unpack(head.chains)}
        # The first head after the migration commits to every chain: the old events' too.
        assert {forbund_id(ORNSKOLDSVIK), forbund_id(KRAMFORS), NETWORK} <= set(committed)
        assert committed[forbund_id(ORNSKOLDSVIK)] == OLD_EVENTS + 3
        assert len(committed) == len(raw.execute("SELECT chain FROM {events}_audit_chain_heads"))
        # Kramfors has only old events: its chain is vouched for by that first head alone, which
        # verify --forbund and the export find after the chain's last link.
        _forbund_reads_hold(Finsam(store_url=url), KRAMFORS, url)

        # A later write commits only to the chain it changed.
        app.convene_meeting(KRAMFORS, "2024-12-01", date(2024, 12, 1), "Kramfors")
        later = storage.latest_head()
        assert later is not None and later.chains is not None
        assert [UUID(bytes=c) for c, _, _ in CHAIN_RECORD.iter_unpack(later.chains)] == [forbund_id(KRAMFORS)]
        assert verify_store(Finsam(store_url=url)).ok
        for org_nr in (ORNSKOLDSVIK, KRAMFORS):
            _forbund_reads_hold(Finsam(store_url=url), org_nr, url)

        # A migrated old event changed afterwards is found through the chains as before.
        raw.execute("UPDATE {events} SET state = ? WHERE {pos} = 20", (b'{"forged":true}',))
        problem = verify_store(Finsam(store_url=url)).problems[0]
        assert problem.position == 20
    finally:
        raw.close()


def _forbund_reads_hold(app: Finsam, org_nr: str, url: str) -> None:
    """verify --forbund passes, and the chain export verifies and holds the events of the whole-log one."""
    report = verify_forbund(app, org_nr, minutes=False)
    assert report.ok and report.events > 0 and report.signatures_checked == 1, report.summary()
    chain, whole = io.StringIO(), io.StringIO()
    export_audit(app, org_nr, chain)
    export_audit(app, org_nr, whole, whole_log=True)
    lines = [json.loads(line) for line in chain.getvalue().splitlines()]
    assert lines[0]["format"] == FORMAT_CHAIN
    events = [{k: v for k, v in line.items() if k != "link"} for line in lines if line["kind"] == "event"]
    walked = [json.loads(line) for line in whole.getvalue().splitlines()]
    assert events == [{k: v for k, v in line.items() if k != "hash"} for line in walked if line["kind"] == "event"]
    path = Path(tempfile.mkdtemp()) / "export.jsonl"
    path.write_text(chain.getvalue(), encoding="utf-8")
    checked = verify_export(path)
    assert checked.ok and checked.events == report.events, checked.summary()


def test_an_old_sqlite_store_migrates_at_its_first_write(sqlite_store: str) -> None:
    _migrates(sqlite_store)


@pytest.mark.postgres
def test_an_old_postgres_store_migrates_at_its_first_write(postgres_store: str) -> None:
    with connect(postgres_store) as conn:
        assert conn.execute("SELECT to_regclass('finsam_events_audit_links')").fetchone() == (None,)
    _migrates(postgres_store)
