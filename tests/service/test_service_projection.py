"""The projection worker: batches, crash and resume, and no event skipped under concurrent writers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from eventsourcing.persistence import Notification

from conftest import org_nr
from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.domain.charter import Charter, SeatAllocation
from finsam_core.embedded import connect
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.postgres import PostgresViews
from finsam_core.projections.records import RecordsProjection
from finsam_core.projections.views import Views
from finsam_core.values import MemberKind, MemberOrganisation
from finsam_service.database import apply_schema

pytestmark = pytest.mark.postgres

VIEWS = {
    "finsam_forbund": "org_nr",
    "finsam_meetings": "org_nr, reference",
    "finsam_decisions": "org_nr, meeting, paragraph, seq",
    "finsam_draft_events": "position, meeting_id",
}


@pytest.fixture(scope="module")
def seeded(database_url: str) -> Iterator[tuple[Finsam, str]]:
    """A store with three förbund and a dozen meetings (a few hundred events)."""
    apply_schema(database_url)
    app = Finsam(store_url=database_url)
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    testing.register_kramfors(app)
    testing.register_karlskoga_degerfors(app)
    for month in range(1, 11):
        reference = f"2024-{month}"
        app.convene_meeting(testing.KRAMFORS, reference, testing.TERM_2023[0].replace(year=2024, month=month), "K")
        for title in ("Öppnande", "Ekonomi", "Övrigt"):
            app.add_paragraph(testing.KRAMFORS, reference, title)
    yield app, database_url
    app.close()


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    with connect(url) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            for table, key in VIEWS.items()
        }


def reset(url: str) -> None:
    with connect(url) as connection:
        connection.execute("TRUNCATE " + ", ".join(VIEWS))
        connection.execute("DELETE FROM finsam_projection_tracking")


def replay_from_scratch(app: Finsam, url: str) -> dict[str, list[tuple[Any, ...]]]:
    reset(url)
    worker = ProjectionWorker(app, url, RecordsProjection(app), batch_size=100_000)
    worker.catch_up()
    worker.close()
    return dump(url)


class SimulatedCrash(BaseException):
    """The process dies: nothing in the worker catches it (an ``Exception`` would be an event's failure)."""


class CrashesOnBatch:
    """The records projection, but the ``crash_on``-th batch dies after writing its rows, before commit."""

    name = "records"

    def __init__(self, inner: RecordsProjection, crash_on: int) -> None:
        self.inner, self.crash_on, self.batches = inner, crash_on, 0

    def apply(self, views: Views, notifications: Sequence[Notification]) -> None:
        self.inner.apply(views, notifications)
        self.batches += 1
        if self.batches == self.crash_on:
            raise SimulatedCrash("simulated crash in the middle of a batch")


def test_views_after_crashes_mid_batch_equal_a_replay_from_scratch(seeded: tuple[Finsam, str]) -> None:
    app, url = seeded
    expected = replay_from_scratch(app, url)
    assert expected["finsam_draft_events"], "Kramfors's minutes are drafts: their events are marked"
    reset(url)
    end = testing.events_recorded(app)
    crashes = 0
    for crash_on in (2, 3, 1, 5, 2, 4) * 20:
        worker = ProjectionWorker(app, url, CrashesOnBatch(RecordsProjection(app), crash_on), batch_size=7)
        before = worker.position()
        try:
            worker.catch_up()
        except SimulatedCrash:
            crashes += 1
        # Exactly the committed batches moved the position: 7 events per batch that did not crash.
        after = worker.position()
        assert after - before == min(7 * (crash_on - 1), end - before)
        worker.close()  # The connection is dropped like a killed process's.
        if after == end:
            break
    assert crashes > 3
    assert dump(url) == expected


_KILLABLE_WORKER = """
import sys
from finsam_core.application import Finsam
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.records import RecordsProjection
app = Finsam(store_url=sys.argv[1])
worker = ProjectionWorker(app, sys.argv[1], RecordsProjection(app), batch_size=3)
print("started", flush=True)
worker.catch_up()
"""


def test_views_after_sigkill_during_catch_up_equal_a_replay_from_scratch(seeded: tuple[Finsam, str]) -> None:
    app, url = seeded
    expected = replay_from_scratch(app, url)
    reset(url)
    end = testing.events_recorded(app)
    positions: list[int] = []
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, "-c", _KILLABLE_WORKER, url], stdout=subprocess.PIPE, env=os.environ.copy()
        )
        assert process.stdout is not None and process.stdout.readline().strip() == b"started"
        start_position = positions[-1] if positions else 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # Kill it once it has committed something.
            with connect(url) as connection:
                row = connection.execute("SELECT position FROM finsam_projection_tracking").fetchone()
            if row and row[0] > start_position:
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()
        with connect(url) as connection:
            tracked = connection.execute("SELECT position FROM finsam_projection_tracking").fetchone()
        assert tracked is not None
        positions.append(tracked[0])
    assert positions[0] > 0
    worker = ProjectionWorker(app, url, RecordsProjection(app), batch_size=3)
    worker.catch_up()
    assert worker.position() == end
    worker.close()
    assert dump(url) == expected


