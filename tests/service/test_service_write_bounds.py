"""A write the store cannot take within its bounds is a 503 with a Swedish problem detail, never a hang."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
import httpx
import pytest_asyncio

from conftest import Running, org_nr
from finsam_core.embedded import connect
from finsam_service.access import Role
from finsam_service.app import create_app
from finsam_service.settings import Settings

LOCK_TIMEOUT = 0.3


def forbund_body(org: str) -> dict[str, Any]:
    members = [
        {"key": "FK", "name": "Försäkringskassan", "kind": "forsakringskassan"},
        {"key": "AF", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
        {"key": "R", "name": "Region X", "kind": "region"},
        {"key": "K", "name": "X kommun", "kind": "kommun"},
    ]
    return {"org_nr": org, "name": f"Samordningsförbundet {org}", "founded_on": "2010-01-01", "members": members}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bounded(database_url: str) -> AsyncIterator[Running]:
    """The service with a short lock timeout, so a held events lock is refused quickly."""
    settings = Settings(database_url=database_url, run_projections=False, write_lock_timeout_seconds=LOCK_TIMEOUT)
    app = create_app(settings)
    started, stopping = asyncio.Event(), asyncio.Event()

    async def hold_lifespan() -> None:
        async with app.lifespan():
            started.set()
            await stopping.wait()

    holder = asyncio.create_task(hold_lifespan())
    await asyncio.wait_for(started.wait(), timeout=60)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://finsam.test") as client:
            yield Running(app, client, app.state.services, database_url)
    finally:
        stopping.set()
        await asyncio.wait_for(holder, timeout=60)


async def recorded(service: Running) -> int:
    last: int | None = await anyio.to_thread.run_sync(service.services.app.recorder.max_notification_id)
    return last or 0


def holding_the_events_lock(service: Running) -> Any:
    holder = connect(service.url)
    holder.execute("BEGIN")
    table = service.services.app.recorder.events_table_name  # type: ignore[attr-defined]
    holder.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
    return holder


async def test_a_write_that_cannot_get_the_events_lock_in_time_is_a_503_and_records_nothing(bounded: Running) -> None:
    admin = bounded.token(Role.ADMIN)
    before = await recorded(bounded)
    holder = holding_the_events_lock(bounded)
    try:
        post = bounded.client.post("/v1/forbund", json=forbund_body(org_nr(201)), headers=admin)
        response = await asyncio.wait_for(post, timeout=10)
    finally:
        holder.close()

    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == "1"
    problem = response.json()
    assert problem["title"] == "StoreUnavailable"
    assert "upptaget av en annan skrivning" in problem["detail"]
    assert await recorded(bounded) == before


async def test_the_same_write_passes_once_the_lock_is_released(bounded: Running) -> None:
    admin = bounded.token(Role.ADMIN)
    holder = holding_the_events_lock(bounded)
    await asyncio.wait_for(
        bounded.client.post("/v1/forbund", json=forbund_body(org_nr(202)), headers=admin), timeout=10
    )
    holder.close()

    response = await bounded.client.post("/v1/forbund", json=forbund_body(org_nr(202)), headers=admin)

    assert response.status_code == 201, response.text
