"""Operations: Prometheus metrics, request ids, readiness against the lag threshold."""

from __future__ import annotations

import anyio.to_thread
import pytest
from service_helpers import assert_problem

from conftest import Running
from finsam_core import testing
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


async def test_metrics_are_exposed_in_prometheus_text_format_to_a_metrics_token(service: Running) -> None:
    await service.client.get("/health")
    app = service.services.app
    _, position = await anyio.to_thread.run_sync(app.run, lambda tx: testing.register_kramfors(tx))
    seen = await service.client.get(f"/v1/forbund/{testing.KRAMFORS}", params={"min_position": position})
    assert seen.status_code == 200, seen.text
    response = await service.client.get("/metrics", headers=service.token(Role.METRICS))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "finsam_requests_total" in response.text
    assert 'path="/health"' in response.text
    for gauge in ("finsam_projection_position", "finsam_projection_lag_events", "finsam_projection_failed_positions"):
        assert f'{gauge}{{projection="records"}}' in response.text


async def test_every_response_carries_a_request_id(service: Running) -> None:
    response = await service.client.get("/health")
    assert len(response.headers["x-request-id"]) == 32


async def test_a_sane_request_id_from_the_client_is_kept(service: Running) -> None:
    response = await service.client.get("/health", headers={"X-Request-ID": "proxy-abc.123"})
    assert response.headers["x-request-id"] == "proxy-abc.123"
    odd = await service.client.get("/health", headers={"X-Request-ID": "no spaces\tplease"})
    assert odd.headers["x-request-id"] != "no spaces\tplease"


async def test_ready_reports_the_lag_and_fails_beyond_the_threshold(service: Running) -> None:
    ready = await service.client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["lag"] >= 0
    settings = service.services.settings
    object.__setattr__(settings, "ready_max_lag", -1)
    try:
        behind = await service.client.get("/ready")
    finally:
        object.__setattr__(settings, "ready_max_lag", 10_000)
    assert_problem(behind, 503)


async def test_metrics_are_not_public(service: Running) -> None:
    assert (await service.client.get("/metrics")).status_code == 401
    writer = service.token(Role.FORBUND_WRITER, "222000-1883")
    assert (await service.client.get("/metrics", headers=writer)).status_code == 403
    assert (await service.client.get("/metrics", headers=service.token(Role.ADMIN))).status_code == 200
