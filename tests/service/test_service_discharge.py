"""Auditors and discharge over HTTP: appointments and proposals by the förbund's writers, one member's
step for several förbund by an administrator, refusals that record nothing, and the status and the
network's picture read from the views (facts of `001_*`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from service_helpers import assert_problem, recorded

from conftest import Running
from finsam_core import testing
from finsam_core.rules.discharge import AuditorKind
from finsam_core.testing.discharge import SYDNARKE, appoint_auditors, approve_report_2020, audit_2020, register_sydnarke
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

KARLSKOGA = testing.KARLSKOGA_DEGERFORS
COMMITTEE = {"body": "Regionstyrelsens arbetsutskott", "reference": "21RS3479", "decided_on": "2021-06-01"}


@pytest.fixture(scope="module")
def reports(service: Running) -> None:
    """Karlskoga/Degerfors (audited by the four of `001_*`) and Sydnärke (FICTITIOUS), reports 2020 adjusted."""
    app = service.services.app
    testing.register_karlskoga_degerfors(app)
    register_sydnarke(app)
    for org_nr in (KARLSKOGA, SYDNARKE):
        approve_report_2020(app, org_nr)
        testing.adjust_minutes(app, org_nr, "2021-1", date(2021, 2, 15))
    appoint_auditors(app)
    audit_2020(app)
    app.appoint_auditor(SYDNARKE, "FK", "Revisor staten", AuditorKind.AUTHORISED, *testing.TERM_2019)  # FICTITIOUS
    app.record_audit_report(
        SYDNARKE, 2020, recommends_discharge=True, auditors=("Revisor staten",), reported_on=date(2021, 4, 20)
    )


async def test_a_writer_appoints_an_auditor_of_the_right_kind_only(service: Running, reports: None) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    before = recorded(service)
    wrong = await service.client.post(
        f"/v1/forbund/{KARLSKOGA}/auditors",
        json={
            "member_key": "KK",
            "name": "Någon Annan",
            "kind": "auktoriserad",
            "starts_on": "2023-01-01",
            "ends_on": "2026-12-31",
        },
        headers=writer,
    )
    problem = assert_problem(wrong, 422)
    assert "Karlskoga kommun utser en förtroendevald revisor" in problem["detail"]
    assert recorded(service) == before
    other = service.token(Role.FORBUND_WRITER, testing.KRAMFORS)
    forbidden = await service.client.post(
        f"/v1/forbund/{KARLSKOGA}/auditors",
        json={
            "member_key": "KK",
            "name": "X",
            "kind": "fortroendevald",
            "starts_on": "2023-01-01",
            "ends_on": "2026-12-31",
        },
        headers=other,
    )
    assert forbidden.status_code == 403


async def test_the_status_shows_the_auditors_and_the_committees_proposal(service: Running, reports: None) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    proposed = await service.client.post(
        f"/v1/forbund/{KARLSKOGA}/annual-reports/2020/discharge-proposals",
        json={"member_key": "RÖL", "grant": True, "body_kind": "utskott", "proposal": COMMITTEE},
        headers=writer,
    )
    assert proposed.status_code == 201, proposed.text
    status = (
        await service.client.get(
            f"/v1/forbund/{KARLSKOGA}/annual-reports/2020/discharge-status",
            params={"min_position": proposed.json()["position"]},
        )
    ).json()
    assert [a["name"] for a in status["auditors"]] == [
        "Nils Nordqvist",
        "Gunilla Carlsson",
        "Annica Blomgren",
        "Marie-Louise Naucler",
    ]
    assert status["audit_reported_on"] == "2021-04-16"
    region = next(m for m in status["members"] if m["member_key"] == "RÖL")
    assert [s["reference"] for s in region["steps"]] == ["21RS3479"]
    assert region["decided"] is False


async def test_a_council_proposing_is_refused_with_nothing_recorded(service: Running, reports: None) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    before = recorded(service)
    response = await service.client.post(
        f"/v1/forbund/{KARLSKOGA}/annual-reports/2020/discharge-proposals",
        json={"member_key": "KK", "grant": True, "body_kind": "fullmaktige", "proposal": COMMITTEE},
        headers=writer,
    )
    assert "kan fullmäktige inte föreslå ansvarsfrihet" in assert_problem(response, 422)["detail"]
    assert recorded(service) == before


async def test_the_regions_council_decides_for_two_forbund_and_the_network_sees_it(
    service: Running, reports: None
) -> None:
    admin = service.token(Role.ADMIN)
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    step: dict[str, Any] = {
        "member_name": "Region Örebro län",
        "year": 2020,
        "forbund": [KARLSKOGA, SYDNARKE],
        "step": "beslut",
        "body_kind": "fullmaktige",
        "grant": True,
        "decision": {"body": "Regionfullmäktige", "reference": "RF 2021-06-22", "decided_on": "2021-06-22"},
    }
    as_writer = await service.client.post("/v1/discharge-steps", json=step, headers=writer)
    assert as_writer.status_code == 403
    written = await service.client.post("/v1/discharge-steps", json=step, headers=admin)
    assert written.status_code == 201, written.text
    assert written.json()["covers"] == sorted([KARLSKOGA, SYDNARKE])
    network = (
        await service.client.get("/v1/network/discharge/2020", params={"min_position": written.json()["position"]})
    ).json()
    by_org = {e["org_nr"]: e for e in network["entries"]}
    assert set(by_org) == {KARLSKOGA, SYDNARKE}
    for entry in by_org.values():
        waiting = [w["member_name"] for w in entry["waiting"]]
        assert "Region Örebro län" not in waiting and "Försäkringskassan" in waiting
    assert network["fully_discharged"] == []


async def test_a_step_for_a_forbund_the_member_did_not_belong_to_is_refused_whole(
    service: Running, reports: None
) -> None:
    admin = service.token(Role.ADMIN)
    before = recorded(service)
    response = await service.client.post(
        "/v1/discharge-steps",
        json={
            "member_name": "Karlskoga kommun",
            "year": 2020,
            "forbund": [KARLSKOGA, SYDNARKE],
            "step": "forslag",
            "body_kind": "utskott",
            "grant": True,
            "decision": COMMITTEE,
        },
        headers=admin,
    )
    assert f"Karlskoga kommun var inte medlem i förbundet {SYDNARKE} 2020" in assert_problem(response, 422)["detail"]
    assert recorded(service) == before
