"""Projections that follow the event log in batches into PostgreSQL view tables.

Design: the worker reads up to ``batch_size`` notifications after its tracking position, applies
them and moves the tracking row forward **in one transaction**: a crash anywhere leaves the views
and the position of the last committed batch, so each event is applied exactly once and a restart
resumes there. The tracking row is locked (``FOR UPDATE``) for the batch, so two workers of the
same projection never interleave.

:class:`RecordsProjection` rewrites a förbund's or a meeting's rows from the aggregate as it stood
at the last event of the batch that touched it (rebuilt from the batch's events by
:class:`~finsam_service.batch_aggregates.BatchAggregates`), a few multi-row statements per batch.
Rows are therefore a pure function of the log prefix: batching, crashes and restarts cannot make the
views differ from a replay from scratch. eventsourcing's ``POSTGRES_ENABLE_DB_FUNCTIONS`` stays off: its
plain inserts lock the table, so notification ids become visible in order and a tailing reader
cannot skip an event written concurrently.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

import psycopg
import structlog
from eventsourcing.persistence import Notification

from finsam_core.application import Finsam
from finsam_core.domain.association import Association
from finsam_core.domain.meeting import Meeting
from finsam_service.batch_aggregates import BatchAggregates
from finsam_service.database import psycopg_connect
from finsam_service.drafts import draft_events, write_draft_events
from finsam_service.money_projection import MoneyProjection
from finsam_service.records_views import (
    MinutesDocument,
    MinutesParagraph,
    minutes_document,
    write_forbund,
    write_meetings,
)

__all__ = [
    "MinutesDocument",
    "MinutesParagraph",
    "Projection",
    "ProjectionWorker",
    "RecordsProjection",
    "minutes_document",
    "write_forbund",
    "write_meetings",
]

log = structlog.get_logger(__name__)


class Projection(Protocol):
    """Something that turns a batch of notifications into view rows, inside the caller's transaction."""

    name: str

    def apply(self, cursor: psycopg.Cursor[Any], notifications: Sequence[Notification]) -> None: ...


_ASSOCIATION = "finsam_core.domain.association:Association."
_MEETING = "finsam_core.domain.meeting:Meeting."


class RecordsProjection:
    """The views ``finsam_forbund``, ``finsam_meetings`` and ``finsam_decisions``, and (through
    :class:`~finsam_service.money_projection.MoneyProjection`) the money and membership views."""

    name = "records"

    def __init__(self, app: Finsam) -> None:
        self.app = app
        self.aggregates = BatchAggregates(app)
        self.money = MoneyProjection(app, self.aggregates)

    def apply(self, cursor: psycopg.Cursor[Any], notifications: Sequence[Notification]) -> None:
        followed = [n for n in notifications if n.topic.startswith((_ASSOCIATION, _MEETING))]
        forbund: list[tuple[Association, int]] = []
        meetings: list[tuple[Meeting, int]] = []
        touched = self.aggregates.rebuild(followed)
        for aggregate, position in touched.values():
            if isinstance(aggregate, Association):
                forbund.append((aggregate, position))
            elif isinstance(aggregate, Meeting):
                meetings.append((aggregate, position))
        write_forbund(cursor, forbund)
        write_meetings(cursor, meetings)
        touched.update(self.money.apply(cursor, notifications))
        # After the meetings' rows: a mark is kept only while its meeting is not final.
        adjusted = [meeting.id for meeting, _ in meetings if meeting.is_final]
        write_draft_events(cursor, draft_events(self.app, notifications, touched), adjusted)


class ProjectionWorker:
    """Applies the log to one projection in batches; :meth:`run` tails it until stopped."""

    def __init__(
        self,
        app: Finsam,
        url: str,
        projection: Projection,
        *,
        batch_size: int = 1000,
        poll_seconds: float = 0.05,
    ) -> None:
        self.app = app
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
            self._connection = psycopg_connect(self.url)
            with self._connection.transaction():
                self._connection.execute(
                    "INSERT INTO finsam_projection_tracking (name, position) VALUES (%s, 0) "
                    "ON CONFLICT (name) DO NOTHING",
                    (self.projection.name,),
                )
        return self._connection

    def position(self) -> int:
        """The position of the last event the views include."""
        with self._conn().transaction():
            row = (
                self._conn()
                .execute("SELECT position FROM finsam_projection_tracking WHERE name = %s", (self.projection.name,))
                .fetchone()
            )
        return int(row[0]) if row else 0

    def process_batch(self) -> int:
        """Apply the next batch (at most ``batch_size`` events) in one transaction; return its size."""
        connection = self._conn()
        with connection.transaction(), connection.cursor() as cursor:
            row = cursor.execute(
                "SELECT position FROM finsam_projection_tracking WHERE name = %s FOR UPDATE",
                (self.projection.name,),
            ).fetchone()
            assert row is not None
            notifications = self.app.recorder.select_notifications(start=int(row[0]) + 1, limit=self.batch_size)
            if not notifications:
                return 0
            self.projection.apply(cursor, notifications)
            cursor.execute(
                "UPDATE finsam_projection_tracking SET position = %s WHERE name = %s",
                (notifications[-1].id, self.projection.name),
            )
        return len(notifications)

    def catch_up(self) -> int:
        """Apply batches until the log's end as it is now; return how many events were applied."""
        total = 0
        while not self.stopping.is_set():
            applied = self.process_batch()
            total += applied
            if applied < self.batch_size:
                break
        return total

    def run(self) -> None:
        """Tail the log until :meth:`stop`: catch up, then wait for a wake-up or the poll interval."""
        while not self.stopping.is_set():
            try:
                if self.process_batch() == 0:
                    self.wake.wait(self.poll_seconds)
                    self.wake.clear()
            except Exception:  # Keep tailing after a lost connection; the batch rolled back.
                log.exception("projection batch failed", projection=self.projection.name)
                self.close()
                self.stopping.wait(1.0)

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
