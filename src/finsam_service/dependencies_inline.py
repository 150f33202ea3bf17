"""Resolve a handler's dependencies one after the other, in the request's own task.

Litestar resolves each batch of independent dependencies in an anyio task group: a task per
dependency, spawned, scheduled and joined on every request. finsam's providers (:mod:`finsam_service.deps`)
do no I/O of their own that could overlap (the caller is looked up once, by the edge, and kept on the
request), so the task group buys nothing and costs a few hundred microseconds a read under load
(issue 16: ``bench/bench_service.py``). :func:`resolve_inline` replaces Litestar's
``KwargsModel.resolve_dependencies`` with the same loop without the task group: the batches keep
their order, so every dependency still sees its own dependencies resolved.
"""

from __future__ import annotations

from typing import Any

from litestar._kwargs.cleanup import DependencyCleanupGroup
from litestar._kwargs.dependencies import resolve_dependency
from litestar._kwargs.kwargs_model import KwargsModel
from litestar.connection import ASGIConnection

__all__ = ["resolve_inline"]


async def _resolve_dependencies(
    self: KwargsModel, connection: ASGIConnection[Any, Any, Any, Any], kwargs: dict[str, Any]
) -> DependencyCleanupGroup:
    cleanup_group = DependencyCleanupGroup()
    for batch in self.dependency_batches:
        for dependency in sorted(batch, key=lambda d: d.key):
            await resolve_dependency(dependency, connection, kwargs, cleanup_group)
    return cleanup_group


def resolve_inline() -> None:
    """Make every Litestar app in this process resolve dependencies inline (idempotent)."""
    KwargsModel.resolve_dependencies = _resolve_dependencies  # type: ignore[method-assign]
