"""What a paragraph records over HTTP (information, jäv, tabling, assignments, documents, corrections),
the notice's take-down, and the open assignments: each write records, a broken rule is refused and
records nothing, a writer of another förbund gets 403."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from service_helpers import assert_problem, recorded

from conftest import Running
from finsam_core import testing
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

DRAFT = f"/v1/forbund/{testing.ORNSKOLDSVIK}/meetings/2024-05-30"
"""Örnsköldsvik 2024-05-30, recorded but not signed: §§ 37–45, quorate."""
FINAL = f"/v1/forbund/{testing.KRAMFORS}/meetings/2024-4"
"""A Kramfors meeting adjusted 2024-04-22, posted 2024-04-23, with an assignment in § 1."""
UNATTENDED = f"/v1/forbund/{testing.KRAMFORS}/meetings/2024-9"
"""A Kramfors meeting with § 2 but no attendance recorded: not quorate."""


def prepared(service: Running) -> None:
    app = service.services.app
    if app.has_meeting(testing.KRAMFORS, "2024-9"):
        return
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, sign=False)
    testing.register_kramfors(app)
    org = testing.KRAMFORS
    with app.batch() as tx:
        tx.convene_meeting(org, "2024-4", date(2024, 4, 18), "Kramfors")
        board = ("Thomas Näsholm", "Johanna Zidén", "Stefan Hedenström", "Cecilia Sparf")
        tx.record_attendance(
            org, "2024-4", tuple(Attendee(n, Capacity.BOARD_MEMBER) for n in board), "Thomas Näsholm", "Sekreteraren"
        )
        tx.elect_adjusters(org, "2024-4", ("Johanna Zidén",))
        tx.add_paragraph(org, "2024-4", "Uppföljning", number=1)
        tx.assign(org, "2024-4", 1, "Förbundschefen", "Följa upp insatserna", date(2024, 6, 30))
        for name in ("Thomas Näsholm", "Johanna Zidén"):
            tx.sign_minutes(
                org, "2024-4", name, datetime.combine(date(2024, 4, 22), time(10), testing.STOCKHOLM_SUMMER)
            )
        tx.post_notice(org, "2024-4", date(2024, 4, 23), "Förbundets webbplats")
        tx.convene_meeting(org, "2024-9", date(2024, 9, 12), "Kramfors")
        tx.add_paragraph(org, "2024-9", "Verksamhetsplan", number=2)


async def post(service: Running, path: str, body: dict[str, Any], org: str | None = None) -> Any:
    if org is None:
        org = testing.KRAMFORS if path.startswith(("/v1/forbund/" + testing.KRAMFORS,)) else testing.ORNSKOLDSVIK
    return await service.client.post(path, json=body, headers=service.token(Role.FORBUND_WRITER, org))


async def assert_written(service: Running, path: str, body: dict[str, Any]) -> None:
    prepared(service)
    response = await post(service, path, body)
    assert response.status_code == 201, response.text
    assert response.json()["position"] == recorded(service)


async def assert_refused(service: Running, path: str, body: dict[str, Any], status: int = 422) -> str:
    prepared(service)
    before = recorded(service)
    problem = assert_problem(await post(service, path, body), status)
    assert recorded(service) == before
    detail: str = problem["detail"]
    return detail


def draft_paragraph(service: Running, number: int) -> Any:
    return service.services.app.meeting(testing.ORNSKOLDSVIK, "2024-05-30").paragraphs[number]


async def test_an_information_item_is_noted(service: Running) -> None:
    await assert_written(service, f"{DRAFT}/paragraphs/42/information", {"text": "NNS presenterade sig."})
    assert ("information", {"text": "NNS presenterade sig."}) in draft_paragraph(service, 42).entries


async def test_information_in_adjusted_minutes_is_422(service: Running) -> None:
    detail = await assert_refused(service, f"{FINAL}/paragraphs/1/information", {"text": "Sent tillägg."})
    assert "justerat" in detail


async def test_a_conflict_of_interest_is_declared(service: Running) -> None:
    await assert_written(service, f"{DRAFT}/paragraphs/42/conflicts", {"name": "Zenitha Nordfjell"})
    assert draft_paragraph(service, 42).conflicts == ["Zenitha Nordfjell"]


async def test_a_conflict_declared_after_the_vote_is_422(service: Running) -> None:
    detail = await assert_refused(service, f"{DRAFT}/paragraphs/43/conflicts", {"name": "Fredrik Berglund"})
    assert "innan ärendet avgörs" in detail


async def test_an_item_is_tabled(service: Running) -> None:
    body = {"item": "Rapport från NNS", "reason": "Tiden räckte inte.", "to_meeting": "2024-09-12"}
    await assert_written(service, f"{DRAFT}/paragraphs/42/tablings", body)
    assert [kind for kind, _ in draft_paragraph(service, 42).entries].count("tabled") == 1


async def test_tabling_in_a_meeting_without_quorum_is_422(service: Running) -> None:
    await assert_refused(service, f"{UNATTENDED}/paragraphs/2/tablings", {"item": "Planen", "reason": "Oklart."})


async def test_an_assignment_is_given(service: Running) -> None:
    body = {"assignee": "Utvecklingsstrategen", "task": "Sammanställa enkäten", "due_on": "2024-09-01"}
    await assert_written(service, f"{DRAFT}/paragraphs/45/assignments", body)


async def test_an_assignment_in_a_meeting_without_quorum_is_422(service: Running) -> None:
    body = {"assignee": "Förbundschefen", "task": "Skriva planen"}
    detail = await assert_refused(service, f"{UNATTENDED}/paragraphs/2/assignments", body)
    assert "närvaron" in detail


async def test_an_assignment_is_reported_done_even_after_adjustment(service: Running) -> None:
    body = {"assignee": "Förbundschefen", "completed_on": "2024-07-10"}
    await assert_written(service, f"{DRAFT}/paragraphs/44/assignment-completions", body)


async def test_completing_an_assignment_nobody_was_given_is_400(service: Running) -> None:
    # The library has no rule (422) to break here: an unknown assignment is invalid input.
    body = {"assignee": "Ingen", "completed_on": "2024-07-10"}
    await assert_refused(service, f"{FINAL}/paragraphs/1/assignment-completions", body, status=400)


async def test_an_incoming_document_is_reported(service: Running) -> None:
    body = {
        "registry_number": "Dnr 2024/12",
        "sender": "NNS",
        "title": "Verksamhetsberättelse",
        "received_on": "2024-05-20",
    }
    await assert_written(service, f"{DRAFT}/paragraphs/42/documents", body)


async def test_a_document_reported_in_adjusted_minutes_is_422(service: Running) -> None:
    body = {"registry_number": "Dnr 2024/13", "sender": "FK", "title": "Brev", "received_on": "2024-04-20"}
    await assert_refused(service, f"{FINAL}/paragraphs/1/documents", body)


async def test_adjusted_minutes_are_corrected(service: Running) -> None:
    body = {"text": "Följa upp insatserna 2024.", "reason": "Årtalet föll bort.", "recorded_on": "2024-05-02"}
    await assert_written(service, f"{FINAL}/paragraphs/1/corrections", body)
    corrected = service.services.app.meeting(testing.KRAMFORS, "2024-4").paragraphs[1].corrections
    assert corrected[-1][1] == "Årtalet föll bort."


async def test_correcting_minutes_not_yet_adjusted_is_400(service: Running) -> None:
    # A draft is changed directly, not corrected: the library calls that invalid input, not a rule (422).
    body = {"text": "Ny text.", "reason": "Fel.", "recorded_on": "2024-06-01"}
    await assert_refused(service, f"{DRAFT}/paragraphs/42/corrections", body, status=400)


async def test_taking_the_notice_down_before_the_appeal_period_ends_is_422(service: Running) -> None:
    detail = await assert_refused(service, f"{FINAL}/notice/take-down", {"taken_down_on": "2024-04-30"})
    assert "överklagandetiden" in detail


async def test_the_notice_is_taken_down_after_the_appeal_period(service: Running) -> None:
    await assert_written(service, f"{FINAL}/notice/take-down", {"taken_down_on": "2024-05-20"})
    assert service.services.app.meeting(testing.KRAMFORS, "2024-4").notice_taken_down_on == date(2024, 5, 20)


# --- open assignments -----------------------------------------------------------------------


async def test_open_assignments_of_adjusted_minutes_are_public(service: Running) -> None:
    prepared(service)
    response = await service.client.get(f"/v1/forbund/{testing.KRAMFORS}/assignments", params={"as_of": "2024-07-01"})
    assert response.status_code == 200, response.text
    assert response.json() == [
        {
            "meeting": "2024-4",
            "paragraph": 1,
            "assignee": "Förbundschefen",
            "task": "Följa upp insatserna",
            "due_on": "2024-06-30",
            "overdue": True,
            "final": True,
        }
    ]


async def test_open_assignments_of_drafts_are_for_the_forbunds_writers_only(service: Running) -> None:
    prepared(service)
    url = f"/v1/forbund/{testing.ORNSKOLDSVIK}/assignments"
    assert (await service.client.get(url)).json() == []
    stranger = service.token(Role.FORBUND_WRITER, testing.KRAMFORS)
    assert (await service.client.get(url, headers=stranger)).json() == []
    own = await service.client.get(url, headers=service.token(Role.FORBUND_WRITER, testing.ORNSKOLDSVIK))
    assert own.status_code == 200, own.text
    assert own.json() and all(not a["final"] for a in own.json())


async def test_open_assignments_of_an_unknown_forbund_are_404(service: Running) -> None:
    response = await service.client.get(f"/v1/forbund/{testing.KARLSKOGA_DEGERFORS}/assignments")
    assert response.status_code == 404, response.text


# --- access ---------------------------------------------------------------------------------


WRITES = [
    ("paragraphs/42/information", {"text": "X"}),
    ("paragraphs/42/conflicts", {"name": "Zenitha Nordfjell"}),
    ("paragraphs/42/tablings", {"item": "X", "reason": "Y"}),
    ("paragraphs/42/assignments", {"assignee": "X", "task": "Y"}),
    ("paragraphs/44/assignment-completions", {"assignee": "Förbundschefen", "completed_on": "2024-07-10"}),
    ("paragraphs/42/documents", {"registry_number": "1", "sender": "X", "title": "Y", "received_on": "2024-05-20"}),
    ("paragraphs/42/corrections", {"text": "X", "reason": "Y", "recorded_on": "2024-06-01"}),
    ("notice/take-down", {"taken_down_on": "2024-08-01"}),
]


@pytest.mark.parametrize(("path", "body"), WRITES, ids=[path for path, _ in WRITES])
async def test_a_writer_of_another_forbund_is_403_and_records_nothing(
    service: Running, path: str, body: dict[str, Any]
) -> None:
    prepared(service)
    before = recorded(service)
    response = await post(service, f"{DRAFT}/{path}", body, org=testing.KRAMFORS)
    assert response.status_code == 403, response.text
    assert recorded(service) == before
