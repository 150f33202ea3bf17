"""Payments over HTTP: a decision's amount and the spending against it, the members' payment plans and
payments (writers of the förbund), refusals that record nothing, and the status on a day read from the views."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from service_helpers import assert_problem, recorded

from conftest import Running, org_nr
from finsam_core import testing
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

KRAMFORS = testing.KRAMFORS
ORNSKOLDSVIK = testing.ORNSKOLDSVIK


@pytest.fixture(scope="module")
def recorded_forbund(service: Running) -> None:
    """Kramfors with its 2024 allocation; Örnsköldsvik with its meeting of 2024-05-30 still in draft."""
    app = service.services.app
    testing.register_kramfors(app)
    testing.record_kramfors_allocation(app, 2024)
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, sign=False, amount=True)


async def test_a_writer_sets_the_plans_records_payments_and_reads_what_is_owed_on_a_day(
    service: Running, recorded_forbund: None
) -> None:
    writer = service.token(Role.FORBUND_WRITER, KRAMFORS)
    base = f"/v1/forbund/{KRAMFORS}/payments/2024"
    for member, plan in (("KRK", "forskott"), ("RVN", "tva_tillfallen"), ("FK", "kvartalsvis")):
        response = await service.client.post(f"{base}/plans", json={"member": member, "plan": plan}, headers=writer)
        assert response.status_code == 201, response.text
    assert [i["due_on"] for i in response.json()["instalments"]] == [
        "2024-03-31",
        "2024-06-30",
        "2024-09-30",
        "2024-12-31",
    ]
    paid = await service.client.post(
        base, json={"member": "KRK", "amount": 646_500, "paid_on": "2024-01-15"}, headers=writer
    )
    assert paid.status_code == 201, paid.text
    assert Decimal(paid.json()["owed"]) == 0
    half = await service.client.post(
        base, json={"member": "RVN", "amount": "323250", "paid_on": "2024-02-20"}, headers=writer
    )
    assert half.status_code == 201, half.text
    position = half.json()["position"]
    status = await service.client.get(base, params={"datum": "2024-07-01", "min_position": position})
    assert status.status_code == 200, status.text
    body = status.json()
    by_key = {m["member_key"]: m for m in body["members"]}
    assert Decimal(by_key["RVN"]["overdue"]) == 323_250
    assert Decimal(by_key["FK"]["overdue"]) == 646_500
    assert Decimal(by_key["KRK"]["outstanding"]) == 0
    assert Decimal(body["paid"]) == 969_750
    assert Decimal(body["contribution"]) == 2_586_000
    library = service.services.app.payment_status(KRAMFORS, 2024, date(2024, 7, 1))
    assert Decimal(body["overdue"]) == library.overdue
    network = (await service.client.get("/v1/network/payments/2024", params={"datum": "2024-07-01"})).json()
    assert [f["org_nr"] for f in network["forbund"]] == [KRAMFORS]
    assert Decimal(network["paid"]) == 969_750


async def test_an_over_payment_is_422_and_records_nothing(service: Running, recorded_forbund: None) -> None:
    writer = service.token(Role.FORBUND_WRITER, KRAMFORS)
    base = f"/v1/forbund/{KRAMFORS}/payments/2024"
    await service.client.post(f"{base}/plans", json={"member": "KRK", "plan": "forskott"}, headers=writer)
    before = recorded(service)
    response = await service.client.post(
        base, json={"member": "KRK", "amount": 700_000, "paid_on": "2024-01-15"}, headers=writer
    )
    assert "skulle överskrida bidraget" in assert_problem(response, 422)["detail"]
    assert recorded(service) == before


async def test_a_payment_by_an_organisation_that_is_not_a_member_is_422(
    service: Running, recorded_forbund: None
) -> None:
    writer = service.token(Role.FORBUND_WRITER, KRAMFORS)
    before = recorded(service)
    response = await service.client.post(
        f"/v1/forbund/{KRAMFORS}/payments/2024",
        json={"member": "AF", "amount": 1_000, "paid_on": "2024-01-15"},
        headers=writer,
    )
    assert "bidrar inte till förbundets tilldelning" in assert_problem(response, 422)["detail"]
    assert recorded(service) == before


async def test_another_forbunds_writer_may_not_record_a_payment(service: Running, recorded_forbund: None) -> None:
    other = service.token(Role.FORBUND_WRITER, ORNSKOLDSVIK)
    response = await service.client.post(
        f"/v1/forbund/{KRAMFORS}/payments/2024",
        json={"member": "KRK", "amount": 1_000, "paid_on": "2024-01-15"},
        headers=other,
    )
    assert_problem(response, 403)


async def test_a_decision_amount_caps_the_spending_and_shows_in_the_register(
    service: Running, recorded_forbund: None
) -> None:
    writer = service.token(Role.FORBUND_WRITER, ORNSKOLDSVIK)
    paragraph = f"/v1/forbund/{ORNSKOLDSVIK}/meetings/2024-05-30/paragraphs/43"
    # § 43 carries its amount already (the builder records it as the seed does): a second one is refused.
    again = await service.client.post(f"{paragraph}/amount", json={"amount": 50_000, "period": "ar"}, headers=writer)
    assert "har redan ett belopp" in assert_problem(again, 400)["detail"]
    other = f"/v1/forbund/{ORNSKOLDSVIK}/meetings/2024-05-30/paragraphs/44/amount"
    attached = await service.client.post(other, json={"amount": "6000", "period": "engang"}, headers=writer)
    assert attached.status_code == 201, attached.text
    spent = await service.client.post(
        f"{paragraph}/spending", json={"amount": 30_000, "spent_on": "2024-11-01"}, headers=writer
    )
    assert spent.status_code == 201, spent.text
    assert Decimal(spent.json()["left"]) == 20_000
    before = recorded(service)
    over = await service.client.post(
        f"{paragraph}/spending", json={"amount": 25_000, "spent_on": "2024-12-01"}, headers=writer
    )
    assert "överskrida ramen med 5 000 kr" in assert_problem(over, 422)["detail"]
    assert recorded(service) == before
    decisions = await service.client.get(
        f"/v1/forbund/{ORNSKOLDSVIK}/decisions",
        params={"min_position": spent.json()["position"]},
        headers=writer,
    )
    assert decisions.status_code == 200, decisions.text
    at_year_end = {"datum": "2024-12-31", "min_position": spent.json()["position"]}
    status = await service.client.get(f"{paragraph}/spending", params=at_year_end, headers=writer)
    assert status.status_code == 200, status.text
    body = status.json()
    assert (Decimal(body["amount"]), body["period"]) == (Decimal(50_000), "ar")
    assert (Decimal(body["spent"]), Decimal(body["left"])) == (Decimal(30_000), Decimal(20_000))
    next_year = await service.client.get(f"{paragraph}/spending", params={"datum": "2025-01-01"}, headers=writer)
    assert Decimal(next_year.json()["left"]) == 50_000
    # The minutes are still in draft: the public does not see the decision's spending.
    assert_problem(await service.client.get(f"{paragraph}/spending"), 404)
    row = next(d for d in decisions.json() if d["paragraph"] == 43)
    assert row["amount"] == "50000"  # as written, never "5E+4" (asyncpg's binary numeric gives that)
    assert row["period"] == "ar"


async def test_a_float_like_amount_that_is_not_exact_text_is_400(service: Running, recorded_forbund: None) -> None:
    writer = service.token(Role.FORBUND_WRITER, ORNSKOLDSVIK)
    response = await service.client.post(
        f"/v1/forbund/{ORNSKOLDSVIK}/meetings/2024-05-30/paragraphs/43/spending",
        json={"amount": "1e999", "spent_on": "2024-11-01"},
        headers=writer,
    )
    assert_problem(response, 400)


async def test_the_payments_of_an_unknown_forbund_are_404(service: Running) -> None:
    assert_problem(await service.client.get(f"/v1/forbund/{org_nr(9999)}/payments/2024"), 404)
