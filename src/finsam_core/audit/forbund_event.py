"""One of a förbund's stored events as the export, replay and the service's audit reads see it.

Its own module so that the walk over the whole log (:mod:`finsam_core.audit.export`) and the walk
through the förbund's chain (:mod:`finsam_core.audit.forbund_chain`) build the same thing without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec

from finsam_core.audit.actor import UNKNOWN, Actor, decode_actor

__all__ = ["ForbundEvent", "decode_payload"]


def decode_payload(state: bytes) -> dict[str, Any] | None:
    """The stored state as a dict, or None when it is not JSON of an object (a row changed by hand)."""
    try:
        found = msgspec.json.decode(state)
    except msgspec.DecodeError:
        return None
    return found if isinstance(found, dict) else None


@dataclass(frozen=True)
class ForbundEvent:
    """One of a förbund's stored events, with everything the export and replay need."""

    position: int
    stream: UUID
    version: int
    topic: str
    state: bytes
    payload: dict[str, Any]
    domain_date: str | None
    recorded_at: str | None
    leaf: bytes
    hash: bytes
    actor_state: bytes | None = None
    """The stored bytes of the write's actor; None for events recorded before actors existed."""
    link: bytes | None = None
    """The förbund chain's link after this event (:mod:`finsam_core.audit.forbund_chain`)."""

    @property
    def actor(self) -> Actor:
        """Who recorded the event (:data:`~finsam_core.audit.actor.UNKNOWN` before actors existed)."""
        return decode_actor(self.actor_state) or UNKNOWN
