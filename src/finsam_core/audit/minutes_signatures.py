"""The minutes' digital signatures held against the trail, in the store or in an export.

Each signature names the SHA-256 of the canonical minutes it was given for. Rebuilding the
Meeting from the events recorded before the signature must give that same hash: then the text
the signers saw is the text the trail holds. :func:`check_minutes_signatures` does this for any
source of streams; :func:`verify_minutes` (in :mod:`finsam_core.audit.verify`) feeds it the
store, :func:`finsam_core.audit.export.verify_export` the events of an export file.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import CanMutateProtocol, DomainEventProtocol
from eventsourcing.utils import resolve_topic

from finsam_core.audit.problems import Problem

__all__ = ["check_minutes_signatures", "is_signable_topic"]


@cache
def is_signable_topic(topic: str) -> bool:
    """Whether a stream whose first event has ``topic`` holds signable minutes (a ``canonical_sha256()``)."""
    try:
        resolve_topic(topic)
        owner = resolve_topic(topic.rsplit(".", 1)[0])
    except Exception:  # An unknown or moved topic: not ours to check.
        return False
    return callable(getattr(owner, "canonical_sha256", None))


def check_minutes_signatures(
    streams: Iterable[tuple[UUID, Iterable[DomainEventProtocol[Any]]]],
) -> tuple[int, list[Problem]]:
    """Replay each stream and check every signature in it; returns the count and the problems.

    An event takes part when it carries a ``signature`` with a ``sha256`` and the aggregate
    before it exists.
    """
    checked, problems = 0, []
    for stream, events in streams:
        aggregate: Any = None
        for domain_event in events:
            signature = getattr(domain_event, "signature", None)
            claimed = getattr(signature, "sha256", None)
            if aggregate is not None and isinstance(claimed, str):
                checked += 1
                rebuilt = aggregate.canonical_sha256()
                if rebuilt != claimed.lower():
                    problems.append(
                        Problem(
                            f"underskriften av {getattr(signature, 'name', '?')} gäller hashvärdet {claimed[:16]}… "
                            f"men protokollet som byggs upp ur händelserna har {rebuilt[:16]}…",
                            None,
                            stream,
                            domain_event.originator_version,
                        )
                    )
            aggregate = cast("CanMutateProtocol[Any]", domain_event).mutate(aggregate)
    return checked, problems
