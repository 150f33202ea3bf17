"""Upcasters shared by several events: how an old stored shape becomes today's.

Stored events are a contract (eventsourcing docs, "Versioning"): a renamed field gets a higher
``class_version`` on its event class and an ``upcast_vN_vN+1`` that rewrites the old state.
"""

from __future__ import annotations

from typing import Any

__all__ = ["association_to_forbund"]


def association_to_forbund(state: dict[str, Any]) -> None:
    """Version 1 said ``association`` where the users, the URLs and today's code say ``förbund`` (issue 10)."""
    for old, new in (("association_id", "forbund_id"), ("association_name", "forbund_name")):
        if old in state:
            state[new] = state.pop(old)
