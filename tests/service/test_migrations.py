"""Versioned schema: a fresh database, one made by the first release, and one newer than the code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from conftest import start_service
from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.embedded import connect, create_database, drop_database
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.records import RecordsProjection
from finsam_service import cli
from finsam_service.migrations import STEPS, VIEWS_VERSION, migrate, versions

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

FIRST_RELEASE = Path(__file__).parent / "data" / "first_release_schema.sql"


@pytest.fixture
def empty_url(postgres_server_url: str) -> Iterator[str]:
    name = f"migrate_{uuid4().hex[:16]}"
    url = create_database(postgres_server_url, name, file_copy=True)
    yield url
    drop_database(postgres_server_url, name)


def columns(url: str, table: str) -> set[str]:
    with connect(url) as connection:
        rows = connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,)
        ).fetchall()
    return {row[0] for row in rows}


async def test_a_fresh_database_is_brought_to_the_latest_versions_once(empty_url: str) -> None:
    done = migrate(empty_url)
    assert versions(empty_url) == {"records": STEPS[-1].version, "views": VIEWS_VERSION}
    assert len(done) == len(STEPS) + 1
    assert migrate(empty_url) == []
    assert {"expires_at", "revoked_at"} <= columns(empty_url, "finsam_api_tokens")
    assert "meeting_id" in columns(empty_url, "finsam_meetings")


async def test_a_first_release_database_keeps_its_tokens_and_rebuilds_its_views(empty_url: str) -> None:
    app = Finsam(store_url=empty_url)
    try:
        testing.register_ornskoldsvik(app)
        testing.record_ornskoldsvik_2024_05_30(app)
    finally:
        app.close()
    with connect(empty_url) as connection:
        connection.execute(FIRST_RELEASE.read_text(encoding="utf-8"))
        connection.execute(
            "INSERT INTO finsam_api_tokens (sha256, role, org_nr, label) VALUES ('ab', 'admin', NULL, 'kept')"
        )
        connection.execute("INSERT INTO finsam_projection_tracking (name, position) VALUES ('records', 999999)")
    assert "meeting_id" not in columns(empty_url, "finsam_meetings")
    assert versions(empty_url) == {}

    done = migrate(empty_url)

    assert any(line.startswith("views 0 -> ") for line in done)
    with connect(empty_url) as connection:
        assert connection.execute("SELECT label, revoked_at FROM finsam_api_tokens").fetchall() == [("kept", None)]
        assert connection.execute("SELECT count(*) FROM finsam_projection_tracking").fetchone() == (0,)
    assert "meeting_id" in columns(empty_url, "finsam_meetings")
    async with start_service(empty_url) as service:  # the worker rebuilds the views from the log
        log_end = testing.events_recorded(service.services.app)
        minutes = await service.client.get(
            f"/v1/forbund/{testing.ORNSKOLDSVIK}/meetings/2024-05-30/minutes", params={"min_position": log_end}
        )
    assert minutes.status_code == 200, minutes.text
    assert [p["number"] for p in minutes.json()["paragraphs"]] == list(range(37, 46))


async def test_a_database_newer_than_the_code_is_refused_in_one_sentence(
    empty_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    migrate(empty_url)
    with connect(empty_url) as connection:
        connection.execute("UPDATE finsam_schema_versions SET version = 99 WHERE part = 'views'")
    with pytest.raises(ValueError, match="nyare än den här versionen"):
        migrate(empty_url)
    monkeypatch.setenv("FINSAM_DATABASE_URL", empty_url)
    assert cli.main(["migrate"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "nyare" in err


async def test_the_migrate_command_says_what_it_did_and_then_that_nothing_is_left(
    empty_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FINSAM_DATABASE_URL", empty_url)
    assert cli.main(["migrate"]) == 0
    first = capsys.readouterr().out
    assert "migrated records 2" in first and f"views {VIEWS_VERSION}" in first
    assert cli.main(["migrate"]) == 0
    assert "already up to date" in capsys.readouterr().out


async def test_a_worker_goes_on_when_the_views_are_rebuilt_under_it(empty_url: str) -> None:
    """A newer process's start (or ``finsam-serve migrate``) drops the views and their tracking while a
    worker runs: its next batch makes its tracking row again and rebuilds the views from the log."""
    migrate(empty_url)
    app = Finsam(store_url=empty_url)
    try:
        testing.register_ornskoldsvik(app)
        testing.record_ornskoldsvik_2024_05_30(app)
        worker = ProjectionWorker(app, empty_url, RecordsProjection(app))
        while worker.catch_up():
            pass
        caught_up = worker.position()
        with connect(empty_url) as connection:
            connection.execute("UPDATE finsam_schema_versions SET version = version - 1 WHERE part = 'views'")
        assert any(line.startswith("views ") for line in migrate(empty_url))

        while worker.catch_up():
            pass

        assert worker.position() == caught_up == testing.events_recorded(app)
        with connect(empty_url) as connection:
            assert connection.execute("SELECT count(*) FROM finsam_meetings").fetchone() == (1,)
        worker.close()
    finally:
        app.close()
