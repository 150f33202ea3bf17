"""A write the store cannot take within its bounds is a 503 with a Swedish problem detail, never a hang."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
from service_helpers import assert_problem, forbund_body, recorded

from conftest import Running, org_nr, start_service
from finsam_core.embedded import connect
from finsam_service.access import Role

LOCK_TIMEOUT = 0.3


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bounded(database_url: str) -> AsyncIterator[Running]:
    """The service with a short lock timeout, so a held events lock is refused quickly."""
    async with start_service(database_url, run_projections=False, write_lock_timeout_seconds=LOCK_TIMEOUT) as running:
        yield running


def holding_the_events_lock(service: Running) -> Any:
    holder = connect(service.url)
    holder.execute("BEGIN")
    table = service.services.app.recorder.events_table_name  # type: ignore[attr-defined]
    holder.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
    return holder


async def test_a_write_that_cannot_get_the_events_lock_in_time_is_a_503_and_records_nothing(bounded: Running) -> None:
    admin = bounded.token(Role.ADMIN)
    before = recorded(bounded)
    holder = holding_the_events_lock(bounded)
    try:
        post = bounded.client.post("/v1/forbund", json=forbund_body(org_nr(201)), headers=admin)
        response = await asyncio.wait_for(post, timeout=10)
    finally:
        holder.close()

    problem = assert_problem(response, 503)
    assert response.headers["retry-after"] == "1"
    assert problem["title"] == "StoreUnavailable"
    assert "upptaget av en annan skrivning" in problem["detail"]
    assert recorded(bounded) == before


async def test_the_same_write_passes_once_the_lock_is_released(bounded: Running) -> None:
    admin = bounded.token(Role.ADMIN)
    holder = holding_the_events_lock(bounded)
    await asyncio.wait_for(
        bounded.client.post("/v1/forbund", json=forbund_body(org_nr(202)), headers=admin), timeout=10
    )
    holder.close()

    response = await bounded.client.post("/v1/forbund", json=forbund_body(org_nr(202)), headers=admin)

    assert response.status_code == 201, response.text
