"""The HTTP API end to end on PostgreSQL: access, read-your-writes, drafts, problem+json statuses."""

from __future__ import annotations

import pytest
from service_helpers import assert_problem, forbund_body, recorded

from conftest import Running, org_nr
from finsam_core import testing
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


# --- access --------------------------------------------------------------------------------


async def test_a_write_without_a_token_is_refused_with_401_and_records_nothing(service: Running) -> None:
    before = recorded(service)
    response = await service.client.post("/v1/forbund", json=forbund_body(org_nr(101)))
    assert_problem(response, 401)
    assert recorded(service) == before


async def test_an_unknown_token_is_refused_with_401_and_records_nothing(service: Running) -> None:
    before = recorded(service)
    response = await service.client.post(
        "/v1/forbund", json=forbund_body(org_nr(102)), headers={"Authorization": "Bearer fsm_not-a-token"}
    )
    assert_problem(response, 401)
    assert recorded(service) == before


async def test_a_writer_may_not_register_a_forbund(service: Running) -> None:
    before = recorded(service)
    headers = service.token(Role.FORBUND_WRITER, org_nr(103))
    response = await service.client.post("/v1/forbund", json=forbund_body(org_nr(103)), headers=headers)
    assert_problem(response, 403)
    assert recorded(service) == before


async def test_a_writer_cannot_write_to_another_forbund(service: Running) -> None:
    admin = service.token(Role.ADMIN)
    other = org_nr(104)
    written = await service.client.post("/v1/forbund", json=forbund_body(other), headers=admin)
    assert written.status_code == 201, written.text
    before = recorded(service)
    intruder = service.token(Role.FORBUND_WRITER, org_nr(105))
    response = await service.client.post(
        f"/v1/forbund/{other}/meetings",
        json={"reference": "2024-1", "held_on": "2024-02-01", "place": "Kontoret"},
        headers=intruder,
    )
    assert_problem(response, 403)
    assert recorded(service) == before


async def test_drafts_are_readable_only_by_the_forbunds_own_writers(service: Running) -> None:
    app = service.services.app
    org = testing.KRAMFORS
    testing.register_kramfors(app)
    _, position = app.run(
        lambda tx: tx.convene_meeting(org, "2024-9", testing.TERM_2023[0].replace(year=2024), "Kramfors")
    )
    own = service.token(Role.FORBUND_WRITER, org)
    stranger = service.token(Role.FORBUND_WRITER, testing.ORNSKOLDSVIK)
    url = f"/v1/forbund/{org}/meetings/2024-9/minutes"
    mine = await service.client.get(url, params={"min_position": position}, headers=own)
    assert mine.status_code == 200, mine.text
    assert mine.json()["final"] is False
    assert_problem(await service.client.get(url, headers=stranger), 404)
    assert_problem(await service.client.get(url), 404)
    listed = await service.client.get(f"/v1/forbund/{org}/meetings")
    assert [m["reference"] for m in listed.json()] == []


# --- read your writes and the minutes --------------------------------------------------------


async def test_a_read_with_the_writes_position_sees_the_write(service: Running) -> None:
    org = org_nr(106)
    written = await service.client.post("/v1/forbund", json=forbund_body(org), headers=service.token(Role.ADMIN))
    assert written.status_code == 201, written.text
    position = written.json()["position"]
    assert position > 0
    response = await service.client.get(f"/v1/forbund/{org}", params={"min_position": position})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == f"Samordningsförbundet {org}"
    assert [m["key"] for m in response.json()["members"]] == ["FK", "AF", "R", "K"]


async def test_adjusted_minutes_are_public_as_json_text_and_in_the_registers(service: Running) -> None:
    app = service.services.app
    testing.register_ornskoldsvik(app)
    _, position = app.run(lambda tx: testing.record_ornskoldsvik_2024_05_30(tx))
    org, ref = testing.ORNSKOLDSVIK, "2024-05-30"
    text = await service.client.get(f"/v1/forbund/{org}/meetings/{ref}/minutes.txt", params={"min_position": position})
    assert text.status_code == 200, text.text
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text == app.minutes_text(org, ref)
    minutes = (await service.client.get(f"/v1/forbund/{org}/meetings/{ref}/minutes")).json()
    assert minutes["final"] is True
    assert [p["number"] for p in minutes["paragraphs"]] == sorted(app.meeting(org, ref).paragraphs)
    register = (await service.client.get(f"/v1/forbund/{org}/decisions")).json()
    assert len(register) == len(app.decision_register(org))
    network = (await service.client.get("/v1/network/decisions", params={"forbund": org, "text": "justera"})).json()
    assert [d["paragraph"] for d in network] == [39]


