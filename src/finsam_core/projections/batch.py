"""Aggregates as they stood at the end of a batch, rebuilt from the batch's own events.

The projection worker needs, for every aggregate a batch touched, its state at the last event of
the batch. Loading each one from the store (``repository.get(id, version=...)``) costs a query and
a replay of its whole history per aggregate per batch. Instead, :class:`BatchAggregates` decodes
each event once and applies it to the state the previous batch left (kept for the most recently
used aggregates), or to nothing for an aggregate created in the batch. Only when it has no state
that ends right before the batch's first event of an aggregate does it load that aggregate from
the store.

The kept states are bounded in **bytes**, not in number (issue 16): a förbund with twenty years of
history weighs a hundred meetings. An aggregate's weight is estimated from the stored bytes of the
events that built it, times :data:`BYTES_PER_STORED_BYTE` (measured: a meeting of ten events holds
about 4.9 bytes of Python objects for each byte of its stored JSON). The least recently used states
go first once the estimate passes ``max_bytes``.

Replaying an event (:func:`apply_event`) skips what eventsourcing's ``mutate`` does for any caller
and the rebuild has already done: :meth:`BatchAggregates.rebuild` groups the events by aggregate and
checks that their versions follow each other, so the checks of identity and version are done; and the
``@event`` method is called with the event's attributes it names, looked up once per event class,
rather than through ``filter_kwargs_for_method_params`` (which builds a dict of every attribute and
filters it, for every event: a sixth of the replay's time). Only event classes whose ``mutate`` and
``apply`` are eventsourcing's own take this path; any other (a created event, an event with an
``apply`` of its own) is mutated the usual way. ``tests/core/projections/test_replay_fast_path.py``
replays every aggregate of the seeds both ways and compares them.

Stored events never change, so a kept state at version *v* is the replay of versions 1..*v*
whatever happened to the transaction that produced it: a rolled-back batch cannot corrupt it, and
a retried batch (whose first event is not *v* + 1) simply loads from the store again.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import CanMutateAggregate, DecoratedFuncCaller, decorated_funcs
from eventsourcing.persistence import Notification

__all__ = ["BYTES_PER_STORED_BYTE", "DEFAULT_MAX_BYTES", "BatchAggregates", "EventSource", "Touched", "apply_event"]

BYTES_PER_STORED_BYTE = 5
"""Memory an aggregate holds per byte of the stored events that built it (measured with tracemalloc on
meetings of ten events: 4.85; ``bench/bench_service.py`` measures the process as a whole)."""

DEFAULT_MAX_BYTES = 12 * 1024 * 1024
"""The kept states' estimated size: some 1 200 meetings of ten events, plenty for the live tail of a network's
log (a catch-up needs only the aggregates a batch spans). 16 MB until the service measured 154 MB after a
million events, over its 150 MB bound (issue 16)."""

EventSource = Application[UUID]
"""Where the projections read the log: an application's recorder, mapper and repository (never its
commands or queries)."""

Touched = dict[UUID, tuple[Any, int]]
"""Originator id -> (the aggregate after its last event in the batch, that event's notification id)."""


class BatchAggregates:
    """Rebuilds the aggregates a batch touched; keeps the most recently used for the next batch, up to
    ``max_bytes`` (estimated, see the module's docstring) and at most ``keep`` of them."""

    def __init__(self, source: EventSource, keep: int = 20_000, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.source = source
        self.keep = keep
        self.max_bytes = max_bytes
        self._kept: OrderedDict[UUID, tuple[Any, int]] = OrderedDict()
        """originator id -> (the aggregate, the stored bytes of its events so far)."""
        self._stored_bytes = 0

    @property
    def kept_bytes(self) -> int:
        """The kept states' estimated size in bytes."""
        return self._stored_bytes * BYTES_PER_STORED_BYTE

    def rebuild(self, notifications: Sequence[Notification]) -> Touched:
        """The state of every aggregate ``notifications`` touch, as of its last event among them."""
        by_aggregate: dict[UUID, list[Notification]] = {}
        for notification in notifications:
            # The store's ids are UUIDs (the mapper converts str ids of other stores on decoding).
            by_aggregate.setdefault(cast("UUID", notification.originator_id), []).append(notification)
        touched: Touched = {}
        to_domain_event = self.source.mapper.to_domain_event
        for originator_id, own in by_aggregate.items():
            aggregate, weight = self._kept.pop(originator_id, (None, 0))
            self._stored_bytes -= weight
            previous = aggregate.version if aggregate is not None else 0
            added = sum(len(n.state) for n in own)
            if not _consecutive(own, previous + 1):
                last = own[-1].originator_version
                aggregate = self.source.repository.get(originator_id, version=last)
                # Its earlier events were not read here: assume they weigh what these do on average.
                weight = added * last // len(own)
            else:
                for notification in own:
                    aggregate = apply_event(to_domain_event(notification), aggregate)
                weight += added
            touched[originator_id] = (aggregate, own[-1].id)
            self._kept[originator_id] = (aggregate, weight)
            self._stored_bytes += weight
        while self._kept and (len(self._kept) > self.keep or self.kept_bytes > self.max_bytes):
            _, (_, weight) = self._kept.popitem(last=False)
            self._stored_bytes -= weight
        return touched


def _consecutive(notifications: list[Notification], first: int) -> bool:
    """Whether the notifications are versions ``first``, ``first + 1``, ... of their aggregate."""
    return all(n.originator_version == first + k for k, n in enumerate(notifications))


_Direct = tuple[Callable[..., Any], tuple[str, ...]] | None
_direct: dict[type, _Direct] = {}
"""Event class -> (its ``@event`` function, the names of its parameters), or ``None``: mutate it as usual."""


def _direct_call(cls: type) -> _Direct:
    found = _direct.get(cls, False)
    if found is not False:
        return found  # type: ignore[return-value]
    direct: _Direct = None
    if (
        cls in decorated_funcs
        and cls.mutate is CanMutateAggregate.mutate  # type: ignore[attr-defined]
        and cls.apply is DecoratedFuncCaller.apply  # type: ignore[attr-defined]
    ):
        # What DecoratedFuncCaller.apply's super().apply() would call: nothing but the base's no-op.
        after = cls.__mro__[cls.__mro__.index(DecoratedFuncCaller) + 1 :]
        following = next((c.__dict__["apply"] for c in after if "apply" in c.__dict__), None)
        if following is CanMutateAggregate.apply:
            func = decorated_funcs[cls]
            direct = (func, tuple(inspect.signature(func).parameters))
    _direct[cls] = direct
    return direct


def apply_event(event: Any, aggregate: Any) -> Any:
    """``event.mutate(aggregate)`` for an event that follows ``aggregate``'s version (checked by the
    caller): the ``@event`` method called directly where that is what ``mutate`` would do."""
    direct = _direct_call(type(event))
    if direct is None or aggregate is None:
        return event.mutate(aggregate)
    func, names = direct
    attributes = vars(event)
    func(aggregate, **{name: attributes[name] for name in names if name in attributes})
    aggregate.version = event.originator_version
    aggregate.modified_on = event.timestamp
    return aggregate
