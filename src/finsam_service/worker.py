"""The projection worker as the service runs it: writes that arrive together are applied together.

A write wakes the worker (:class:`~finsam_service.commands.Commands`), so a write on an idle service is
in the views at once. Under a stream of writes, eventsourcing's worker would apply one batch per write,
each a transaction of its own (lock the tracking row, read the new events, rebuild and rewrite the rows
of every meeting and förbund they touched, move the position) plus its Prometheus readings: in the
service's one process, that competes with the requests for the interpreter. :class:`ServiceWorker`
therefore starts a batch at most every ``coalesce_seconds`` while writes keep coming: the writes of that
window are applied in one transaction, and a meeting that several of them touched is rendered once.

A read that waits for a position (``min_position``) cuts the window short (:meth:`ServiceWorker.hurry`),
so read-your-writes never waits for it; the live lag of a write grows by at most the window (20 ms by
default, ``FINSAM_PROJECTION_COALESCE_MS``; 0 applies a batch per wake-up as before). The gauges are
read at most every ``measure_every_seconds`` while batches follow each other, and always once the
worker has caught up.

Every write's transaction sends a ``NOTIFY`` on the events table's channel; with ``listen`` the worker
also LISTENs on it (a connection and a thread of its own), so writes by other processes wake it at once
too. That is what lets ``finsam-serve project`` run the worker in a process of its own (``serve
--no-projection`` beside it) without waiting for its poll interval: the service's process then keeps its
interpreter for the requests (``docs/operations.md``, "Processes").
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import psycopg
import structlog
from psycopg import sql

from finsam_core.embedded import connect
from finsam_core.projections.follower import ProjectionWorker

__all__ = ["ServiceWorker"]

log = structlog.get_logger(__name__)


class ServiceWorker(ProjectionWorker):
    """:class:`ProjectionWorker` that lets the writes of ``coalesce_seconds`` gather into one batch."""

    def __init__(
        self,
        *args: Any,
        coalesce_seconds: float = 0.02,
        measure_every_seconds: float = 1.0,
        listen: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.listen = listen
        self._listener: threading.Thread | None = None
        self.coalesce_seconds = coalesce_seconds
        self.measure_every_seconds = measure_every_seconds
        self._hurry = threading.Event()
        self._measured_at = -math.inf
        self._unmeasured = 0
        self.batches = 0
        """Non-empty batches applied (tests and benchmarks read it: how well the writes were gathered)."""

    def hurry(self) -> None:
        """Start the next batch now: a read is waiting for a position (also wakes an idle worker)."""
        self._hurry.set()
        self.wake.set()

    def start(self) -> None:
        super().start()
        channel = getattr(self.app.recorder, "channel_name", None)
        if self.listen and channel is not None:
            self._listener = threading.Thread(
                target=self._listen, args=(channel,), name=f"projection-{self.projection.name}-listen", daemon=True
            )
            self._listener.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._hurry.set()
        super().stop(timeout)
        if self._listener is not None:
            self._listener.join(timeout)
            self._listener = None

    def _listen(self, channel: str) -> None:
        """Wake the worker on every write's NOTIFY, until stopped; a lost connection is opened again."""
        while not self.stopping.is_set():
            try:
                with connect(self.url) as connection:
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    self.wake.set()  # What was written before the LISTEN.
                    while not self.stopping.is_set():
                        for _ in connection.notifies(timeout=0.5, stop_after=1):
                            self.wake.set()
            except psycopg.Error as exc:  # The worker itself reports an outage; here only a line.
                log.info("projection listener reconnecting", error=type(exc).__name__)
                self.stopping.wait(1.0)

    def process_batch(self) -> int:
        """Apply the next batch; after one that did not fill up, keep the next from starting within the window."""
        started = time.monotonic()
        applied = super().process_batch()
        if applied:
            self.batches += 1
        if 0 < applied < self.batch_size and self.coalesce_seconds > 0 and not self.stopping.is_set():
            remaining = self.coalesce_seconds - (time.monotonic() - started)
            if remaining > 0:
                self._hurry.wait(remaining)
        self._hurry.clear()
        return applied

    def _measure(self, applied: int) -> None:
        """The gauges, read at most every ``measure_every_seconds`` while batches follow each other."""
        now = time.monotonic()
        if applied:
            self._unmeasured += applied
            if now - self._measured_at < self.measure_every_seconds:
                return
        elif self._unmeasured:  # Caught up after batches left unmeasured: read the position reached.
            applied = self._unmeasured
        self._unmeasured = 0
        self._measured_at = now
        super()._measure(applied)
