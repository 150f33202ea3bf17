"""Which aggregate a stored event belongs to, from its topic, without decoding it.

The projections follow some aggregates and skip the others' events. They ask the event's class,
resolved from its topic as eventsourcing does (``resolve_topic``, which honours ``register_topic``),
so a class moved or renamed later is still recognised in a store written before, and no topic is
spelled out as a string.
"""

from __future__ import annotations

from functools import lru_cache

from eventsourcing.domain import Aggregate
from eventsourcing.utils import TopicError, resolve_topic

__all__ = ["event_class", "event_of"]


@lru_cache(maxsize=1024)
def event_class(topic: str) -> type | None:
    """The class of the events stored under ``topic`` (``None``: the topic names no class)."""
    try:
        found = resolve_topic(topic)
    except TopicError:
        return None
    return found if isinstance(found, type) else None


def event_of(topic: str, *aggregates: type[Aggregate]) -> bool:
    """Whether the event stored under ``topic`` is an event of one of the ``aggregates`` classes.

    A topic that names no class (a store written by code that no longer exists) is no one's event:
    the projections skip it, as they skip the events of aggregates they do not follow.
    """
    found = event_class(topic)
    return found is not None and issubclass(found, tuple(a.Event for a in aggregates))
