"""The audit trail over HTTP: who made each write, and the published heads a witness pulls."""

from __future__ import annotations

import hashlib

import pytest

from conftest import Running, org_nr
from finsam_service.access import Role, create_token

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


def forbund_body(org: str) -> dict[str, object]:
    return {
        "org_nr": org,
        "name": f"Samordningsförbundet {org}",
        "founded_on": "2010-01-01",
        "members": [
            {"key": "FK", "name": "Försäkringskassan", "kind": "forsakringskassan"},
            {"key": "AF", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
            {"key": "R", "name": "Region X", "kind": "region"},
            {"key": "K", "name": "X kommun", "kind": "kommun"},
        ],
    }


async def test_the_actor_of_a_write_over_http_is_the_tokens_label_role_id_and_the_request_id(
    service: Running,
) -> None:
    org = org_nr(301)
    token = create_token(service.url, Role.ADMIN, label="Kansliets integration")
    written = await service.client.post(
        "/v1/forbund",
        json=forbund_body(org),
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "revision-test-301"},
    )
    assert written.status_code == 201, written.text
    page = await service.client.get(
        f"/v1/forbund/{org}/audit/events", params={"min_position": written.json()["position"]}
    )
    assert page.status_code == 200, page.text
    actors = [event["actor"] for event in page.json()["events"]]
    assert actors and all(
        actor
        == {
            "channel": "http",
            "name": "Kansliets integration",
            "role": "admin",
            "token_id": hashlib.sha256(token.encode()).hexdigest()[:16],
            "request_id": "revision-test-301",
        }
        for actor in actors
    )