class RecordsEveryId:
    """A projection that notes each event id once: a repeat breaks the primary key, a skip leaves a hole."""

    name = "seen"

    def apply(self, views: Views, notifications: Sequence[Notification]) -> None:
        assert isinstance(views, PostgresViews)
        views.cursor.executemany("INSERT INTO seen_events (id) VALUES (%s)", [(n.id,) for n in notifications])


class RecordingFinsam(Finsam):
    """Keeps the notification id of every event it saved."""

    name = "finsam"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ids: list[int] = []

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        recordings = super().save(*objs, **kwargs)
        self.ids.extend(r.notification.id for r in recordings)
        return recordings


def test_a_tailing_projection_sees_every_event_of_concurrent_writers_exactly_once(database_url: str) -> None:
    apply_schema(database_url)
    with connect(database_url) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS seen_events (id bigint PRIMARY KEY)")
    reader_app = Finsam(store_url=database_url)
    baseline = testing.events_recorded(reader_app)  # Events of earlier tests in the module.
    worker = ProjectionWorker(reader_app, database_url, RecordsEveryId(), batch_size=5, poll_seconds=0.001)
    worker.start()
    writers = [RecordingFinsam(store_url=database_url) for _ in range(4)]
    errors: list[BaseException] = []

    def write(index: int, app: RecordingFinsam) -> None:
        try:
            org = org_nr(900 + index)
            members = (
                MemberOrganisation("FK", "Försäkringskassan", MemberKind.FORSAKRINGSKASSAN),
                MemberOrganisation("AF", "Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN),
                MemberOrganisation("R", "Regionen", MemberKind.REGION),
                MemberOrganisation("K", "Kommunen", MemberKind.KOMMUN),
            )
            charter = Charter(seats=tuple(SeatAllocation(m.key) for m in members))
            app.register_forbund(org, f"Förbund {index}", members, charter, testing.TERM_2023[0])
            app.convene_meeting(org, "2024-1", testing.TERM_2023[0].replace(year=2024), "X")
            for n in range(40):
                app.add_paragraph(org, "2024-1", f"Punkt {n}")
        except BaseException as exc:  # Reported by the main thread.
            errors.append(exc)

    try:
        threads = [threading.Thread(target=write, args=(i, app)) for i, app in enumerate(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        written = sorted(i for app in writers for i in app.ids)
        deadline = time.monotonic() + 30
        with connect(database_url) as connection:
            while time.monotonic() < deadline:  # Bounded wait for the tail to reach the last write.
                row = connection.execute(
                    "SELECT position FROM finsam_projection_tracking WHERE name = 'seen'"
                ).fetchone()
                if row and row[0] >= written[-1]:
                    break
                time.sleep(0.01)
            worker.stop()
            seen = [r[0] for r in connection.execute("SELECT id FROM seen_events ORDER BY id")]
        in_store = [n.id for n in reader_app.recorder.select_notifications(1, 1_000_000)]
        assert len(written) == 4 * (3 + 2 + 2 * 40)
        assert seen == in_store
        assert [i for i in seen if i > baseline] == written
    finally:
        worker.stop()
        for app in (*writers, reader_app):
            app.close()