async def test_a_writer_records_a_meeting_paragraph_and_decision_over_http(service: Running) -> None:
    app = service.services.app
    org = testing.KARLSKOGA_DEGERFORS
    testing.register_karlskoga_degerfors(app)
    headers = service.token(Role.FORBUND_WRITER, org)
    base = f"/v1/forbund/{org}/meetings"
    convened = await service.client.post(
        base, json={"reference": "2024-3", "held_on": "2024-03-14", "place": "Degerfors"}, headers=headers
    )
    assert convened.status_code == 201, convened.text
    paragraph = await service.client.post(
        f"{base}/2024-3/paragraphs", json={"title": "Sammanträdet öppnas"}, headers=headers
    )
    assert paragraph.status_code == 201, paragraph.text
    number = paragraph.json()["number"]
    listed = await service.client.get(base, params={"min_position": paragraph.json()["position"]}, headers=headers)
    assert [(m["reference"], m["final"]) for m in listed.json()] == [("2024-3", False)]
    draft = await service.client.get(f"{base}/2024-3/minutes", headers=headers)
    assert [p["number"] for p in draft.json()["paragraphs"]] == [number]


# --- problem+json ----------------------------------------------------------------------------


async def test_a_malformed_org_nr_is_400(service: Running) -> None:
    assert_problem(await service.client.get("/v1/forbund/12-34"), 400)


async def test_a_malformed_body_is_400_and_records_nothing(service: Running) -> None:
    before = recorded(service)
    response = await service.client.post("/v1/forbund", json={"org_nr": org_nr(107)}, headers=service.token(Role.ADMIN))
    assert_problem(response, 400)
    assert recorded(service) == before


async def test_an_unknown_forbund_is_404(service: Running) -> None:
    body = assert_problem(await service.client.get(f"/v1/forbund/{org_nr(108)}"), 404)
    assert "Inget förbund" in body["detail"]


async def test_registering_a_forbund_twice_is_409(service: Running) -> None:
    admin = service.token(Role.ADMIN)
    org = org_nr(109)
    first = await service.client.post("/v1/forbund", json=forbund_body(org), headers=admin)
    assert first.status_code == 201, first.text
    before = recorded(service)
    assert_problem(await service.client.post("/v1/forbund", json=forbund_body(org), headers=admin), 409)
    assert recorded(service) == before


async def test_a_decision_in_a_meeting_without_quorum_is_422_with_the_rule(service: Running) -> None:
    admin = service.token(Role.ADMIN)
    org = org_nr(110)
    assert (await service.client.post("/v1/forbund", json=forbund_body(org), headers=admin)).status_code == 201
    base = f"/v1/forbund/{org}/meetings"
    await service.client.post(base, json={"reference": "2024-1", "held_on": "2024-01-10", "place": "X"}, headers=admin)
    paragraph = await service.client.post(f"{base}/2024-1/paragraphs", json={"title": "Budget"}, headers=admin)
    number = paragraph.json()["number"]
    before = recorded(service)
    response = await service.client.post(
        f"{base}/2024-1/paragraphs/{number}/decisions", json={"clauses": ["Att anta budgeten."]}, headers=admin
    )
    body = assert_problem(response, 422)
    assert body["detail"]
    assert recorded(service) == before


async def test_health_and_readiness_need_no_token(service: Running) -> None:
    assert (await service.client.get("/health")).json() == {"status": "ok"}
    ready = await service.client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"


async def test_a_write_without_a_token_is_401_even_with_a_malformed_body(service: Running) -> None:
    assert_problem(await service.client.post("/v1/forbund", json={}), 401)


async def test_a_meeting_registered_twice_is_409_and_records_nothing(service: Running) -> None:
    org = org_nr(120)
    admin = service.token(Role.ADMIN)
    assert (await service.client.post("/v1/forbund", json=forbund_body(org), headers=admin)).status_code == 201
    body = {"reference": "2024-1", "held_on": "2024-02-01", "place": "Kansliet"}
    headers = service.token(Role.FORBUND_WRITER, org)
    first = await service.client.post(f"/v1/forbund/{org}/meetings", json=body, headers=headers)
    assert first.status_code == 201, first.text
    before = recorded(service)
    again = await service.client.post(f"/v1/forbund/{org}/meetings", json=body, headers=headers)
    assert "finns redan" in assert_problem(again, 409)["detail"]
    assert recorded(service) == before


@pytest.mark.parametrize("listing", ["meetings", "decisions", "budgets", "assignments"])
async def test_a_list_of_an_unknown_forbund_is_404_not_an_empty_list(service: Running, listing: str) -> None:
    body = assert_problem(await service.client.get(f"/v1/forbund/{org_nr(121)}/{listing}"), 404)
    assert org_nr(121) in body["detail"]


async def test_every_problem_names_the_request_it_answers(service: Running) -> None:
    headers = {"X-Request-ID": "secretary-42"}
    for response in (
        await service.client.get(f"/v1/forbund/{org_nr(122)}", headers=headers),
        await service.client.post("/v1/forbund", json={}, headers=headers),
        await service.client.post("/v1/forbund", json={}, headers={**headers, **service.token(Role.ADMIN)}),
        await service.client.get("/v1/forbund/x%00", headers=headers),
    ):
        body = response.json()
        assert body["instance"] == "urn:finsam:request:secretary-42", body
        assert body["title"] and body["detail"] and body["type"].startswith("urn:finsam:error:")
