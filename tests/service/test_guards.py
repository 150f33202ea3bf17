"""Who may call a route (finsam_service.guards): every write route names its guard, and each role is
refused where it does not belong (401 without a token, 403 with the wrong one) before the body is read,
recording nothing."""

from __future__ import annotations

from typing import Any

import pytest
from service_helpers import assert_problem, forbund_body

from conftest import Running, org_nr
from finsam_core import testing
from finsam_service.access import Role
from finsam_service.app import create_app
from finsam_service.guards import admin, forbund_writer, network_writer
from finsam_service.settings import Settings

WRITE_GUARDS = {forbund_writer, network_writer, admin}


def write_routes(api: bool = True) -> list[tuple[str, Any]]:
    """(path, handler) of every POST route of the API (``/v1``), or with ``api=False`` of the rest of the app."""
    app = create_app(Settings(database_url="postgresql://unused/unused"))
    return [
        (route.path, handler)
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if "POST" in handler.http_methods and route.path.startswith("/v1") == api
    ]


def test_the_only_writes_outside_the_api_are_the_pages_sign_in_and_out() -> None:
    """They bring a token instead of carrying one (the edge lets them through without), and record nothing."""
    routes = write_routes(api=False)
    assert sorted(path for path, _ in routes) == ["/logga-in", "/logga-ut"]
    assert all(handler.opt.get("sign_in") for _, handler in routes)


def test_every_write_route_names_exactly_one_role_guard() -> None:
    routes = write_routes()
    # 42, the kallelse (issue 12); issue 15: the verksamhetsplan and its follow-up, auditors and discharge
    # (three), the participant breakdowns, decision amounts and members' payments (four), delegation and
    # per capsulam (seven)
    assert len(routes) == 60
    for path, handler in routes:
        guards = [guard for guard in handler.resolve_guards() if guard in WRITE_GUARDS]
        assert len(guards) == 1, (path, handler.resolve_guards())


@pytest.mark.parametrize(
    ("prefix", "guard"),
    [("/v1/forbund/{org_nr:str}/", forbund_writer), ("/v1/network", network_writer)],
)
def test_writes_under_a_forbund_are_for_its_writers_and_under_the_network_for_its_admins(
    prefix: str, guard: Any
) -> None:
    matching = [(path, handler) for path, handler in write_routes() if path.startswith(prefix)]
    assert matching
    for path, handler in matching:
        assert guard in handler.resolve_guards(), path


def test_only_an_admin_registers_a_forbund() -> None:
    [(_, handler)] = [(path, handler) for path, handler in write_routes() if path == "/v1/forbund"]
    assert admin in handler.resolve_guards()


# --- each role refused where it does not belong, over HTTP --------------------------------------


async def _refused(service: Running, path: str, body: Any, headers: dict[str, str], status: int) -> None:
    before = testing.events_recorded(service.services.app)
    response = await service.client.post(path, json=body, headers=headers)
    assert_problem(response, status)
    assert testing.events_recorded(service.services.app) == before


MEETING = {"reference": "guard-1", "held_on": "2024-09-12", "place": "Kontoret"}


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("role", [Role.METRICS, Role.NETWORK_ADMIN])
async def test_a_metrics_or_network_token_may_not_write_for_a_forbund(service: Running, role: Role) -> None:
    org = org_nr(301)
    registered = await service.client.post("/v1/forbund", json=forbund_body(org), headers=service.token(Role.ADMIN))
    assert registered.status_code in (201, 409), registered.text
    await _refused(service, f"/v1/forbund/{org}/meetings", MEETING, service.token(role), 403)


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("role", [Role.METRICS, Role.FORBUND_WRITER])
async def test_a_metrics_or_forbund_token_may_not_write_nns_records(service: Running, role: Role) -> None:
    headers = service.token(role, org_nr(302) if role is Role.FORBUND_WRITER else None)
    await _refused(service, "/v1/network/forbund", {"org_nr": org_nr(302), "name": "X"}, headers, 403)
    await _refused(service, "/v1/network", {}, headers, 403)


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("role", [Role.METRICS, Role.NETWORK_ADMIN])
async def test_only_an_admin_may_register_a_forbund(service: Running, role: Role) -> None:
    await _refused(service, "/v1/forbund", forbund_body(org_nr(303)), service.token(role), 403)


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="module")
async def test_a_writer_of_another_forbund_is_403_before_its_body_is_looked_at(service: Running) -> None:
    """The guard runs before the body is parsed: a malformed body from the wrong förbund is 403, not 400."""
    intruder = service.token(Role.FORBUND_WRITER, org_nr(304))
    await _refused(service, f"/v1/forbund/{org_nr(305)}/meetings", {"reference": 7}, intruder, 403)
    own = service.token(Role.FORBUND_WRITER, org_nr(305))
    await _refused(service, f"/v1/forbund/{org_nr(305)}/meetings", {"reference": 7}, own, 400)


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="module")
async def test_a_malformed_org_nr_in_a_writers_path_is_400(service: Running) -> None:
    writer = service.token(Role.FORBUND_WRITER, org_nr(306))
    await _refused(service, "/v1/forbund/12-34/meetings", MEETING, writer, 400)


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="module")
async def test_a_write_without_a_token_is_401_for_every_role_guard(service: Running) -> None:
    for path in (f"/v1/forbund/{org_nr(307)}/meetings", "/v1/network/forbund", "/v1/forbund"):
        await _refused(service, path, {}, {}, 401)
