"""The follower: applies the event log to a projection in batches, into the PostgreSQL views.

Why not eventsourcing's ``ProjectionRunner``: it applies one event per transaction; batches of a
thousand catch up 20–30 times faster than it does at its best (``bench/bench_catchup.py``) and let a
poison event be isolated without stopping the views (below).

Design: the worker reads up to ``batch_size`` notifications after its tracking position, applies
them and moves the tracking row forward **in one transaction**: a crash anywhere leaves the views
and the position of the last committed batch, so each event is applied exactly once and a restart
resumes there. The tracking row is locked (``FOR UPDATE``) for the batch, so two workers of the
same projection never interleave.

:class:`~finsam_core.projections.records.RecordsProjection` rewrites a förbund's or a meeting's rows
from the aggregate as it stood at the last event of the batch that touched it (rebuilt from the
batch's events by :class:`~finsam_core.projections.batch.BatchAggregates`), a few multi-row
statements per batch (:class:`~finsam_core.projections.postgres.PostgresViews`).
Rows are therefore a pure function of the log prefix: batching, crashes and restarts cannot make the
views differ from a replay from scratch. eventsourcing's ``POSTGRES_ENABLE_DB_FUNCTIONS`` stays off: its
plain inserts lock the table, so notification ids become visible in order and a tailing reader
cannot skip an event written concurrently.

**Poison isolation.** An event the projection cannot apply must not stop the views for everyone.
Each batch is applied in a savepoint; when it fails because of its events (not of the database,
:func:`~finsam_core.projections.failures.is_transient`), it is split in halves and each half
applied the same way, down to single events. The events that still fail are recorded as failed
positions with the reason (``finsam_projection_failures``), everything else is applied, and the
tracking position moves past the whole batch: other förbund's records keep becoming visible, a
``min_position`` wait ends, and a restart does not meet the event again. One bad event among a
thousand costs about twenty applies of shrinking halves, not a thousand single ones.
:meth:`ProjectionWorker.retry_failed` (``finsam-serve project --retry-failed``) applies them again
after a fix. Text PostgreSQL cannot hold (NUL) is no such failure: the views show it as U+FFFD
(:mod:`finsam_core.projections.view_text`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
import structlog
from eventsourcing.persistence import Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

from finsam_core.embedded import connect
from finsam_core.projections.batch import EventSource
from finsam_core.projections.failures import (
    FailedPosition,
    clear_failures,
    failed_positions,
    is_transient,
    record_failures,
    record_retry_failure,
)
from finsam_core.projections.pipeline import PositionMoved, Statement, catch_up_pipelined, send
from finsam_core.projections.postgres import PostgresViews
from finsam_core.projections.view_text import adapt_view_text
from finsam_core.projections.views import Projection

__all__ = ["Observer", "Progress", "Projection", "ProjectionWorker", "RetryResult"]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Progress:
    """Where a projection stands after a batch; ``None``: not read (an empty batch only says the lag is 0)."""

    projection: str
    position: int | None
    lag: int
    failed: int | None


Observer = Callable[[Progress], None]
"""Told the :class:`Progress` after each batch (the service sets its Prometheus gauges from it)."""


@dataclass(frozen=True)
class RetryResult:
    """What :meth:`ProjectionWorker.retry_failed` did: the failed positions it cleared and those left."""

    cleared: list[FailedPosition]
    remaining: list[FailedPosition]


class ProjectionWorker:
    """Applies the log to one projection in batches; :meth:`run` tails it until stopped."""

    def __init__(
        self,
        app: EventSource,
        url: str,
        projection: Projection,
        *,
        batch_size: int = 1000,
        poll_seconds: float = 0.05,
        observe: Observer | None = None,
        pipelined: bool = True,
    ) -> None:
        self.app = app
        self.pipelined = pipelined
        """Behind the log (a full batch), overlap a batch's writes with the next batch's work
        (:mod:`~finsam_core.projections.pipeline`)."""
        self.observe = observe
        self.url = url
        self.projection = projection
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self._connection: psycopg.Connection[Any] | None = None
        self._thread: threading.Thread | None = None

    def _conn(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed:
            self._connection = connect(self.url)
            self._connection.autocommit = False
            adapt_view_text(self._connection)
            with self._connection.transaction():
                self._connection.execute(
                    "INSERT INTO finsam_projection_tracking (name, position) VALUES (%s, 0) "
                    "ON CONFLICT (name) DO NOTHING",
                    (self.projection.name,),
                )
        return self._connection

    def position(self) -> int:
        """The position of the last event the views include (or, if it failed, have passed)."""
        with self._conn().transaction():
            row = (
                self._conn()
                .execute("SELECT position FROM finsam_projection_tracking WHERE name = %s", (self.projection.name,))
                .fetchone()
            )
        return int(row[0]) if row else 0

    def failures(self) -> list[FailedPosition]:
        """The events this projection could not apply, oldest first."""
        connection = self._conn()
        with connection.transaction(), connection.cursor() as cursor:
            return failed_positions(cursor, self.projection.name)

    def _lock_tracking(self, cursor: psycopg.Cursor[Any]) -> int:
        # The row is made when the connection opens, but a migration that rebuilds the views while this
        # worker runs (another process's start, ``finsam-serve migrate``) drops it: the upsert makes it
        # again, and locks it, in the same round trip.
        row = cursor.execute(
            "INSERT INTO finsam_projection_tracking (name, position) VALUES (%s, 0) ON CONFLICT (name) "
            "DO UPDATE SET position = finsam_projection_tracking.position RETURNING position",
            (self.projection.name,),
        ).fetchone()
        if row is None:  # pragma: no cover - an upsert with RETURNING always gives its row
            raise RuntimeError(f"projection {self.projection.name!r} has no tracking row")
        return int(row[0])

    def process_batch(self) -> int:
        """Apply the next batch (at most ``batch_size`` events) in one transaction; return its size.

        Events that fail are recorded as failed positions and the rest applied (see the module's
        docstring); a failure of the database or the connection rolls the whole batch back.
        """
        connection = self._conn()
        with connection.transaction(), connection.cursor() as cursor:
            start = self._lock_tracking(cursor) + 1
            notifications = self.app.recorder.select_notifications(start=start, limit=self.batch_size)
            if not notifications:
                return 0
            failures = self._apply_isolating(cursor, notifications)
            if failures:
                record_failures(cursor, self.projection.name, failures)
            cursor.execute(
                "UPDATE finsam_projection_tracking SET position = %s WHERE name = %s",
                (notifications[-1].id, self.projection.name),
            )
        for notification, exc in failures:
            log.error(
                "projection event failed; recorded as a failed position",
                projection=self.projection.name,
                position=notification.id,
                topic=notification.topic,
                error=type(exc).__name__,
            )
        return len(notifications)

    def _apply_isolating(
        self, cursor: psycopg.Cursor[Any], notifications: Sequence[Notification]
    ) -> list[tuple[Notification, Exception]]:
        """Apply ``notifications`` in a savepoint, or else each half the same way; return the events
        that fail on their own, with their errors. A transient error is raised."""
        try:
            with cursor.connection.transaction():
                self.projection.apply(PostgresViews(cursor), notifications)
        except Exception as exc:
            if cursor.connection.broken or is_transient(exc):
                raise
            if len(notifications) == 1:
                return [(notifications[0], exc)]
            middle = len(notifications) // 2
            return [
                *self._apply_isolating(cursor, notifications[:middle]),
                *self._apply_isolating(cursor, notifications[middle:]),
            ]
        return []

    def retry_failed(self) -> RetryResult:
        """Apply the failed positions again (after a fix); clear those that succeed now.

        The views hold each aggregate as it stood at its last applied event, so the failures of one
        aggregate are retried together by applying its last event up to the tracking position, which
        replays the failed ones on the way; applying an older event would move its rows back in
        time. Runs under the tracking row's lock, so a running worker only waits.
        """
        connection = self._conn()
        cleared: list[FailedPosition] = []
        with connection.transaction(), connection.cursor() as cursor:
            tracked = self._lock_tracking(cursor)
            by_aggregate: dict[Any, list[FailedPosition]] = {}
            for failure in failed_positions(cursor, self.projection.name):
                by_aggregate.setdefault(failure.originator_id, []).append(failure)
            for originator_id, failures in by_aggregate.items():
                positions = [f.position for f in failures]
                try:
                    with connection.transaction():
                        self.projection.apply(PostgresViews(cursor), [self._last_event(cursor, originator_id, tracked)])
                except Exception as exc:
                    if connection.broken or is_transient(exc):
                        raise
                    record_retry_failure(cursor, self.projection.name, positions, exc)
                    continue
                clear_failures(cursor, self.projection.name, positions)
                cleared.extend(failures)
            remaining = failed_positions(cursor, self.projection.name)
        for failure in cleared:
            log.info("failed position applied", projection=self.projection.name, position=failure.position)
        return RetryResult(cleared, remaining)

    def _last_event(self, cursor: psycopg.Cursor[Any], originator_id: Any, upto: int) -> Notification:
        """The notification of the aggregate's last event at or before position ``upto``."""
        recorder = self.app.recorder
        assert isinstance(recorder, PostgresApplicationRecorder)
        statement = sql.SQL(
            "SELECT max(notification_id) FROM {schema}.{table} WHERE originator_id = %s AND notification_id <= %s"
        ).format(schema=sql.Identifier(recorder.datastore.schema), table=sql.Identifier(recorder.events_table_name))
        row = cursor.execute(statement, (originator_id, upto)).fetchone()
        assert row is not None and row[0] is not None, "a failed position is an event of the log"
        notifications: Sequence[Notification] = recorder.select_notifications(start=int(row[0]), limit=1)
        return notifications[0]

    def catch_up(self) -> int:
        """Apply batches until the log's end as it is now; return how many events were applied."""
        total = 0
        while not self.stopping.is_set():
            applied = self.process_batch()
            total += applied
            if applied < self.batch_size:
                break
            if self.pipelined:
                more, reached_end = self._catch_up_pipelined()
                total += more
                if reached_end:
                    break
        return total

    def _catch_up_pipelined(self) -> tuple[int, bool]:
        """Batches with their writes overlapped (:func:`~finsam_core.projections.pipeline.catch_up_pipelined`)
        from the committed position; return the events committed and whether the log's end was reached."""
        limit = self.batch_size
        return catch_up_pipelined(
            lambda first: self.app.recorder.select_notifications(start=first, limit=limit),
            self.projection.apply,
            self._write_batch,
            self.position(),
            limit,
            self.stopping.is_set,
        )

    def _write_batch(self, expected: int, last: int, statements: list[Statement], size: int) -> None:
        """Commit a recorded batch with its tracking row, if the row still stands at ``expected``
        (run by the pipeline's writer thread, the only user of the connection meanwhile)."""
        connection = self._conn()
        with connection.transaction(), connection.cursor() as cursor:
            position = self._lock_tracking(cursor)
            if position != expected:
                raise PositionMoved(f"tracking at {position}, the batch starts after {expected}")
            send(cursor, statements)
            cursor.execute(
                "UPDATE finsam_projection_tracking SET position = %s WHERE name = %s", (last, self.projection.name)
            )
        self._measure(size)

    def run(self) -> None:
        """Tail the log until :meth:`stop`: catch up, then wait for a wake-up or the poll interval.

        A failure of the database (the batch rolled back) is logged once, with its cause, when it
        starts, again once a minute while it lasts, and its end once: an outage is a few lines, not
        a traceback a second.
        """
        failing_since: float | None = None
        last_logged = 0.0
        while not self.stopping.is_set():
            try:
                applied = self.process_batch()
                if failing_since is not None:
                    log.info(
                        "projection resumed",
                        projection=self.projection.name,
                        after_seconds=round(time.monotonic() - failing_since, 1),
                    )
                    failing_since = None
                self._measure(applied)
                if applied == self.batch_size and self.pipelined:
                    self._catch_up_pipelined()  # Behind the log: the next batches overlapped.
                if applied == 0:
                    self.wake.wait(self.poll_seconds)
                    self.wake.clear()
            except Exception as exc:  # Keep tailing after a lost connection; the batch rolled back.
                now = time.monotonic()
                if failing_since is None or now - last_logged >= 60:
                    log.error(
                        "projection batch failed; retrying every second",
                        projection=self.projection.name,
                        error=f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}",
                        exc_info=failing_since is None,
                    )
                    last_logged = now
                failing_since = failing_since if failing_since is not None else now
                self.close()
                self.stopping.wait(1.0)

    def _measure(self, applied: int) -> None:
        """Tell the observer the position reached, the events behind the log and the failed positions."""
        if self.observe is None:
            return
        name = self.projection.name
        if applied == 0:
            self.observe(Progress(name, None, 0, None))
            return
        connection = self._conn()
        with connection.cursor() as cursor:
            position = cursor.execute(
                "SELECT position FROM finsam_projection_tracking WHERE name = %s", (name,)
            ).fetchone()
            failed = cursor.execute(
                "SELECT count(*) FROM finsam_projection_failures WHERE projection = %s", (name,)
            ).fetchone()
        connection.commit()
        end = self.app.recorder.max_notification_id() or 0
        reached = int(position[0]) if position else 0
        self.observe(Progress(name, reached, max(0, end - reached), int(failed[0]) if failed else 0))

    def start(self) -> None:
        self.stopping.clear()
        self._thread = threading.Thread(target=self.run, name=f"projection-{self.projection.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
