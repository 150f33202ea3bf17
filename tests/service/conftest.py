"""The real service on the run's embedded PostgreSQL: one fresh database per test module."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio
from litestar import Litestar

from finsam_core.embedded import create_database, drop_database
from finsam_core.values import org_nr_check_digit, validate_org_nr
from finsam_service.access import Role, create_token
from finsam_service.app import create_app
from finsam_service.lifespan import Services
from finsam_service.settings import Settings


def org_nr(n: int) -> str:
    """A valid organisation number 222NNN-NNNC (C the check digit)."""
    body = f"222{n:06d}"
    return validate_org_nr(f"{body[:6]}-{body[6:]}{org_nr_check_digit(body)}")


_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_ASGIApp = Callable[[_Message, _Receive, _Send], Awaitable[None]]
"""An ASGI 3 application as httpx types it."""


def asgi_transport(app: Litestar, client: tuple[str, int] = ("127.0.0.1", 123)) -> httpx.ASGITransport:
    """httpx's transport straight into ``app``, seen by it as a request from ``client``.

    Litestar types ``__call__`` with its own scope and event TypedDicts, httpx with plain mappings: the same
    ASGI 3 callable, which the two sets of stubs cannot see as one, hence the cast.
    """
    return httpx.ASGITransport(app=cast(_ASGIApp, app), client=client)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run every async test here in its module's event loop, the loop the ``service`` fixture lives in.

    The asyncpg pool belongs to the loop that opened it; a test left in pytest-asyncio's default
    function-scoped loop would make the app use the pool from another loop, and the first query of a
    request (the token lookup) fails with asyncpg's "connection was closed in the middle of operation":
    a 500 that is the test's, not the service's. A test that names its own loop scope keeps it.
    """
    here = Path(__file__).parent
    for item in items:
        if not isinstance(item, pytest.Function) or not inspect.iscoroutinefunction(item.obj):
            continue
        if here not in Path(item.path).parents:
            continue
        if not any(mark.kwargs.get("loop_scope") for mark in item.iter_markers("asyncio")):
            item.add_marker(pytest.mark.asyncio(loop_scope="module"), append=False)


@pytest.fixture(scope="module")
def database_url(postgres_server_url: str) -> Iterator[str]:
    name = f"service_{uuid4().hex[:16]}"
    url = create_database(postgres_server_url, name, file_copy=True)
    yield url
    drop_database(postgres_server_url, name)


@dataclass
class Running:
    app: Litestar
    client: httpx.AsyncClient
    services: Services
    url: str

    def client_from(self, address: str) -> httpx.AsyncClient:
        """Another client on the same app, seen by it as coming from ``address``."""
        transport = asgi_transport(self.app, client=(address, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://finsam.test")

    def token(self, role: Role, org_nr: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_token(self.url, role, org_nr)}"}


@asynccontextmanager
async def start_service(database_url: str, **settings: Any) -> AsyncIterator[Running]:
    """The app with its lifespan (pool, application, projection worker) and an HTTP client on it."""
    # Tests walk the audit routes many times a minute; the limits themselves are tested with low values.
    options: dict[str, Any] = {
        "projection_poll_seconds": 0.01,
        "read_wait_seconds": 10,
        "expensive_reads_per_minute": 10_000,
        **settings,
    }
    app = create_app(Settings(database_url=database_url, **options))
    started, stopping = asyncio.Event(), asyncio.Event()

    async def hold_lifespan() -> None:
        # The lifespan's task groups must be entered and exited by one task; pytest-asyncio
        # finalises async fixtures in another, so a task of its own holds the lifespan open.
        async with app.lifespan():
            started.set()
            await stopping.wait()

    holder = asyncio.create_task(hold_lifespan())
    await asyncio.wait_for(started.wait(), timeout=60)
    try:
        transport = asgi_transport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://finsam.test") as client:
            yield Running(app, client, app.state.services, database_url)
    finally:
        stopping.set()
        await asyncio.wait_for(holder, timeout=60)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(database_url: str) -> AsyncIterator[Running]:
    """The service as deployed, on the module's database."""
    async with start_service(database_url) as running:
        yield running
