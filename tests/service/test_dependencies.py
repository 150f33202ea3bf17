"""What a handler receives is resolved one provider at a time (finsam_service.deps).

Litestar resolves a handler's providers in batches by depth and runs a batch of two or more in an anyio
task group, a task per provider on every request (litestar-org/litestar#4563). finsam's providers
form a chain instead (``views`` -> ``app`` -> ``drafts``; the others depend on none), so every batch of
every route holds one provider: no task group, and no patch of Litestar's resolver.
"""

from __future__ import annotations

import inspect
from typing import Any

from finsam_service.app import create_app
from finsam_service.deps import DEPENDENCIES
from finsam_service.settings import Settings


def _depth(key: str, providers: dict[str, Any]) -> int:
    """A provider's depth in Litestar's sense: 0 without providers of its own, else one more than its deepest."""
    needs = [name for name in inspect.signature(providers[key].dependency).parameters if name in providers]
    return 1 + max((_depth(name, providers) for name in needs), default=-1)


def _closure(keys: set[str], providers: dict[str, Any]) -> set[str]:
    found = set(keys)
    for key in keys:
        needs = {name for name in inspect.signature(providers[key].dependency).parameters if name in providers}
        found |= _closure(needs, providers)
    return found


def test_every_route_resolves_its_providers_one_at_a_time() -> None:
    app = create_app(Settings(database_url="postgresql://unused/unused"))
    checked = 0
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            providers = handler.resolve_dependencies()
            named = {name for name in handler.parsed_fn_signature.parameters if name in providers}
            batches: dict[int, list[str]] = {}
            for key in _closure(named, providers):
                batches.setdefault(_depth(key, providers), []).append(key)
            assert all(len(batch) == 1 for batch in batches.values()), (route.path, batches)
            checked += bool(named)
    assert checked > 100  # the API's handlers, not an empty loop


def test_the_providers_form_one_chain() -> None:
    depths = {key: _depth(key, DEPENDENCIES) for key in DEPENDENCIES}
    assert (depths["views"], depths["app"], depths["drafts"]) == (0, 1, 2)
    assert depths["commands"] == depths["caller"] == depths["services"] == 0
