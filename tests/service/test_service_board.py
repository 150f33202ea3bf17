"""The board, the charter and the members over HTTP: each write records, a broken rule is 422 and a
writer of another förbund 403, and a refused request records nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from service_helpers import assert_problem, recorded

from conftest import Running
from finsam_core import testing
from finsam_core.domain.forbund import Office
from finsam_core.values import BoardRole
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

ORG = testing.ORNSKOLDSVIK
BASE = f"/v1/forbund/{ORG}"
TERM = {"term_from": "2023-01-01", "term_to": "2026-12-31"}


def prepared(service: Running) -> dict[str, Any]:
    """Örnsköldsvik with its board and a board decision to refer to; returns that decision as JSON."""
    app = service.services.app
    if not app.is_registered(ORG):
        testing.register_ornskoldsvik(app)
        testing.register_kramfors(app)
        testing.register_karlskoga_degerfors(app)
    for org in (ORG, testing.KARLSKOGA_DEGERFORS):
        if not app.has_meeting(org, "2024-2"):
            testing.record_board_decision(app, org, "2024-2", date(2024, 2, 15), "Förbundsordning", ("Att anta.",))
    return {
        "body": "Förbundsstyrelsen",
        "reference": "2024-2 § 1",
        "decided_on": "2024-02-15",
        "meeting": "2024-2",
        "paragraph": 1,
    }


async def post(service: Running, path: str, body: dict[str, Any], org: str = ORG) -> Any:
    return await service.client.post(path, json=body, headers=service.token(Role.FORBUND_WRITER, org))


async def assert_refused(service: Running, path: str, body: dict[str, Any], status: int = 422) -> dict[str, Any]:
    before = recorded(service)
    problem = assert_problem(await post(service, path, body), status)
    assert recorded(service) == before
    return problem


def assert_written(service: Running, response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["position"] == recorded(service)
    return body


# --- the board ------------------------------------------------------------------------------


async def test_a_writer_appoints_an_ersattare(service: Running) -> None:
    prepared(service)
    body = {"person": "Ny Ersättare", "member_key": "FK", "role": "ersattare", **TERM}
    assert_written(service, await post(service, f"{BASE}/board/appointments", body))
    board = service.services.app.forbund(ORG).board_on(date(2024, 6, 1))
    assert ("Ny Ersättare", "FK", BoardRole.DEPUTY) in [(a.person, a.member_key, a.role) for a in board]


async def test_an_appointment_ending_before_it_starts_is_422(service: Running) -> None:
    prepared(service)
    body = {"person": "Ny Ledamot", "member_key": "AF", "role": "ledamot", "term_from": "2025-01-01"}
    await assert_refused(service, f"{BASE}/board/appointments", {**body, "term_to": "2024-12-31"})


async def test_a_writer_ends_an_appointment(service: Running) -> None:
    prepared(service)
    body = {"person": "Mats Helli", "member_key": "RVN", "ended_on": "2024-06-30"}
    assert_written(service, await post(service, f"{BASE}/board/appointment-endings", body))
    board = service.services.app.forbund(ORG).board_on(date(2024, 7, 1))
    assert "Mats Helli" not in [a.person for a in board]


async def test_ending_an_appointment_nobody_holds_is_422(service: Running) -> None:
    prepared(service)
    body = {"person": "Okänd Person", "member_key": "RVN", "ended_on": "2024-06-30"}
    await assert_refused(service, f"{BASE}/board/appointment-endings", body)


async def test_a_writer_records_the_election_of_a_vice_chair(service: Running) -> None:
    prepared(service)
    body = {"person": "Fredrik Berglund", "office": "vice_ordforande", **TERM}
    assert_written(service, await post(service, f"{BASE}/board/officers", body))
    forbund = service.services.app.forbund(ORG)
    assert forbund.officer_on(Office.VICE_CHAIR, date(2024, 6, 1)) == "Fredrik Berglund"


async def test_an_officer_who_is_not_a_ledamot_is_422(service: Running) -> None:
    prepared(service)
    body = {"person": "Pär Eriksson", "office": "ordforande", **TERM}
    problem = await assert_refused(service, f"{BASE}/board/officers", body)
    assert "ledamot" in problem["detail"]


# --- charter and members --------------------------------------------------------------------


def charter(af_members: int = 1) -> dict[str, Any]:
    seats = [{"member_key": key, "board_members": 1} for key in ("FK", "RVN", "ÖK")]
    return {"seats": [*seats, {"member_key": "AF", "board_members": af_members}], "member_notice_years": 2}


async def test_a_writer_amends_the_charter_by_a_recorded_decision(service: Running) -> None:
    decision = prepared(service)
    body = {"charter": charter(), "effective_from": "2025-01-01", "authorised_by": decision}
    assert_written(service, await post(service, f"{BASE}/charter", body))
    amended = service.services.app.forbund(ORG).charter_on(date(2025, 1, 1))
    assert amended.member_notice_years == 2


async def test_a_charter_that_gives_a_member_no_ledamot_is_422(service: Running) -> None:
    decision = prepared(service)
    body = {"charter": charter(af_members=0), "effective_from": "2025-01-01", "authorised_by": decision}
    await assert_refused(service, f"{BASE}/charter", body)


async def test_a_charter_amendment_citing_a_paragraph_without_a_decision_is_404(service: Running) -> None:
    decision = prepared(service)
    body = {"charter": charter(), "effective_from": "2025-01-01", "authorised_by": {**decision, "paragraph": 99}}
    await assert_refused(service, f"{BASE}/charter", body, status=404)


async def test_a_writer_admits_a_kommun(service: Running) -> None:
    decision = prepared(service)
    body = {
        "key": "NK",
        "name": "Nordmalings kommun",
        "kind": "kommun",
        "effective_from": "2025-01-01",
        "authorised_by": decision,
    }
    assert_written(service, await post(service, f"{BASE}/members", body))
    members = service.services.app.forbund(ORG).members_on(date(2025, 1, 1))
    assert "NK" in [m.key for m in members]


async def test_admitting_a_member_twice_is_422(service: Running) -> None:
    decision = prepared(service)
    body = {"key": "FK", "name": "FK", "kind": "kommun", "effective_from": "2025-01-01", "authorised_by": decision}
    await assert_refused(service, f"{BASE}/members", body)


async def test_a_kommuns_notice_answers_the_day_it_leaves(service: Running) -> None:
    prepared(service)
    decision = {"body": "Degerfors kommunfullmäktige", "reference": "KF § 12", "decided_on": "2024-03-01"}
    response = await post(
        service,
        f"/v1/forbund/{testing.KARLSKOGA_DEGERFORS}/members/DK/notice",
        {"notice_received": "2024-03-10", "authorised_by": decision},
        org=testing.KARLSKOGA_DEGERFORS,
    )
    body = assert_written(service, response)
    assert body["leaves_on"] == "2027-03-10"
    memberships = service.services.app.forbund(testing.KARLSKOGA_DEGERFORS).memberships
    assert [m.leaves_on for m in memberships if m.member.key == "DK"] == [date(2027, 3, 10)]


async def test_the_last_kommuns_notice_is_written_and_flagged_for_liquidation(service: Running) -> None:
    prepared(service)
    decision = {"body": "Kommunfullmäktige", "reference": "KF § 3", "decided_on": "2024-03-01"}
    response = await post(
        service,
        f"/v1/forbund/{testing.KRAMFORS}/members/KRK/notice",
        {"notice_received": "2024-03-10", "authorised_by": decision},
        org=testing.KRAMFORS,
    )
    body = assert_written(service, response)
    shown = await service.client.get(f"/v1/forbund/{testing.KRAMFORS}", params={"min_position": body["position"]})
    assert shown.status_code == 200, shown.text
    flags = {m["key"]: m["liquidation"] for m in shown.json()["members"]}
    assert flags["KRK"] is not None and "likvideras" in flags["KRK"]
    assert flags["RVN"] is None


async def test_notice_by_forsakringskassan_is_422(service: Running) -> None:
    decision = prepared(service)
    body = {"notice_received": "2024-03-10", "authorised_by": decision}
    problem = await assert_refused(service, f"{BASE}/members/FK/notice", body)
    assert "kommun eller en region" in problem["detail"]


# --- access ---------------------------------------------------------------------------------


WRITES = [
    ("board/appointments", {"person": "X", "member_key": "FK", "role": "ersattare", **TERM}),
    ("board/appointment-endings", {"person": "Camilla Steen", "member_key": "FK", "ended_on": "2024-06-30"}),
    ("board/officers", {"person": "Camilla Steen", "office": "vice_ordforande", **TERM}),
    ("charter", {"charter": charter(), "effective_from": "2025-01-01"}),
    ("members", {"key": "XK", "name": "X kommun", "kind": "kommun", "effective_from": "2025-01-01"}),
    ("members/ÖK/notice", {"notice_received": "2024-03-10"}),
]


@pytest.mark.parametrize(("path", "body"), WRITES, ids=[path for path, _ in WRITES])
async def test_a_writer_of_another_forbund_is_403_and_records_nothing(
    service: Running, path: str, body: dict[str, Any]
) -> None:
    decision = prepared(service)
    if path in ("charter", "members", "members/ÖK/notice"):
        body = {**body, "authorised_by": decision}
    before = recorded(service)
    response = await post(service, f"{BASE}/{path}", body, org=testing.KRAMFORS)
    assert response.status_code == 403, response.text
    assert recorded(service) == before


async def test_an_admin_may_write_for_any_forbund(service: Running) -> None:
    prepared(service)
    body = {"person": "Camilla Steen", "office": "vice_ordforande", "term_from": "2027-01-01", "term_to": "2027-12-31"}
    response = await service.client.post(f"{BASE}/board/officers", json=body, headers=service.token(Role.ADMIN))
    # Camilla Steen's term as ledamot ends 2026: the rule, not the access check, refuses it.
    assert response.status_code == 422, response.text
