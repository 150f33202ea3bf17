"""Votes and paragraphs over HTTP: the outcome a vote answers with, and refusals that record nothing."""

from __future__ import annotations

from datetime import date

import pytest
from service_helpers import assert_problem

from conftest import Running
from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

KRAMFORS_BOARD = ("Thomas Näsholm", "Johanna Zidén", "Stefan Hedenström", "Cecilia Sparf")


async def kramfors_paragraph(service: Running, reference: str) -> int:
    """A Kramfors meeting with the four ledamöter and a deputy present, and one paragraph to vote in."""
    app, org = service.services.app, testing.KRAMFORS
    if not app.is_registered(org):
        testing.register_kramfors(app)

    def record(tx: Finsam) -> int:
        tx.convene_meeting(org, reference, date(2024, 4, 18), "Kramfors")
        attendees = (
            *(Attendee(name, Capacity.BOARD_MEMBER) for name in KRAMFORS_BOARD),
            Attendee("Anders Åkerman", Capacity.DEPUTY),
        )
        tx.record_attendance(org, reference, attendees, chair="Thomas Näsholm", secretary="Förbundschefen")
        return tx.add_paragraph(org, reference, "Verksamhetsplan 2025")

    number, _ = app.run(record)
    return number


async def test_a_three_to_one_vote_answers_adopted_with_its_explanation(service: Running) -> None:
    number = await kramfors_paragraph(service, "2024-4")
    ballots = dict(zip(KRAMFORS_BOARD, ["ja", "ja", "ja", "nej"], strict=True))
    response = await service.client.post(
        f"/v1/forbund/{testing.KRAMFORS}/meetings/2024-4/paragraphs/{number}/votes",
        json={"proposal": "Att anta verksamhetsplanen", "ballots": ballots},
        headers=service.token(Role.FORBUND_WRITER, testing.KRAMFORS),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "bifall"
    assert body["explanation"]
    assert body["position"] == testing.events_recorded(service.services.app)


async def test_a_ballot_by_a_non_voter_is_422_and_records_nothing(service: Running) -> None:
    number = await kramfors_paragraph(service, "2024-5")
    before = testing.events_recorded(service.services.app)
    ballots = {"Thomas Näsholm": "ja", "Johanna Zidén": "ja", "Anders Åkerman": "nej"}
    response = await service.client.post(
        f"/v1/forbund/{testing.KRAMFORS}/meetings/2024-5/paragraphs/{number}/votes",
        json={"proposal": "Att anta verksamhetsplanen", "ballots": ballots},
        headers=service.token(Role.FORBUND_WRITER, testing.KRAMFORS),
    )
    body = assert_problem(response, 422)
    assert "Anders Åkerman" in body["detail"]
    assert testing.events_recorded(service.services.app) == before


async def test_a_paragraph_is_added_over_http_to_an_unsigned_recorded_meeting(service: Running) -> None:
    app = service.services.app
    testing.register_ornskoldsvik(app)
    app.run(lambda tx: testing.record_ornskoldsvik_2024_05_30(tx, sign=False))
    headers = service.token(Role.FORBUND_WRITER, testing.ORNSKOLDSVIK)
    base = f"/v1/forbund/{testing.ORNSKOLDSVIK}/meetings/2024-05-30"
    response = await service.client.post(f"{base}/paragraphs", json={"title": "Nästa sammanträde"}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["number"] == 46
    draft = await service.client.get(
        f"{base}/minutes", params={"min_position": response.json()["position"]}, headers=headers
    )
    assert draft.status_code == 200, draft.text
    assert draft.json()["paragraphs"][-1]["number"] == 46
