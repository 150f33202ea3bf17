"""Aggregates as they stood at the end of a batch, rebuilt from the batch's own events.

The projection worker needs, for every aggregate a batch touched, its state at the last event of
the batch. Loading each one from the store (``repository.get(id, version=...)``) costs a query and
a replay of its whole history per aggregate per batch. Instead, :class:`BatchAggregates` decodes
each event once and applies it to the state the previous batch left (kept for the most recently
used aggregates), or to nothing for an aggregate created in the batch. Only when it has no state
that ends right before the batch's first event of an aggregate does it load that aggregate from
the store.

Stored events never change, so a kept state at version *v* is the replay of versions 1..*v*
whatever happened to the transaction that produced it: a rolled-back batch cannot corrupt it, and
a retried batch (whose first event is not *v* + 1) simply loads from the store again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

__all__ = ["BatchAggregates", "EventSource", "Touched"]

EventSource = Application[UUID]
"""Where the projections read the log: an application's recorder, mapper and repository (never its
commands or queries)."""

Touched = dict[UUID, tuple[Any, int]]
"""Originator id -> (the aggregate after its last event in the batch, that event's notification id)."""


class BatchAggregates:
    """Rebuilds the aggregates a batch touched; keeps up to ``keep`` of them for the next batch."""

    def __init__(self, source: EventSource, keep: int = 20_000) -> None:
        self.source = source
        self.keep = keep
        self._kept: OrderedDict[UUID, Any] = OrderedDict()

    def rebuild(self, notifications: Sequence[Notification]) -> Touched:
        """The state of every aggregate ``notifications`` touch, as of its last event among them."""
        by_aggregate: dict[UUID, list[Notification]] = {}
        for notification in notifications:
            # The store's ids are UUIDs (the mapper converts str ids of other stores on decoding).
            by_aggregate.setdefault(cast("UUID", notification.originator_id), []).append(notification)
        touched: Touched = {}
        for originator_id, own in by_aggregate.items():
            aggregate = self._kept.pop(originator_id, None)
            previous = aggregate.version if aggregate is not None else 0
            if not _consecutive(own, previous + 1):
                aggregate = self.source.repository.get(originator_id, version=own[-1].originator_version)
            else:
                to_domain_event = self.source.mapper.to_domain_event
                for notification in own:
                    aggregate = to_domain_event(notification).mutate(aggregate)  # type: ignore[attr-defined]
            touched[originator_id] = (aggregate, own[-1].id)
            self._kept[originator_id] = aggregate
        while len(self._kept) > self.keep:
            self._kept.popitem(last=False)
        return touched


def _consecutive(notifications: list[Notification], first: int) -> bool:
    """Whether the notifications are versions ``first``, ``first + 1``, ... of their aggregate."""
    return all(n.originator_version == first + k for k, n in enumerate(notifications))
