"""Cheap copies of aggregates for the application's cache.

The repository deep-copies an aggregate each time it takes one from the cache, so that a refused
command cannot leave a half-changed aggregate behind. A generic ``copy.deepcopy`` walks every date,
UUID and value object; the aggregates here know which of their attributes are mutable containers
and copy only those (their contents are immutable or copied by their own ``__deepcopy__``).
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

__all__ = ["copy_aggregate"]

T = TypeVar("T")


def copy_aggregate(aggregate: T, memo: dict[int, Any], *containers: str, deep: tuple[str, ...] = ()) -> T:
    """A copy of ``aggregate`` sharing its immutable attributes.

    ``containers`` are lists, dicts or sets of immutable things (copied shallowly); ``deep`` are
    containers whose items are themselves mutable (each item deep-copied).
    """
    clone = object.__new__(type(aggregate))
    memo[id(aggregate)] = clone
    state = dict(aggregate.__dict__)
    state["_pending_events"] = list(state.get("_pending_events", ()))
    for name in containers:
        state[name] = copy.copy(state[name])
    for name in deep:
        value = state[name]
        if isinstance(value, dict):
            state[name] = {key: copy.deepcopy(item, memo) for key, item in value.items()}
        else:
            state[name] = [copy.deepcopy(item, memo) for item in value]
    clone.__dict__.update(state)
    return clone
