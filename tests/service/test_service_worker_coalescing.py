"""The service's projection worker gathers the writes of a short window into one batch (finsam_service.worker)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.embedded import connect
from finsam_core.projections.follower import Progress
from finsam_core.projections.records import RecordsProjection
from finsam_service.database import apply_schema
from finsam_service.worker import ServiceWorker

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def store(database_url: str) -> Iterator[tuple[Finsam, str]]:
    apply_schema(database_url)
    app = Finsam(store_url=database_url)
    testing.register_ornskoldsvik(app)
    first = ServiceWorker(app, database_url, RecordsProjection(app), coalesce_seconds=0)
    first.catch_up()
    first.close()
    yield app, database_url
    app.close()


def _projected(url: str) -> int:
    """The views' position, read on a connection of its own (the worker's belongs to its thread)."""
    with connect(url) as connection:
        row = connection.execute("SELECT position FROM finsam_projection_tracking WHERE name = 'records'").fetchone()
    return int(row[0]) if row else 0


def _convene(app: Finsam, reference: str) -> int:
    _, position = app.run(lambda tx: tx.convene_meeting(testing.ORNSKOLDSVIK, reference, testing.TERM_2023[0], "K"))
    return position


def test_a_batch_that_did_not_fill_up_keeps_the_next_from_starting_within_the_window(
    store: tuple[Finsam, str],
) -> None:
    app, url = store
    worker = ServiceWorker(app, url, RecordsProjection(app), coalesce_seconds=0.3)
    try:
        worker.catch_up()
        _convene(app, "C-1")
        started = time.monotonic()
        assert worker.process_batch() > 0
        assert time.monotonic() - started >= 0.29  # the window, after a batch that did not fill up
        started = time.monotonic()
        assert worker.process_batch() == 0  # nothing new: no window
        assert time.monotonic() - started < 0.25
    finally:
        worker.close()


def test_a_waiting_read_cuts_the_window_short(store: tuple[Finsam, str]) -> None:
    app, url = store
    worker = ServiceWorker(app, url, RecordsProjection(app), coalesce_seconds=30)
    try:
        worker.catch_up()
        _convene(app, "C-2")
        threading.Timer(0.2, worker.hurry).start()
        started = time.monotonic()
        assert worker.process_batch() > 0
        assert time.monotonic() - started < 10  # not the 30 s window: the read's hurry ended it
    finally:
        worker.close()


def test_writes_during_the_window_are_applied_in_one_batch_and_the_gauges_follow(store: tuple[Finsam, str]) -> None:
    app, url = store
    seen: list[Progress] = []
    worker = ServiceWorker(
        app, url, RecordsProjection(app), coalesce_seconds=2, measure_every_seconds=60, observe=seen.append
    )
    worker.catch_up()
    worker.start()
    try:
        first = _convene(app, "C-3")
        worker.wake.set()
        deadline = time.monotonic() + 10
        while _projected(url) < first and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _projected(url) >= first
        batches = worker.batches
        # Five writes while the worker waits out its window: one batch applies them all.
        positions = [_convene(app, f"C-3-{k}") for k in range(5)]
        for _ in positions:
            worker.wake.set()
        while _projected(url) < positions[-1] and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _projected(url) == positions[-1]
        assert worker.batches == batches + 1
        # The gauges are read at most once a minute here while batches follow each other, and once more
        # when the worker has caught up: the last reading has the position reached.
        while not any(p.position == positions[-1] for p in seen) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [p for p in seen if p.position is not None][-1].position == positions[-1]
    finally:
        worker.stop()
    assert {m.reference for m in app.meetings(testing.ORNSKOLDSVIK) if m.reference.startswith("C-3")} == {
        "C-3",
        *(f"C-3-{k}" for k in range(5)),
    }


def test_the_service_setting_reads_milliseconds() -> None:
    from finsam_service.settings import Settings

    assert Settings.from_env({"FINSAM_PROJECTION_COALESCE_MS": "5"}).projection_coalesce_seconds == 0.005
    assert Settings.from_env({}).projection_coalesce_seconds == 0.02


def test_a_listening_worker_is_woken_by_another_process_write(store: tuple[Finsam, str]) -> None:
    """``finsam-serve project`` in a process of its own: no write calls its wake, the store's NOTIFY does."""
    app, url = store
    worker = ServiceWorker(app, url, RecordsProjection(app), coalesce_seconds=0, poll_seconds=60, listen=True)
    worker.catch_up()
    worker.start()
    try:
        time.sleep(0.5)  # The worker is idle, waiting for a wake-up (its poll is a minute away).
        other = Finsam(store_url=url)  # Another application: it knows nothing of this worker.
        try:
            _, position = other.run(
                lambda tx: tx.convene_meeting(testing.ORNSKOLDSVIK, "L-1", testing.TERM_2023[0], "K")
            )
        finally:
            other.close()
        deadline = time.monotonic() + 20
        while _projected(url) < position and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _projected(url) >= position
        assert time.monotonic() < deadline
    finally:
        worker.stop()
