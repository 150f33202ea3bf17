"""Stored topics: the old names of classes that have moved, and which aggregate a topic's events belong to.

Stored events and snapshots name their classes by topic (``module:Class``). When a class or module
moves, its old topic is registered here, so a store written before the move loads and verifies as
before (``tests/core/test_old_store.py`` reads a store written by the code before each move).

The projections and the audit ask an event's class, resolved from its topic as eventsourcing does
(``resolve_topic``, which honours the registrations here), so no topic is spelled out as a string.
"""

from __future__ import annotations

from functools import lru_cache

from eventsourcing.domain import Aggregate
from eventsourcing.utils import TopicError, register_topic, resolve_topic

from finsam_core import values
from finsam_core.domain import forbund, meeting_parts, network

__all__ = ["MOVED", "event_class", "event_of"]

#: old topic → where it lives now (a module, or a class when the class itself was renamed).
MOVED: dict[str, object] = {
    # The value objects moved below the domain (issue 10), so rules/ can use them without domain/.
    "finsam_core.domain.values": values,
    # A meeting's parts moved out of the aggregate's module (issue 10), so the minutes can render a
    # meeting without importing the aggregate. Snapshots name these classes by topic.
    **{
        f"finsam_core.domain.meeting:{name}": getattr(meeting_parts, name)
        for name in ("Attendee", "BallotCast", "Capacity", "Paragraph", "Signature", "SignerRole", "VoteRecord")
    },
    # One vocabulary (issue 10): the core said "association" where the users, the URLs and the file
    # format say "förbund". The events that stored ``association_id`` are at class_version 2 with an
    # upcaster (finsam_core.domain.versions); the classes and the module are registered here.
    "finsam_core.domain.association": forbund,
    "finsam_core.domain.association:Association": forbund.Forbund,
    "finsam_core.domain.network:Network.AssociationListed": getattr(network.Network, "ForbundListed"),  # noqa: B009 (made by @event)
}

for _old, _new in MOVED.items():
    register_topic(_old, _new)  # type: ignore[arg-type]


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
    return _event_of(topic, aggregates)


@lru_cache(maxsize=4096)
def _event_of(topic: str, aggregates: tuple[type[Aggregate], ...]) -> bool:
    # Cached: the projections ask this of every event of a batch, a few times each (issue 16).
    found = event_class(topic)
    return found is not None and issubclass(found, tuple(a.Event for a in aggregates))
