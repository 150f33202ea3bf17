"""The audit trail over HTTP: who made each write, and the published heads a witness pulls."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from pathlib import Path

import anyio.from_thread
import anyio.to_thread
import httpx
import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from service_helpers import forbund_body

from conftest import Running, org_nr
from finsam_core import testing
from finsam_core.audit.chain import GENESIS
from finsam_core.audit.publish import RECORD
from finsam_core.audit.witness import witness
from finsam_core.audit.witness_wire import HttpSource
from finsam_service.access import Role, create_token

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


async def test_the_actor_of_a_write_over_http_is_the_tokens_label_role_id_and_the_request_id(
    service: Running,
) -> None:
    org = org_nr(301)
    token = create_token(service.url, Role.ADMIN, label="Kansliets integration")
    written = await service.client.post(
        "/v1/forbund",
        json=forbund_body(org),
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "revision-test-301"},
    )
    assert written.status_code == 201, written.text
    page = await service.client.get(  # As the writer: events past the views' position are not public yet.
        f"/v1/forbund/{org}/audit/events", headers={"Authorization": f"Bearer {token}"}
    )
    assert page.status_code == 200, page.text
    actors = [event["actor"] for event in page.json()["events"]]
    assert actors and all(
        actor
        == {
            "channel": "http",
            "name": "Kansliets integration",
            "role": "admin",
            "token_id": hashlib.sha256(token.encode()).hexdigest()[:12],
            "request_id": "revision-test-301",
        }
        for actor in actors
    )


async def test_a_recount_over_http_shows_both_outcomes_and_hides_drafts_from_the_public(service: Running) -> None:
    app = service.services.app
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    url = f"/v1/forbund/{testing.ORNSKOLDSVIK}/audit/recount"
    params: dict[str, str | int] = {"meeting": "2024-05-30", "paragraph": 43, "rule": "two-thirds-of-present"}
    answer = await service.client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["yes"], body["no"], body["voters"]) == (3, 1, 4)
    assert body["recorded"]["rule"] == "enkel majoritet" and body["recounted"]["outcome"] == "bifall"
    assert (await service.client.get(url, params={**params, "rule": "hälften"})).status_code == 400
    testing.register_kramfors(app)
    app.convene_meeting(testing.KRAMFORS, "2024-utkast", date(2024, 3, 1), "Kramfors")  # A draft.
    draft = await service.client.get(
        f"/v1/forbund/{testing.KRAMFORS}/audit/recount", params={**params, "meeting": "2024-utkast"}
    )
    assert draft.status_code == 404


def _http_source(service: Running) -> HttpSource:
    """The witness's HTTP client, its requests answered by the running app (called from a worker thread)."""

    def forward(request: httpx.Request) -> httpx.Response:
        answer = anyio.from_thread.run(lambda: service.client.get(request.url.path, params=dict(request.url.params)))
        return httpx.Response(answer.status_code, content=answer.content, headers=answer.headers)

    return HttpSource("http://finsam.test", httpx.Client(transport=httpx.MockTransport(forward)))


async def test_published_heads_and_leaves_re_hash_to_the_latest_head(service: Running) -> None:
    heads = (await service.client.get("/v1/audit/heads", params={"since": 0})).json()
    latest = heads["latest"]
    assert heads["public_key"] and latest["position"] == heads["heads"][-1]["position"]
    leaves = (await service.client.get("/v1/audit/leaves", params={"after": 0, "upto": latest["position"]})).json()
    records = base64.b64decode(leaves["records"])
    prev = GENESIS
    for _position, leaf in RECORD.iter_unpack(records):
        prev = hashlib.sha256(prev + leaf).digest()
    assert prev.hex() == latest["hash"] and leaves["next_after"] is None
    assert b"Kramfors" not in records and "Kramfors" not in leaves["records"]  # Hashes only.


async def test_published_leaves_come_in_pages(service: Running) -> None:
    page = (await service.client.get("/v1/audit/leaves", params={"after": 0, "limit": 3})).json()
    assert len(base64.b64decode(page["records"])) == 3 * RECORD.size and page["next_after"] is not None


async def test_a_negative_or_huge_position_is_400(service: Running) -> None:
    for params in ({"since": -1}, {"since": 2**70}):
        assert (await service.client.get("/v1/audit/heads", params=params)).status_code == 400
    assert (await service.client.get("/v1/audit/leaves", params={"limit": 0})).status_code == 400


async def test_a_witness_over_http_sees_an_extension_then_catches_a_rollback(service: Running, tmp_path: Path) -> None:
    """The last test of the module: it cuts the module's store back."""
    app = service.services.app
    state, key = tmp_path / "vittne.json", Ed25519PrivateKey.generate()
    first = await anyio.to_thread.run_sync(witness, _http_source(service), state, key)
    assert first.ok, first.summary()
    _, position = await anyio.to_thread.run_sync(app.run, lambda tx: testing.register_karlskoga_degerfors(tx))
    second = await anyio.to_thread.run_sync(witness, _http_source(service), state, key)
    assert second.ok and second.current is not None and second.current.position == position
    with psycopg.connect(service.url, autocommit=True) as conn:  # An intruder cuts the last write.
        assert first.current is not None
        cut = first.current.position
        for table, column in [
            ("finsam_events", "notification_id"),
            ("finsam_events_audit_chain", "position"),
            ("finsam_events_audit_heads", "position"),
            ("finsam_events_audit_actors", "position"),
        ]:
            conn.execute(f"DELETE FROM {table} WHERE {column} > %s", (cut,))
    third = await anyio.to_thread.run_sync(witness, _http_source(service), state, key)
    assert not third.ok and third.diverged_at is not None and cut < third.diverged_at <= position
    assert "rullats tillbaka" in (third.problem or "")


async def test_the_minutes_history_lists_a_meetings_events_with_who_recorded_them(service: Running) -> None:
    org = org_nr(302)
    admin = service.token(Role.ADMIN)
    assert (await service.client.post("/v1/forbund", json=forbund_body(org), headers=admin)).status_code == 201
    token = create_token(service.url, Role.FORBUND_WRITER, org, label="Sekreteraren")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/v1/forbund/{org}/meetings"
    meeting = {"reference": "2024-4", "held_on": "2024-04-18", "place": "Kansliet"}
    assert (await service.client.post(base, json=meeting, headers=headers)).status_code == 201
    other = {"reference": "2024-5", "held_on": "2024-05-16", "place": "Kansliet"}
    assert (await service.client.post(base, json=other, headers=headers)).status_code == 201
    paragraph = await service.client.post(f"{base}/2024-4/paragraphs", json={"title": "Öppnande"}, headers=headers)
    assert paragraph.status_code == 201, paragraph.text

    history = await service.client.get(f"/v1/forbund/{org}/audit/events", params={"meeting": "2024-4"}, headers=headers)

    assert history.status_code == 200, history.text
    events = history.json()["events"]
    assert len({e["stream"] for e in events}) == 1  # the meeting's own stream, not 2024-5's
    assert [e["version"] for e in events] == list(range(1, len(events) + 1)) and len(events) >= 2
    assert {e["actor"]["name"] for e in events} == {"Sekreteraren"}
    assert all(e["recorded_at"] for e in events)
    public = await service.client.get(f"/v1/forbund/{org}/audit/events", params={"meeting": "2024-4"})
    assert public.json()["events"] == []  # a draft's history is for the förbund's writers
