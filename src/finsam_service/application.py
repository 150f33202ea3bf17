"""The service's view of the finsam application: the same commands, plus the log position a write reached."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import Recording

from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor

__all__ = ["ServiceFinsam", "run_command"]

T = TypeVar("T")


class ServiceFinsam(Finsam):
    """:class:`Finsam` that remembers, per thread, the highest notification id its last save recorded."""

    name = "finsam"  # eventsourcing names tables after the class unless told: share finsam's store.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._positions = threading.local()

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        recordings = super().save(*objs, **kwargs)
        ids = [r.notification.id for r in recordings]
        if ids:
            self._positions.last = max(ids)
        return recordings

    def run(self, command: Callable[[], T], actor: Actor | None = None) -> tuple[T, int]:
        """Run ``command`` (a call of this application's methods) and return its result and position.

        The position is the highest notification id the command recorded, or the log's current end
        when it recorded nothing; a read passing it as ``min_position`` sees the command's effect.
        Its writes are recorded as made by ``actor`` (the caller over HTTP) when one is given.
        """
        self._positions.last = None
        with self.acting_as(actor) if actor is not None else nullcontext():
            result = command()
        position = self._positions.last
        if position is None:
            position = self.recorder.max_notification_id() or 0
        return result, int(position)


def run_command(app: ServiceFinsam, command: Callable[[], T]) -> tuple[T, int]:
    """Module-level alias of :meth:`ServiceFinsam.run` for ``anyio.to_thread.run_sync``."""
    return app.run(command)
