"""The pipelined catch-up (:mod:`finsam_core.projections.pipeline`): the same views as the synchronous
worker, the tracking row only with its batch's rows, consistent views after a failure in the writer."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.embedded import connect
from finsam_core.formats import import_paths
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.pipeline import Statement, fewer_full_collections
from finsam_core.projections.postgres_schema import TABLES
from finsam_core.projections.records import RecordsProjection
from finsam_service.database import apply_schema

pytestmark = pytest.mark.postgres

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


@pytest.fixture(scope="module")
def realistic(database_url: str) -> Iterator[tuple[Finsam, str]]:
    """The seed dataset (every förbund, the network, money, plans, delegation), then generated meetings
    interleaved with decisions recorded in the seeds' meetings: a log that reads the views (budgets,
    allocations) in some batches and only writes in others."""
    apply_schema(database_url)
    app = Finsam(store_url=database_url)
    results = import_paths(app, [SEEDS])
    assert results and all(r.ok for r in results), [r.line() for r in results if not r.ok]
    for month in range(1, 13):
        reference = f"2026-{month:02d}"
        app.convene_meeting(testing.KRAMFORS, reference, date(2026, month, 3), "Kramfors kommunhus")
        for title in ("Öppnande", "Ekonomi", "Uppföljning", "Övrigt"):
            app.add_paragraph(testing.KRAMFORS, reference, title, f"{title} för {reference}.")
    yield app, database_url
    app.close()


def views(url: str) -> dict[str, list[str]]:
    """Every view table's rows (the tracking and failure tables aside), in a stable order."""
    with connect(url) as connection:
        return {
            table: sorted(map(repr, connection.execute(f"SELECT * FROM {table}").fetchall()))
            for table in TABLES
            if table not in {"finsam_projection_tracking", "finsam_projection_failures"}
        }


def position(url: str) -> int:
    with connect(url) as connection:
        row = connection.execute("SELECT position FROM finsam_projection_tracking WHERE name = 'records'").fetchone()
        return int(row[0]) if row else 0


def reset(url: str) -> None:
    with connect(url) as connection:
        connection.execute("TRUNCATE " + ", ".join(TABLES))


def catch_up(app: Finsam, url: str, batch_size: int, *, pipelined: bool) -> dict[str, list[str]]:
    reset(url)
    worker = ProjectionWorker(app, url, RecordsProjection(app), batch_size=batch_size, pipelined=pipelined)
    try:
        worker.catch_up()
    finally:
        worker.close()
    assert position(url) == testing.events_recorded(app)
    return views(url)


class CountingWorker(ProjectionWorker):
    """Counts the batches the pipeline's writer commits; can fail one of them after its rows are sent."""

    def __init__(self, *args: Any, fail_on: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes = 0
        self.fail_on = fail_on

    def _write_batch(self, expected: int, last: int, statements: list[Statement], size: int) -> None:
        self.writes += 1
        if self.writes == self.fail_on:
            # Every row of the batch is written, then the transaction fails before the tracking row moves.
            statements = [*statements, ("SELECT 1 / 0", None, False)]
            self.stopping.set()
        super()._write_batch(expected, last, statements, size)


def test_pipelined_catch_up_gives_the_views_of_the_synchronous_worker(realistic: tuple[Finsam, str]) -> None:
    app, url = realistic
    for batch_size in (50, 7, 1000):
        # The same batches both ways: a budget status row's position is its batch's last event.
        expected = catch_up(app, url, batch_size, pipelined=False)
        assert expected["finsam_meetings"] and expected["finsam_budget_status"] and expected["finsam_nns_roster"]
        worker = CountingWorker(app, url, RecordsProjection(app), batch_size=batch_size)
        reset(url)
        worker.catch_up()
        worker.close()
        assert position(url) == testing.events_recorded(app)
        assert worker.writes > 0 or batch_size >= testing.events_recorded(app), "the pipeline wrote batches"
        assert views(url) == expected, f"batch size {batch_size}"


def test_a_failure_in_the_writer_leaves_the_views_of_the_committed_prefix(realistic: tuple[Finsam, str]) -> None:
    app, url = realistic
    end = testing.events_recorded(app)
    expected_end = catch_up(app, url, 13, pipelined=False)
    reset(url)
    worker = CountingWorker(app, url, RecordsProjection(app), batch_size=13, fail_on=4)
    worker.catch_up()  # stops after the failed batch: the views stand where the failure left them
    reached = position(url)
    assert 13 <= reached < end
    assert reached % 13 == 0, "whole batches only: the failed one and those after it left no trace"
    # The views are exactly those of a synchronous worker stopped at the same position.
    prefix = ProjectionWorker(app, url, RecordsProjection(app), batch_size=13, pipelined=False)
    committed = views(url)
    reset(url)
    for _ in range(reached // 13):
        assert prefix.process_batch() == 13
    prefix.close()
    assert committed == views(url)
    # Resumed, it reaches the log's end with the views of an uninterrupted catch-up.
    worker.stopping.clear()
    worker.catch_up()
    worker.close()
    assert position(url) == end
    assert views(url) == expected_end


def test_a_worker_moving_the_position_meanwhile_sends_the_pipeline_back_to_the_synchronous_path(
    realistic: tuple[Finsam, str],
) -> None:
    app, url = realistic
    expected = catch_up(app, url, 11, pipelined=False)
    reset(url)
    other = ProjectionWorker(app, url, RecordsProjection(app), batch_size=11, pipelined=False)
    raced: list[int] = []

    class Racing(CountingWorker):
        def _write_batch(self, expected: int, last: int, statements: list[Statement], size: int) -> None:
            if self.writes == 2:
                raced.append(other.process_batch())  # Another process's worker commits a batch first.
            super()._write_batch(expected, last, statements, size)

    worker = Racing(app, url, RecordsProjection(app), batch_size=11)
    worker.catch_up()
    worker.close()
    other.close()
    assert raced == [11]
    assert position(url) == testing.events_recorded(app)
    assert views(url) == expected


def test_full_collections_are_fewer_only_while_catching_up() -> None:
    before = gc.get_threshold()
    with fewer_full_collections():
        assert gc.get_threshold()[2] >= 100
        assert gc.get_threshold()[:2] == before[:2]
        with fewer_full_collections():  # two workers' catch-ups at once: the first to end restores nothing
            pass
        assert gc.get_threshold()[2] >= 100
    assert gc.get_threshold() == before
