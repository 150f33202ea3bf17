"""The pages' sign-in (``/logga-in``): an existing token gives a session cookie that the browser keeps from
scripts and from other sites; anything else gives no cookie and records nothing."""

from __future__ import annotations

import httpx
import pytest

from conftest import Running, asgi_transport
from finsam_core import testing
from finsam_service.access import Role, create_token

pytestmark = [pytest.mark.postgres]

HOSTILE = [
    b'{"token": "x"}',
    b"token=" + b"A" * 3000,
    b"token=%00%01",
    b'{"x":' + b"[" * 5000 + b"]" * 5000 + b"}",
    b"\xff\xfe",
]


async def test_signing_in_over_https_sets_a_secure_httponly_strict_cookie(service: Running) -> None:
    token = create_token(service.url, Role.FORBUND_WRITER, testing.ORNSKOLDSVIK)
    async with httpx.AsyncClient(transport=asgi_transport(service.app), base_url="https://finsam.test") as client:
        response = await client.post("/logga-in", data={"token": token})
    assert response.status_code == 303
    assert response.headers["location"] == f"/forbund/{testing.ORNSKOLDSVIK}"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"finsam_session={token};")
    assert {"httponly", "secure", "samesite=strict"} <= {part.strip().lower() for part in cookie.split(";")}


async def test_signing_in_over_plain_http_sets_no_secure_flag(service: Running) -> None:
    token = create_token(service.url, Role.FORBUND_WRITER, testing.ORNSKOLDSVIK)
    response = await service.client.post("/logga-in", data={"token": token})
    assert response.status_code == 303
    assert "Secure" not in response.headers["set-cookie"]


@pytest.mark.parametrize("body", HOSTILE)
async def test_a_hostile_sign_in_is_refused_without_a_cookie(service: Running, body: bytes) -> None:
    for content_type in ("application/x-www-form-urlencoded", "application/json"):
        response = await service.client_from("10.9.9.9").post(
            "/logga-in", content=body, headers={"content-type": content_type}
        )
        assert 400 <= response.status_code < 500, (body[:20], content_type, response.status_code)
        assert "set-cookie" not in response.headers


def test_the_pages_are_left_out_of_the_openapi_document(service: Running) -> None:
    paths = service.app.openapi_schema.to_schema()["paths"]
    assert not [path for path in paths if not path.startswith(("/v1/", "/health", "/ready", "/metrics"))]
    assert any(route.path == "/forbund/{org_nr:str}" for route in service.app.routes)


async def test_after_too_many_unknown_tokens_from_an_address_even_a_valid_one_is_refused(service: Running) -> None:
    token = create_token(service.url, Role.FORBUND_WRITER, testing.ORNSKOLDSVIK)
    client = service.client_from("10.7.7.7")
    limit = service.services.settings.auth_failures_per_minute
    for _ in range(limit):
        assert (await client.post("/logga-in", data={"token": "gissning"})).status_code == 401
    refused = await client.post("/logga-in", data={"token": token})
    assert refused.status_code == 401
    assert "set-cookie" not in refused.headers
    accepted = await service.client_from("10.7.7.8").post("/logga-in", data={"token": token})
    assert accepted.status_code == 303
