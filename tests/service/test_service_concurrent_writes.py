"""Eight förbund writing at once through the service: every write recorded once, in order, and verifiable.

The service runs each command in a worker thread of its own on ONE application (no lock around a
command): writes of different förbund run side by side, and the store orders them. These tests send
them at once and check what a secretary and an auditor would: every paragraph answered and recorded,
each förbund's § numbers 1, 2, 3 … without gap or repeat, the audit trail intact, the views complete,
and ``Idempotency-Key`` retries answered from the first attempt.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from service_helpers import forbund_body, recorded

from conftest import Running, org_nr
from finsam_core.audit.verify import verify_store
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

FORBUND = 8
PARAGRAPHS = 6
MEETING = "2031-1"


async def _setup(service: Running, first: int) -> list[str]:
    """``FORBUND`` förbund, registered and each with an open meeting, over HTTP."""
    admin = service.token(Role.ADMIN)
    orgs = [org_nr(first + n) for n in range(FORBUND)]
    for org in orgs:
        registered = await service.client.post("/v1/forbund", json=forbund_body(org), headers=admin)
        assert registered.status_code == 201, registered.text
        convened = await service.client.post(
            f"/v1/forbund/{org}/meetings",
            json={"reference": MEETING, "held_on": "2031-02-03", "place": "Kontoret"},
            headers=service.token(Role.FORBUND_WRITER, org),
        )
        assert convened.status_code == 201, convened.text
    return orgs


async def _write_paragraphs(service: Running, org: str, keyed: bool) -> list[dict[str, Any]]:
    """``PARAGRAPHS`` paragraphs into ``org``'s meeting, one after the other (a secretary's order)."""
    headers = service.token(Role.FORBUND_WRITER, org)
    answers = []
    for k in range(PARAGRAPHS):
        sent = {**headers, "Idempotency-Key": f"{org}-{k}"} if keyed else headers
        response = await service.client.post(
            f"/v1/forbund/{org}/meetings/{MEETING}/paragraphs",
            json={"title": f"Ärende {k + 1}", "body": f"Förbundet {org} beslutar i ärende {k + 1}."},
            headers=sent,
        )
        assert response.status_code == 201, response.text
        answers.append(response.json())
    return answers


async def _check_recorded(service: Running, orgs: list[str], answers: list[list[dict[str, Any]]]) -> None:
    app = service.services.app
    for org, written in zip(orgs, answers, strict=True):
        assert [a["number"] for a in written] == list(range(1, PARAGRAPHS + 1)), org
        meeting = app.meeting(org, MEETING)
        assert sorted(meeting.paragraphs) == list(range(1, PARAGRAPHS + 1))
        assert [meeting.paragraphs[n].title for n in sorted(meeting.paragraphs)] == [
            f"Ärende {k + 1}" for k in range(PARAGRAPHS)
        ]
    positions = [a["position"] for written in answers for a in written]
    assert len(set(positions)) == len(positions), "two writes answered the same log position"
    # Each förbund's writes reached the log in the order they were answered.
    for written in answers:
        assert [a["position"] for a in written] == sorted(a["position"] for a in written)
    report = verify_store(app)
    assert report.ok, report.problems
    # The views include every write once the reader asks for the last position.
    last = max(positions)
    for org in orgs:
        minutes = await service.client.get(
            f"/v1/forbund/{org}/meetings/{MEETING}/minutes",
            params={"min_position": last},
            headers=service.token(Role.FORBUND_WRITER, org),
        )
        assert minutes.status_code == 200, minutes.text
        assert [p["number"] for p in minutes.json()["paragraphs"]] == list(range(1, PARAGRAPHS + 1))


async def test_eight_forbund_writing_at_once_are_all_recorded_in_order_and_verifiable(service: Running) -> None:
    orgs = await _setup(service, 1601)
    before = recorded(service)
    answers = await asyncio.gather(*(_write_paragraphs(service, org, keyed=False) for org in orgs))
    # Each paragraph records two events (the meeting's paragraph and the minute book's number).
    assert recorded(service) == before + 2 * FORBUND * PARAGRAPHS
    await _check_recorded(service, orgs, answers)


async def test_keyed_writes_at_once_are_recorded_once_and_their_retries_replayed(service: Running) -> None:
    orgs = await _setup(service, 1611)
    before = recorded(service)
    answers = await asyncio.gather(*(_write_paragraphs(service, org, keyed=True) for org in orgs))
    assert recorded(service) == before + 2 * FORBUND * PARAGRAPHS
    await _check_recorded(service, orgs, answers)
    after = recorded(service)

    async def retry(org: str, k: int) -> None:
        response = await service.client.post(
            f"/v1/forbund/{org}/meetings/{MEETING}/paragraphs",
            json={"title": f"Ärende {k + 1}", "body": f"Förbundet {org} beslutar i ärende {k + 1}."},
            headers={**service.token(Role.FORBUND_WRITER, org), "Idempotency-Key": f"{org}-{k}"},
        )
        assert response.status_code == 201, response.text
        assert response.headers["idempotent-replayed"] == "true"
        assert response.json() == answers[orgs.index(org)][k]

    await asyncio.gather(*(retry(org, k) for org in orgs for k in range(PARAGRAPHS)))
    assert recorded(service) == after
