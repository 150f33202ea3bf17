"""Catch-up with one batch's database writes overlapped with the next batch's Python work (issue 16).

A batch of the projection worker is Python work (reading and decoding the events, applying them to
the aggregates, building the rows, encoding them) followed by statements PostgreSQL executes while
our process waits. When the worker is behind the log, :func:`catch_up_pipelined` runs them at once
on the machine's CPUs: the main thread applies batch *n* + 1 to a :class:`RecordingCursor`, which
keeps the statements (their parameters already encoded) instead of sending them, while a writer
thread sends batch *n*'s statements on the worker's connection.

What does not change:

* **One transaction a batch, with its tracking row.** The writer locks the tracking row, checks that
  it still stands where the batch starts (another worker of the same projection may have moved it),
  executes the batch's statements, moves the position to the batch's last event and commits. Batches
  commit strictly in order; a batch whose predecessor failed finds the position behind its start and
  is rolled back too.
* **The rows.** The recorded statements are those :class:`~finsam_core.projections.postgres.PostgresViews`
  makes on the synchronous path, in the same order, with the same parameters; only the time they are
  sent differs. The rows are built from the aggregates in memory and the event store, never from the
  views, so building batch *n* + 1 before batch *n* commits builds the same rows.
* **Everything unusual goes the synchronous way.** A batch whose projection reads the views (a
  :class:`RecordingCursor` cannot answer: :class:`NeedsRead`), whose events fail to apply, or whose
  statements fail in the writer ends the pipeline: the writes in flight are finished (or rolled back),
  and the worker goes on with :meth:`~finsam_core.projections.follower.ProjectionWorker.process_batch`
  from the committed position, which reads, isolates poison events and records failed positions as
  before. Applying a batch again after a later one was applied is safe: the kept aggregate states are
  replays of stored events (:mod:`~finsam_core.projections.batch`).

**Fewer full garbage collections.** A catch-up keeps thousands of aggregates alive for a while
(:class:`~finsam_core.projections.batch.BatchAggregates`) and lets them go again: CPython's default
thresholds then run a full collection, which walks every object of the process, every few thousand
events, and those took a third of the worker's Python time (measured on 30 000 events: 5 full
collections, 0.4 of 1.5 CPU seconds). The aggregates and rows hold no reference cycles, so while
:func:`catch_up_pipelined` runs the third threshold is raised to :data:`FULL_COLLECTION_EVERY` (young
collections are unchanged; cyclic garbage is still collected, later), and restored at its end.

At most :data:`AHEAD` batches wait for the writer, so the statements held in memory stay a few batches'
worth.
"""

from __future__ import annotations

import gc
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, cast

import psycopg
import structlog
from eventsourcing.persistence import Notification

from finsam_core.projections.postgres import PostgresViews

__all__ = [
    "AHEAD",
    "FULL_COLLECTION_EVERY",
    "NeedsRead",
    "PositionMoved",
    "RecordingCursor",
    "Statement",
    "catch_up_pipelined",
    "fewer_full_collections",
]

log = structlog.get_logger(__name__)

AHEAD = 2
"""Batches applied but not yet committed, at most: one the writer sends, one waiting for it."""

FULL_COLLECTION_EVERY = 100
"""During a catch-up, a full collection after this many collections of the middle generation at most
(CPython's default: 10)."""

Statement = tuple[Any, Any, bool]
"""(query, parameters, ``executemany``'s sequence of parameters rather than one)."""


class NeedsRead(Exception):
    """The projection read the views; a :class:`RecordingCursor` has nothing to answer with."""


class PositionMoved(Exception):
    """The tracking row is not where the batch starts: another worker moved it, or the batch before failed."""


