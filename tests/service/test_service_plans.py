"""Verksamhetsplaner over HTTP: the seed's plan adopted and followed up by the förbund's writers, read per
förbund and year and across the network, refusals that record nothing, and who may write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from service_helpers import assert_problem, recorded

from conftest import Running
from finsam_core import testing
from finsam_core.domain.activity_plan import Goal
from finsam_core.testing.plans import KARLSKOGA_PLAN_2022_GOALS, register_coachingteamet
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

KARLSKOGA = testing.KARLSKOGA_DEGERFORS
KRAMFORS = testing.KRAMFORS
BASE = f"/v1/forbund/{KARLSKOGA}/activity-plans"


def goal_body(goal: Goal) -> dict[str, Any]:
    return {
        "key": goal.key,
        "title": goal.title,
        "description": goal.description,
        "subgoals": list(goal.subgoals),
        "interventions": list(goal.interventions),
        "indicators": [
            {
                "key": i.key,
                "text": i.text,
                "target": str(i.target),
                "unit": i.unit,
                "measure": i.measure.value,
                "direction": i.direction.value,
                "followed_up_by": i.followed_up_by,
            }
            for i in goal.indicators
        ],
    }


@pytest.fixture(scope="module")
def plan_body(service: Running) -> dict[str, Any]:
    """Karlskoga/Degerfors with Coachingteamet and a board decision (2021-6, FICTITIOUS) to adopt the plan."""
    app = service.services.app
    testing.register_karlskoga_degerfors(app)
    testing.register_kramfors(app)
    register_coachingteamet(app)
    testing.appoint_board(app, KARLSKOGA, testing.TERM_2019)
    ref = testing.record_board_decision(
        app, KARLSKOGA, "2021-6", date(2021, 11, 22), "Verksamhets- och budgetplan 2022", ("att anta planen",)
    )
    return {
        "reference": "2022",
        "title": "Verksamhets- och budgetplan 2022",
        "first_year": 2022,
        "last_year": 2024,
        "goals": [goal_body(g) for g in KARLSKOGA_PLAN_2022_GOALS],
        "authorised_by": {
            "body": ref.body,
            "reference": ref.reference,
            "decided_on": ref.decided_on.isoformat(),
            "meeting": ref.meeting,
            "paragraph": ref.paragraph,
        },
    }


FOLLOW_UP_2022 = {
    "indicators": [
        {"key": "egen-forsorjning", "measured": 47, "assessment": "Mycket väl uppfyllt"},
        {"key": "mer-redo", "measured": "66", "assessment": "Uppfyllt"},
    ],
    "goals": [{"key": "1", "assessment": "Väl uppfyllt"}],
    "recorded_on": "2023-02-06",
}


async def test_a_writer_adopts_the_plan_follows_it_up_and_reads_targets_beside_measured_values(
    service: Running, plan_body: dict[str, Any]
) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    adopted = await service.client.post(f"{BASE}/", json=plan_body, headers=writer)
    assert adopted.status_code == 201, adopted.text
    assert adopted.json()["warnings"] == []
    followed = await service.client.post(f"{BASE}/2022/follow-up", json=FOLLOW_UP_2022, headers=writer)
    assert followed.status_code == 201, followed.text
    assert followed.json()["plan"] == "2022"
    read = await service.client.get(
        f"{BASE}/2022", params={"min_position": followed.json()["position"]}, headers=writer
    )
    assert read.status_code == 200, read.text
    body = read.json()
    indicators = {i["key"]: i for g in body["goals"] for i in g["indicators"]}
    assert {k: Decimal(str(i["target"])) for k, i in indicators.items()} == {
        "samverkan": 80,
        "egen-forsorjning": 40,
        "stegforflyttning": 30,
        "stod-inflytande": 90,
        "mer-redo": 70,
    }
    self_support = indicators["egen-forsorjning"]
    assert (Decimal(str(self_support["measured"])), self_support["met"]) == (Decimal(47), True)
    assert (indicators["mer-redo"]["met"], indicators["mer-redo"]["assessment"]) == (False, "Uppfyllt")
    assert body["goals"][0]["assessment"] == "Väl uppfyllt"
    assert body == msgspec_plain(service.services.app.plan_year(KARLSKOGA, 2022))


def msgspec_plain(value: object) -> Any:
    """``value`` as the JSON a client reads."""
    return msgspec.json.decode(msgspec.json.encode(value))


async def test_the_plan_in_draft_minutes_is_hidden_from_the_public_until_they_are_adjusted(
    service: Running, plan_body: dict[str, Any]
) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    seen = await service.client.get(f"{BASE}/2023", headers=writer)
    assert seen.status_code == 200, seen.text
    assert_problem(await service.client.get(f"{BASE}/2023"), 404)
    network = (await service.client.get("/v1/network/activity-plans/2022")).json()
    assert network["with_plan"] == 0
    testing.adjust_minutes(service.services.app, KARLSKOGA, "2021-6", date(2021, 11, 29))
    position = service.services.app.recorder.max_notification_id()
    public = await service.client.get(f"{BASE}/2023", params={"min_position": position})
    assert public.status_code == 200, public.text
    network = (await service.client.get("/v1/network/activity-plans/2022", params={"min_position": position})).json()
    assert (network["with_plan"], network["followed_up"]) == (1, 1)
    self_support = next(m for m in network["measures"] if m["measure"] == "sus_egen_forsorjning")
    assert (self_support["planned"], self_support["reported"], self_support["met"]) == (1, 1, 1)
    assert self_support["entries"][0]["name"] == "Samordningsförbundet Karlskoga/Degerfors Örebro län"


async def test_a_follow_up_of_an_indicator_not_in_the_plan_is_422_and_records_nothing(service: Running) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    before = recorded(service)
    body = {"indicators": [{"key": "deltagarnojdhet", "measured": 89}], "recorded_on": "2023-02-06"}
    response = await service.client.post(f"{BASE}/2022/follow-up", json=body, headers=writer)
    assert "finns inte i verksamhetsplanen 2022" in assert_problem(response, 422)["detail"]
    assert recorded(service) == before


async def test_a_measured_share_above_100_is_400_and_records_nothing(service: Running) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    before = recorded(service)
    body = {"indicators": [{"key": "egen-forsorjning", "measured": 104}], "recorded_on": "2023-02-06"}
    response = await service.client.post(f"{BASE}/2022/follow-up", json=body, headers=writer)
    assert "mellan 0 och 100 %" in assert_problem(response, 400)["detail"]
    assert recorded(service) == before


async def test_a_second_plan_over_the_same_years_is_422(service: Running, plan_body: dict[str, Any]) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    before = recorded(service)
    body = plan_body | {"reference": "2023", "first_year": 2023, "last_year": 2025}
    response = await service.client.post(f"{BASE}/", json=body, headers=writer)
    assert "två antagna planer kan inte gälla samma år" in assert_problem(response, 422)["detail"]
    assert recorded(service) == before


async def test_a_year_without_a_plan_is_404_and_an_impossible_year_400(service: Running) -> None:
    assert_problem(await service.client.get(f"/v1/forbund/{KRAMFORS}/activity-plans/2024"), 404)
    assert_problem(await service.client.get(f"{BASE}/99999"), 400)
    assert_problem(await service.client.get("/v1/network/activity-plans/1999"), 400)


async def test_only_the_forbunds_own_writers_write_its_plan(service: Running, plan_body: dict[str, Any]) -> None:
    before = recorded(service)
    intruder = service.token(Role.FORBUND_WRITER, KRAMFORS)
    assert_problem(await service.client.post(f"{BASE}/", json=plan_body, headers=intruder), 403)
    assert_problem(await service.client.post(f"{BASE}/2022/follow-up", json=FOLLOW_UP_2022, headers=intruder), 403)
    assert_problem(await service.client.post(f"{BASE}/2022/follow-up", json=FOLLOW_UP_2022), 401)
    assert recorded(service) == before
