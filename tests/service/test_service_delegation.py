"""Delegation and per capsulam over HTTP: writes by the förbund's writers, reads from the views."""

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


def _order_body(paragraph: int) -> dict[str, object]:
    return {
        "valid_from": "2024-02-10",
        "adopted_by": {
            "body": "Förbundsstyrelsen",
            "reference": f"2024-1 § {paragraph}",
            "decided_on": "2024-02-09",
            "meeting": "2024-1",
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
    order = await service.client.get(f"{BASE}/delegation/order", params={"on": "2024-03-01", "min_position": position})
    assert order.status_code == 200, order.text
    body = order.json()
    assert (body["valid_from"], body["adopted_in"], body["adopted_paragraph"]) == ("2024-02-10", "2024-1", adopted_in)
    assert [i["code"] for i in body["items"]] == ["1.1", "2.1"]
    assert body["items"][1]["limit"] == "50000"
    history = await service.client.get(f"{BASE}/delegation/orders")
    assert [(o["valid_from"], o["valid_to"]) for o in history.json()] == [("2024-02-10", None)]
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
    listed = await service.client.get(
        f"{BASE}/delegation/decisions", params={"unreported": "true", "min_position": report.json()["position"]}
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
    everything = await service.client.get(f"{BASE}/delegation/decisions")
    reported = next(d for d in everything.json() if d["number"] == numbers[1])
    assert (reported["state"], reported["reported_in"], reported["reported_paragraph"]) == (
        "anmalt",
        "2024-2",
        paragraph,
    )


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