class RecordingCursor:
    """Stands in for the batch's cursor: keeps the statements :class:`PostgresViews` makes, for the writer."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def execute(self, query: Any, params: Any = None) -> RecordingCursor:
        self.statements.append((query, params, False))
        return self

    def executemany(self, query: Any, params_seq: Iterable[Any]) -> None:
        self.statements.append((query, list(params_seq), True))

    def fetchone(self) -> Any:
        raise NeedsRead("the projection reads the views")

    def fetchall(self) -> Any:
        raise NeedsRead("the projection reads the views")

    def __iter__(self) -> Any:
        raise NeedsRead("the projection reads the views")

    def __getattr__(self, name: str) -> Any:
        raise NeedsRead(f"the projection uses the cursor's {name!r}")


def record_batch(
    apply: Callable[[PostgresViews, Sequence[Notification]], None], notifications: Sequence[Notification]
) -> list[Statement]:
    """The statements the projection makes for ``notifications``; raises what ``apply`` raises."""
    cursor = RecordingCursor()
    apply(PostgresViews(cast("psycopg.Cursor[Any]", cursor)), notifications)
    return cursor.statements


def send(cursor: psycopg.Cursor[Any], statements: Sequence[Statement]) -> None:
    """Execute recorded statements on a real cursor, in order."""
    for query, params, many in statements:
        if many:
            if params:
                cursor.executemany(query, params)
        else:
            cursor.execute(query, params)


_collector_lock = threading.Lock()
_collector_users = 0
_collector_before: tuple[int, int, int] | None = None


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Raise the garbage collector's third threshold to :data:`FULL_COLLECTION_EVERY` for a while; the
    thresholds found are restored when the last of the catch-ups running at once ends."""
    global _collector_users, _collector_before
    with _collector_lock:
        if _collector_users == 0:
            _collector_before = gc.get_threshold()
            gc.set_threshold(*_collector_before[:2], max(_collector_before[2], FULL_COLLECTION_EVERY))
        _collector_users += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0 and _collector_before is not None:
                gc.set_threshold(*_collector_before)


def catch_up_pipelined(
    read: Callable[[int], Sequence[Notification]],
    apply: Callable[[PostgresViews, Sequence[Notification]], None],
    write: Callable[[int, int, list[Statement], int], None],
    start: int,
    batch_size: int,
    stopping: Callable[[], bool],
) -> tuple[int, bool]:
    """Apply batches from position ``start`` + 1 with their writes overlapped; return the events
    committed and whether the log's end was reached (``False``: the worker goes on synchronously).

    ``read(first)`` gives the batch from position ``first``; ``apply(views, batch)`` is the projection;
    ``write(expected, last, statements, size)`` commits a batch in the writer thread (raising
    :class:`PositionMoved` when the tracking row is not at ``expected``).
    """
    committed = 0
    reached_end = False
    pending: deque[tuple[Future[None], int]] = deque()
    failed = False

    def settle(wait_all: bool) -> None:
        nonlocal committed, failed
        while pending and (wait_all or len(pending) >= AHEAD or pending[0][0].done()):
            future, size = pending.popleft()
            try:
                future.result()
            except Exception as exc:
                if not failed:
                    log.info("pipelined batch not committed; going on synchronously", error=type(exc).__name__)
                failed = True
                continue
            if not failed:
                committed += size

    with fewer_full_collections(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="projection-writer") as writer:
        try:
            first = start + 1
            while not stopping():
                notifications = read(first)
                if not notifications:
                    reached_end = True
                    break
                try:
                    statements = record_batch(apply, notifications)
                except Exception:  # A read of the views, or an event that fails: the synchronous path.
                    break
                last = notifications[-1].id
                pending.append(
                    (writer.submit(write, first - 1, last, statements, len(notifications)), len(notifications))
                )
                first = last + 1
                settle(wait_all=False)
                if failed:
                    break
                if len(notifications) < batch_size:
                    reached_end = True
                    break
        finally:
            settle(wait_all=True)  # Also on a crash of the main thread: what was applied commits, in order.
    return committed, reached_end and not failed
