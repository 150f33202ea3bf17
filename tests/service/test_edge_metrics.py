"""The edge's metrics (finsam_service.edge, observability.RequestMetrics): by route template and the status
the client got, refusals at the edge included; the scrape itself is not counted."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import Running
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


def _samples(text: str, name: str) -> dict[tuple[str, str, str], float]:
    """``name``'s samples by (method, path, status_code), every one labelled ``app_name="finsam"``."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                labels = sample.labels
                assert labels["app_name"] == "finsam"
                found[labels["method"], labels["path"], labels["status_code"]] = sample.value
    return found


def _count(text: str, method: str, path: str, status: int) -> float:
    return _samples(text, "finsam_requests_total").get((method, path, str(status)), 0.0)


async def test_a_refusal_at_the_edge_is_counted_with_its_status(service: Running) -> None:
    metrics = service.token(Role.METRICS)
    before = (await service.client.get("/metrics", headers=metrics)).text
    refused = await service.client.post("/v1/forbund", json={})
    assert refused.status_code == 401
    assert (await service.client.get("/health")).status_code == 200
    after = (await service.client.get("/metrics", headers=metrics)).text
    assert _count(after, "POST", "/v1/forbund", 401) == _count(before, "POST", "/v1/forbund", 401) + 1
    assert _count(after, "POST", "/v1/forbund", 200) == 0  # not counted as a success
    assert _count(after, "GET", "/health", 200) == _count(before, "GET", "/health", 200) + 1
    assert 'path="/metrics"' not in after
    assert _samples(after, "finsam_requests_in_progress")["GET", "/health", "200"] == 0
    durations = _samples(after, "finsam_request_duration_seconds_count")
    assert durations["GET", "/health", "200"] == _count(after, "GET", "/health", 200)
