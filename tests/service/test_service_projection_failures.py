"""The running service after an event its views cannot apply: other förbund's writes stay visible,
reads waiting for a position do not hang, and ``/ready`` says what happened."""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import date

import pytest
from hostile_events import CraftingFinsam, json_text
from service_helpers import forbund_body

from conftest import Running, org_nr
from finsam_core import testing
from finsam_core.domain.meeting import Meeting
from finsam_core.embedded import connect
from finsam_core.topics import event_of
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


def poison(url: str) -> int:
    """Kramfors convenes a meeting whose reference is too long for the views' key, recorded below the
    checks; returns the position of its first event."""
    placeholder = f"PLATSHALLARE{secrets.token_hex(4).upper()}"  # A meeting of its own each time.
    app = CraftingFinsam(url, {placeholder: json_text(secrets.token_urlsafe(6000))})
    try:
        if not app.is_registered(testing.KRAMFORS):
            testing.register_kramfors(app)
        start = app.recorder.max_notification_id() or 0
        app.convene_meeting(testing.KRAMFORS, placeholder, date(2024, 3, 1), "Kommunhuset")
        return next(n.id for n in app.recorder.select_notifications(start + 1, 100) if event_of(n.topic, Meeting))
    finally:
        app.close()


async def projected_past(service: Running, position: int) -> None:
    deadline = time.monotonic() + 10
    while (await service.client.get("/ready")).json()["projected_position"] < position:
        assert time.monotonic() < deadline, "the worker did not pass the position"
        await asyncio.sleep(0.02)


async def test_ready_is_ready_with_no_failed_positions(service: Running) -> None:
    ready = await service.client.get("/ready")
    assert ready.status_code == 200
    assert (ready.json()["status"], ready.json()["failed_positions"]) == ("ready", 0)


async def test_after_a_poisoned_event_another_forbunds_write_is_visible_at_once(service: Running) -> None:
    failed = await asyncio.to_thread(poison, service.url)
    org = org_nr(301)
    body = forbund_body(org, "Samordningsförbundet Efteråt")
    written = await service.client.post("/v1/forbund", json=body, headers=service.token(Role.ADMIN))
    assert written.status_code == 201, written.text
    assert written.json()["position"] > failed
    started = time.monotonic()
    read = await service.client.get(f"/v1/forbund/{org}", params={"min_position": written.json()["position"]})
    assert read.status_code == 200, read.text
    assert read.json()["name"] == "Samordningsförbundet Efteråt"
    assert time.monotonic() - started < 2


async def test_a_read_waiting_for_a_failed_position_does_not_hang(service: Running) -> None:
    failed = await asyncio.to_thread(poison, service.url)
    started = time.monotonic()
    read = await service.client.get(f"/v1/forbund/{testing.KRAMFORS}/meetings", params={"min_position": failed})
    assert read.status_code == 200, read.text
    assert time.monotonic() - started < 2  # The bound on a wait is 10 s here: it did not wait it out.


async def test_ready_stays_200_and_reports_failed_positions_as_degraded(service: Running) -> None:
    failed = await asyncio.to_thread(poison, service.url)
    await projected_past(service, failed)
    ready = await service.client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "degraded"
    with connect(service.url) as connection:
        recorded = connection.execute("SELECT position FROM finsam_projection_failures").fetchall()
    assert (failed,) in recorded
    assert ready.json()["failed_positions"] == len(recorded)
