"""The unit of work: what one command, or one batch of commands, loads and changes, saved in one write.

Every aggregate a command loads comes through its unit of work, so commands in one unit see each
other's changes; :meth:`UnitOfWork.commit` hands every changed aggregate to eventsourcing's
``Application.save`` at once (one atomic write: all of the unit's events or none), with the actor
the write is recorded as and the hooks that run inside its transaction, and keeps the log position
the write reached. Nothing here is shared between threads: the application opens a unit per call
(:meth:`finsam_core.application.base.FinsamBase.run` and ``batch``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from finsam_core.audit.actor import Actor
from finsam_core.audit.recording import WriteHook
from finsam_core.errors import Conflict
from finsam_core.limits import check_event

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """The aggregates of one unit of work, its actor and write hooks, and, once saved, its position.

    ``actor`` is stored beside the write and covered by the hash chain (finsam_core.audit.actor); no
    command and no rule ever reads it. Each of ``also`` runs as ``hook(cursor, positions)`` inside
    the write's transaction (PostgreSQL stores only): the service marks an ``Idempotency-Key``
    claim with the write's position this way, so a claim left by a crash tells a retry whether the
    write was recorded.
    """

    def __init__(self, application: Application[UUID], actor: Actor, also: Sequence[WriteHook] = ()) -> None:
        self.application = application
        self.actor = actor
        self.also = tuple(also)
        self.position: int | None = None
        """The highest log position the write recorded (the log's end when it recorded nothing); set by commit."""
        self._aggregates: dict[UUID, Aggregate] = {}
        self._open = True

    @property
    def is_open(self) -> bool:
        """Whether commands may still run in this unit (it is neither committed nor discarded)."""
        return self._open

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate as this unit sees it (loaded once, with the unit's changes), or ``None``."""
        self._require_open()
        found = self._aggregates.get(aggregate_id)
        if found is None:
            try:
                found = self.application.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
            self._aggregates[aggregate_id] = found
        return found

    def has(self, aggregate_id: UUID) -> bool:
        """Whether anything is recorded (or created in this unit) under ``aggregate_id``: one stored event is read."""
        self._require_open()
        return aggregate_id in self._aggregates or bool(self.application.recorder.select_events(aggregate_id, limit=1))

    def add(self, *aggregates: Aggregate) -> None:
        """Take part in this unit's write (a new aggregate, or one loaded elsewhere)."""
        self._require_open()
        for aggregate in aggregates:
            self._aggregates[aggregate.id] = aggregate

    def commit(self) -> int:
        """Save every changed aggregate in one atomic write, in the order they entered the unit; returns its position.

        A write that lost a race with another (the store refused a version already taken) is a
        :class:`~finsam_core.errors.Conflict`, and nothing of this unit is recorded.
        """
        self._require_open()
        self._open = False
        changed = [aggregate for aggregate in self._aggregates.values() if aggregate.pending_events]
        for aggregate in changed:
            for event in aggregate.pending_events:
                check_event(event)
        if not changed:
            self.position = self.application.recorder.max_notification_id() or 0
            return self.position
        kwargs: dict[str, Any] = {"actor": self.actor}
        if self.also:
            kwargs["also"] = self.also
        try:
            recordings = self.application.save(*changed, **kwargs)
        except IntegrityError as exc:
            raise Conflict(
                "Någon annan registrerade en ändring samtidigt; läs in uppgifterna igen och försök på nytt."
            ) from exc
        ids = [recording.notification.id for recording in recordings]
        self.position = max(ids) if ids else self.application.recorder.max_notification_id() or 0
        return self.position

    def discard(self) -> None:
        """End the unit without saving anything (a command in it failed)."""
        self._open = False

    def _require_open(self) -> None:
        if not self._open:
            raise RuntimeError(
                "This unit of work has ended (committed or discarded): run the command through the application, "
                "app.run(...) or app.batch()."
            )
