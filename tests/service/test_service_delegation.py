"""Delegation and per capsulam over HTTP: writes by the förbund's writers, reads from the views; what
derives from minutes not yet adjusted only for the förbund's writers."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from service_helpers import assert_problem, recorded

from conftest import Running
from finsam_core import testing
from finsam_core.application import Finsam
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

OVIK = testing.ORNSKOLDSVIK
BASE = f"/v1/forbund/{OVIK}"
BOARD = ("Jan-Olov Häggström", "Fredrik Berglund", "Camilla Steen", "Zenitha Nordfjell")


def _adopted(app: Finsam) -> int:
    """Örnsköldsvik with a meeting 2024-1 whose paragraph adopted the order; returns the §."""
    testing.register_ornskoldsvik(app)
    ref = testing.record_board_decision(
        app, OVIK, "2024-1", date(2024, 2, 9), "Delegationsordning", ("att anta delegationsordningen",)
    )
    assert ref.paragraph is not None
    return ref.paragraph


@pytest.fixture(scope="module")
def adopted_in(service: Running) -> int:
    return _adopted(service.services.app)


async def _caught_up(service: Running) -> int:
    """Wait until the views include every event recorded so far; returns that position."""
    last = testing.events_recorded(service.services.app)
    response = await service.client.get("/v1/forbund/", params={"min_position": last})
    assert response.status_code == 200, response.text
    return last


def _order_body(
    paragraph: int, meeting: str = "2024-1", decided_on: str = "2024-02-09", valid_from: str = "2024-02-10"
) -> dict[str, object]:
    return {
        "valid_from": valid_from,
        "adopted_by": {
            "body": "Förbundsstyrelsen",
            "reference": f"{meeting} § {paragraph}",
            "decided_on": decided_on,
            "meeting": meeting,
            "paragraph": paragraph,
        },
        "items": [
            {"code": "1.1", "matter": "Brådskande ärenden", "delegate": "ordförande", "urgent": True},
            {"code": "2.1", "matter": "Medfinansiering av konferenser", "delegate": "förbundschef", "limit": "50000"},
        ],
    }


async def test_an_order_is_adopted_and_read_as_in_force_on_a_day(service: Running, adopted_in: int) -> None:
    headers = service.token(Role.FORBUND_WRITER, OVIK)
    response = await service.client.post(f"{BASE}/delegation/orders", json=_order_body(adopted_in), headers=headers)
    assert response.status_code == 201, response.text
    position = response.json()["position"]
    on_day = {"on": "2024-03-01", "min_position": position}
    hidden = await service.client.get(f"{BASE}/delegation/order", params=on_day)
    assert "Ingen delegationsordning gällde 2024-03-01" in assert_problem(hidden, 404)["detail"]
    assert (await service.client.get(f"{BASE}/delegation/orders")).json() == []
    draft = await service.client.get(f"{BASE}/delegation/order", params=on_day, headers=headers)
    assert draft.status_code == 200, draft.text
    assert (draft.json()["valid_from"], draft.json()["draft"]) == ("2024-02-10", True)
    testing.adjust_minutes(service.services.app, OVIK, "2024-1", date(2024, 2, 12))
    order = await service.client.get(
        f"{BASE}/delegation/order", params={**on_day, "min_position": await _caught_up(service)}
    )
    assert order.status_code == 200, order.text
    body = order.json()
    assert (body["valid_from"], body["adopted_in"], body["adopted_paragraph"]) == ("2024-02-10", "2024-1", adopted_in)
    assert body["draft"] is False
    assert [i["code"] for i in body["items"]] == ["1.1", "2.1"]
    assert body["items"][1]["limit"] == "50000"
    history = await service.client.get(f"{BASE}/delegation/orders")
    assert [(o["valid_from"], o["valid_to"], o["draft"]) for o in history.json()] == [("2024-02-10", None, False)]
    before = await service.client.get(f"{BASE}/delegation/order", params={"on": "2024-02-01"})
    assert "Ingen delegationsordning gällde 2024-02-01" in assert_problem(before, 404)["detail"]


async def test_a_decision_over_the_cap_is_422_and_records_nothing(service: Running, adopted_in: int) -> None:
    headers = service.token(Role.FORBUND_WRITER, OVIK)
    before = recorded(service)
    response = await service.client.post(
        f"{BASE}/delegation/decisions",
        json={
            "decided_on": "2024-03-20",
            "item_code": "2.1",
            "delegate": "förbundschef",
            "matter": "Konferens",
            "amount": "60000",
        },
        headers=headers,
    )
    assert "överstiger gränsen 50 000 kr" in assert_problem(response, 422)["detail"]
    assert recorded(service) == before


async def test_writes_need_the_forbunds_writer(service: Running, adopted_in: int) -> None:
    before = recorded(service)
    body = {"decided_on": "2024-03-20", "item_code": "2.1", "delegate": "förbundschef", "matter": "K", "amount": "1"}
    anonymous = await service.client.post(f"{BASE}/delegation/decisions", json=body)
    assert anonymous.status_code == 401
    other = await service.client.post(
        f"{BASE}/delegation/decisions", json=body, headers=service.token(Role.FORBUND_WRITER, testing.KRAMFORS)
    )
    assert other.status_code == 403
    assert recorded(service) == before


async def test_decisions_are_reported_in_a_paragraph_and_an_urgent_one_is_flagged(
    service: Running, adopted_in: int
) -> None:
    headers = service.token(Role.FORBUND_WRITER, OVIK)
    numbers = []
    for day, code, delegate, matter, amount in [
        ("2024-03-04", "1.1", "ordförande", "Brådskande yttrande", None),
        ("2024-03-20", "2.1", "förbundschef", "Föreläsning", "6000"),
    ]:
        written = await service.client.post(
            f"{BASE}/delegation/decisions",
            json={"decided_on": day, "item_code": code, "delegate": delegate, "matter": matter, "amount": amount},
            headers=headers,
        )
        assert written.status_code == 201, written.text
        numbers.append(written.json()["number"])
    app = service.services.app
    testing.record_board_decision(app, OVIK, "2024-2", date(2024, 4, 19), "Föregående protokoll", ("att lägga",))
    paragraph = app.add_paragraph(OVIK, "2024-2", "Anmälan av delegationsbeslut")
    report = await service.client.post(
        f"{BASE}/meetings/2024-2/paragraphs/{paragraph}/delegation-reports",
        json={"decisions": [numbers[1]]},
        headers=headers,
    )
    assert report.status_code == 201, report.text
    position = report.json()["position"]
    listed = await service.client.get(
        f"{BASE}/delegation/decisions", params={"unreported": "true", "min_position": position}, headers=headers
    )
    assert listed.status_code == 200, listed.text
    [urgent] = listed.json()
    assert (urgent["number"], urgent["urgent"], urgent["state"], urgent["due_at"]) == (
        numbers[0],
        True,
        "ej_anmalt_vid_nasta_sammantrade",
        "2024-2",
    )
    assert "6 kap. 40 §" in urgent["flag"]
    everything = await service.client.get(f"{BASE}/delegation/decisions", headers=headers)
    reported = next(d for d in everything.json() if d["number"] == numbers[1])
    assert (reported["state"], reported["reported_in"], reported["reported_paragraph"], reported["draft"]) == (
        "anmalt",
        "2024-2",
        paragraph,
        True,
    )
    # The minutes 2024-2 are not adjusted: the public sees neither the report nor the meeting.
    public = {d["number"]: d for d in (await service.client.get(f"{BASE}/delegation/decisions")).json()}
    assert [(d["state"], d["reported_in"], d["due_at"], d["draft"]) for d in public.values()] == [
        ("ej_anmalt", None, None, False),
        ("ej_anmalt", None, None, False),
    ]
    testing.adjust_minutes(app, OVIK, "2024-2", date(2024, 4, 22))
    adjusted = await service.client.get(
        f"{BASE}/delegation/decisions", params={"min_position": await _caught_up(service)}
    )
    public = {d["number"]: d for d in adjusted.json()}
    assert (public[numbers[1]]["state"], public[numbers[1]]["reported_in"], public[numbers[1]]["draft"]) == (
        "anmalt",
        "2024-2",
        False,
    )
    assert (public[numbers[0]]["state"], public[numbers[0]]["due_at"]) == ("ej_anmalt_vid_nasta_sammantrade", "2024-2")


async def test_per_capsulam_over_http(service: Running, adopted_in: int) -> None:
    app = service.services.app
    headers = service.token(Role.FORBUND_WRITER, OVIK)
    refused = await service.client.post(
        f"{BASE}/per-capsulam",
        json={"reference": "PC 1", "proposal": "att delta", "sent_on": "2024-03-10"},
        headers=headers,
    )
    assert "medger inte beslut per capsulam" in assert_problem(refused, 422)["detail"]
    ref = testing.record_board_decision(app, OVIK, "2024-4", date(2024, 5, 30), "Förbundsordning", ("att ändra",))
    charter = msgspec.structs.replace(app.forbund(OVIK).charter_on(date(2024, 6, 1)), per_capsulam=True)
    app.amend_charter(OVIK, charter, date(2024, 6, 1), ref)
    proposed = await service.client.post(
        f"{BASE}/per-capsulam",
        json={"reference": "PC 1", "proposal": "att delta", "sent_on": "2024-06-10"},
        headers=headers,
    )
    assert proposed.status_code == 201, proposed.text
    for name, ballot in zip(BOARD, ["ja", "ja", "nej", "avstar"], strict=True):
        answered = await service.client.post(
            f"{BASE}/per-capsulam/PC 1/answers",
            json={"name": name, "ballot": ballot, "answered_on": "2024-06-11"},
            headers=headers,
        )
        assert answered.status_code == 201, answered.text
    closed = await service.client.post(
        f"{BASE}/per-capsulam/PC 1/close", json={"closed_on": "2024-06-12"}, headers=headers
    )
    assert closed.status_code == 201, closed.text
    assert closed.json()["outcome"] == "bifall"
    listed = await service.client.get(f"{BASE}/per-capsulam", params={"min_position": closed.json()["position"]})
    [row] = listed.json()
    assert (row["reference"], row["outcome"], len(row["answers"]), row["state"]) == ("PC 1", "bifall", 4, "ej_anmalt")


async def test_an_order_adopted_in_draft_minutes_leaves_the_one_before_in_force_for_the_public(
    service: Running, adopted_in: int
) -> None:
    headers = service.token(Role.FORBUND_WRITER, OVIK)
    app = service.services.app
    if not (await service.client.get(f"{BASE}/delegation/orders", headers=headers)).json():
        first = await service.client.post(f"{BASE}/delegation/orders", json=_order_body(adopted_in), headers=headers)
        assert first.status_code == 201, first.text
        testing.adjust_minutes(app, OVIK, "2024-1", date(2024, 2, 12))
    later = testing.record_board_decision(
        app, OVIK, "2024-9", date(2024, 8, 20), "Ny delegationsordning", ("att anta den nya delegationsordningen",)
    )
    body = _order_body(later.paragraph or 0, "2024-9", "2024-08-20", "2024-09-01")
    response = await service.client.post(f"{BASE}/delegation/orders", json=body, headers=headers)
    assert response.status_code == 201, response.text
    on_day = {"on": "2024-10-01", "min_position": response.json()["position"]}
    public = await service.client.get(f"{BASE}/delegation/order", params=on_day)
    assert (public.json()["valid_from"], public.json()["valid_to"], public.json()["draft"]) == (
        "2024-02-10",
        None,
        False,
    )
    history = await service.client.get(f"{BASE}/delegation/orders")
    assert [(o["valid_from"], o["valid_to"]) for o in history.json()] == [("2024-02-10", None)]
    writer = await service.client.get(f"{BASE}/delegation/orders", headers=headers)
    assert [(o["valid_from"], o["valid_to"], o["draft"]) for o in writer.json()] == [
        ("2024-02-10", "2024-08-31", False),
        ("2024-09-01", None, True),
    ]
    other = service.token(Role.FORBUND_WRITER, testing.KRAMFORS)
    assert (await service.client.get(f"{BASE}/delegation/orders", headers=other)).json() == history.json()
    testing.adjust_minutes(app, OVIK, "2024-9", date(2024, 8, 26))
    adjusted = await service.client.get(
        f"{BASE}/delegation/order", params={**on_day, "min_position": await _caught_up(service)}
    )
    assert (adjusted.json()["valid_from"], adjusted.json()["adopted_in"], adjusted.json()["draft"]) == (
        "2024-09-01",
        "2024-9",
        False,
    )
