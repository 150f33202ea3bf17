"""The application's ground floor: the store, and running commands in a unit of work.

Every command of the application (the methods marked :func:`command` in the area modules) runs in
a :class:`~finsam_core.application.unit_of_work.UnitOfWork`: the one its caller opened, or one of
its own, saved when it returns. A caller opens a unit with :meth:`FinsamBase.run` (one call, its
result and the log position it reached) or :meth:`FinsamBase.batch` (a block of calls, one write
or nothing); both hand the caller the application *bound to that unit*, and every command called
on it, also from another command, joins the unit. The binding is a shallow copy of the
application that shares its store, so there is no per-thread state: the HTTP service runs many
units at once on one application, each in its own thread.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, Self, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, Mapper, Recording

from finsam_core.application.unit_of_work import UnitOfWork
from finsam_core.audit.actor import Actor
from finsam_core.audit.recording import WriteHook, audited_recorder
from finsam_core.errors import InvalidInput, NotFound
from finsam_core.stores import environment_for
from finsam_core.transcoding import construct_msgspec_mapper

__all__ = ["DEFAULT_SETTINGS", "FinsamBase", "command"]

A = TypeVar("A", bound=Aggregate)
B = TypeVar("B", bound="FinsamBase")
P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_SETTINGS = {
    # Keep recently used aggregates in memory (the repository deep-copies them out of the cache,
    # so a refused command cannot leave a half-changed aggregate behind) and fast-forward them
    # from the store before use, so several processes writing one store stay correct.
    "AGGREGATE_CACHE_MAXSIZE": "5000",
    "AGGREGATE_CACHE_FASTFORWARD": "y",
}


def command(method: Callable[Concatenate[B, P], T]) -> Callable[Concatenate[B, P], T]:
    """Mark ``method`` as a command: it runs in its caller's unit of work, or in one of its own.

    Called on the application bound to a unit (inside :meth:`FinsamBase.run` or ``batch``, or from
    another command) it joins that unit; called on the application itself it opens a unit, and
    saves it when the method returns: all of the command's events or none.
    """

    @functools.wraps(method)
    def in_unit_of_work(self: B, /, *args: P.args, **kwargs: P.kwargs) -> T:
        if self.unit_of_work is not None:
            return method(self, *args, **kwargs)
        self._refuse_beside_open_batch(method.__name__)
        with self.batch() as bound:
            return method(bound, *args, **kwargs)

    return in_unit_of_work


class FinsamBase(Application[UUID]):
    """eventsourcing's Application over finsam's store, running commands in units of work."""

    name = "finsam"

    _unit: UnitOfWork | None = None

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        store_url: str | None = None,
        actor: Actor | None = None,
        require_actor: bool = False,
    ) -> None:
        """``actor`` records this application's writes unless :meth:`run` or :meth:`batch` names
        another; without one, a write is recorded as the operating-system user's, from Python,
        unless ``require_actor`` refuses it."""
        settings = dict(DEFAULT_SETTINGS)
        settings.update(env or {})
        if store_url is not None:
            settings.update(environment_for(store_url))
        super().__init__(settings)
        self.actor = actor
        self.require_actor = require_actor
        # The threads with a batch open on this application (shared by its bound copies). Only to
        # refuse the mistake of calling ``app.x()`` instead of ``tx.x()`` inside ``with app.batch()
        # as tx:``, which would otherwise be written on its own, outside the batch.
        self._open_batches: dict[int, int] = {}
        self._open_batches_lock = threading.Lock()

    def construct_mapper(self) -> Mapper[UUID]:
        return construct_msgspec_mapper(self.factory)

    def construct_recorder(self) -> ApplicationRecorder:
        """The store's recorder, extended to hash-chain and sign every write (finsam_core.audit)."""
        return audited_recorder(self.factory, self.env)

    # --- units of work -----------------------------------------------------------------------

    @property
    def unit_of_work(self) -> UnitOfWork | None:
        """The unit this application is bound to (inside :meth:`run` or :meth:`batch`), else ``None``."""
        return self._unit

    def run(
        self, command: Callable[[Self], T], *, actor: Actor | None = None, also: Sequence[WriteHook] = ()
    ) -> tuple[T, int]:
        """Run ``command(app)`` in one unit of work; returns its result and the log position it reached.

        ``app`` is this application bound to the unit: every command called on it is recorded in
        one write, made by ``actor``, with ``also`` run inside that write's transaction (see
        :class:`~finsam_core.application.unit_of_work.UnitOfWork`). The position is the highest
        one the write recorded, or the log's end when it recorded nothing: a read that waits for it
        sees the command's effect. Example::

            record, position = app.run(lambda app: app.vote(org_nr, "2024-3", 12, "att anta", ballots), actor=who)
        """
        if self._unit is not None:
            raise RuntimeError("run opens a unit of work of its own; inside one, call the command directly.")
        with self.batch(actor=actor, also=also) as bound:
            result = command(bound)
        assert bound.unit_of_work is not None and bound.unit_of_work.position is not None
        return result, bound.unit_of_work.position

    @contextmanager
    def batch(self, *, actor: Actor | None = None, also: Sequence[WriteHook] = ()) -> Iterator[Self]:
        """Record every command called in the block on the yielded application in one write, or nothing.

        ``with app.batch() as tx: tx.convene_meeting(...); tx.add_paragraph(...)`` — nothing is
        written unless every command succeeds. Call the commands on ``tx``: one called on ``app``
        itself runs in a unit of its own. Inside a unit already, the block joins it. After the
        block, ``tx.unit_of_work.position`` is the position the write reached.
        """
        if self._unit is not None:
            if actor is not None or also:
                raise RuntimeError("A batch inside a unit of work joins it; name the actor where the unit is opened.")
            yield self
            return
        unit = UnitOfWork(self, self._actor_for(actor), also)
        bound = copy.copy(self)
        bound._unit = unit
        thread = threading.get_ident()
        with self._open_batches_lock:
            self._open_batches[thread] = self._open_batches.get(thread, 0) + 1
        try:
            try:
                yield bound
            except BaseException:
                unit.discard()
                raise
            unit.commit()
        finally:
            with self._open_batches_lock:
                self._open_batches[thread] -= 1
                if not self._open_batches[thread]:
                    del self._open_batches[thread]

    def _refuse_beside_open_batch(self, name: str) -> None:
        """A command called on the application itself while this thread has a batch open on it."""
        if threading.get_ident() in self._open_batches:
            raise RuntimeError(
                f"{name} was called on the application inside `with app.batch() as tx:`; call it on tx, "
                "so that it is part of the batch's one write (on the application it would be written alone)."
            )

    def close(self) -> None:
        """Close the store; an application bound to a unit of work shares it, so only the application closes it."""
        if self._unit is None:
            sign_now = getattr(self.recorder, "sign_now", None)
            if sign_now is not None:  # What it wrote and left to a signer that was busy (finsam_core.audit.signer).
                sign_now()
            super().close()

    def _actor_for(self, actor: Actor | None) -> Actor:
        """Who a write is recorded as: the one named, else the application's, else the OS user's."""
        chosen = actor or self.actor
        if chosen is None:
            if self.require_actor:
                raise InvalidInput(
                    "Ange vem som registrerar: skrivningar i den här tillämpningen kräver en aktör "
                    "(app.run(..., actor=...) eller app.batch(actor=...))."
                )
            chosen = Actor.python()
        return chosen

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """eventsourcing's save; a direct call (not through a unit of work) is recorded as the default actor."""
        if "actor" not in kwargs:
            kwargs["actor"] = self._actor_for(None)
        return super().save(*objs, **kwargs)

    # --- loading and staging, for the commands -------------------------------------------------

    def _load(self, aggregate_id: UUID) -> Aggregate | None:
        if self._unit is not None:
            return self._unit.get(aggregate_id)
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _get(self, aggregate_id: UUID, cls: type[A], missing: str) -> A:
        """The aggregate, or :class:`~finsam_core.errors.NotFound` with the sentence ``missing``."""
        found = self._load(aggregate_id)
        if not isinstance(found, cls):
            raise NotFound(missing)
        return found

    def _find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        """The aggregate, or ``None`` when it is not recorded (one read)."""
        found = self._load(aggregate_id)
        return found if isinstance(found, cls) else None

    def _has(self, aggregate_id: UUID) -> bool:
        """Whether anything is recorded under ``aggregate_id``: reads one stored event, not the aggregate."""
        if self._unit is not None:
            return self._unit.has(aggregate_id)
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def _stage(self, *aggregates: Aggregate) -> None:
        """Add ``aggregates`` to the write of the command's unit of work."""
        if self._unit is None:
            raise RuntimeError("A command stages aggregates in a unit of work: mark the method with @command.")
        self._unit.add(*aggregates)
