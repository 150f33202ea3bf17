"""``Idempotency-Key`` against a real server process: the answer is stored before the client sees it."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx
import pytest
from service_helpers import serve_process

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_service.access import Role, create_token
from finsam_service.database import apply_schema

pytestmark = pytest.mark.postgres


def test_a_retry_sent_the_moment_the_answer_arrives_is_replayed_never_409(database_url: str, tmp_path: Path) -> None:
    apply_schema(database_url)
    app = Finsam(store_url=database_url)
    registrations = {
        testing.KRAMFORS: testing.register_kramfors,
        testing.ORNSKOLDSVIK: testing.register_ornskoldsvik,
        testing.KARLSKOGA_DEGERFORS: testing.register_karlskoga_degerfors,
    }
    try:
        for org, register in registrations.items():
            if not app.is_registered(org):
                register(app)
    finally:
        app.close()
    forbund = list(registrations)  # one per client: their writes never conflict with each other
    tokens = [create_token(database_url, Role.FORBUND_WRITER, org) for org in forbund]
    env = {"FINSAM_DATABASE_URL": database_url, "FINSAM_WRITES_PER_MINUTE": "0"}
    with serve_process(env, tmp_path / "stderr.log") as (base, _):

        def pairs(worker: int) -> list[tuple[int, str | None]]:
            org, headers = forbund[worker], {"Authorization": f"Bearer {tokens[worker]}"}
            answers = []
            with httpx.Client(base_url=base, timeout=30) as own:
                for n in range(100):
                    ref = f"wire-{worker}-{n}"
                    body = {"reference": ref, "held_on": "2024-09-12", "place": "Kramfors"}
                    keyed = {**headers, "Idempotency-Key": ref}
                    first = own.post(f"/v1/forbund/{org}/meetings", json=body, headers=keyed)
                    again = own.post(f"/v1/forbund/{org}/meetings", json=body, headers=keyed)
                    assert first.status_code == 201, first.text
                    answers.append((again.status_code, again.headers.get("idempotent-replayed")))
            return answers

        # Three clients at once: the server is busy, as when the race was seen (12 of 300).
        with ThreadPoolExecutor(3) as pool:
            retried = [answer for answers in pool.map(pairs, range(3)) for answer in answers]
    assert set(retried) == {(201, "true")}, sorted(set(retried))


def test_writes_in_flight_when_the_service_is_killed_are_recorded_exactly_once_on_retry(
    database_url: str, tmp_path: Path
) -> None:
    apply_schema(database_url)
    app = Finsam(store_url=database_url)
    org, reference = testing.KARLSKOGA_DEGERFORS, "kill-9"
    try:
        if not app.is_registered(org):
            testing.register_karlskoga_degerfors(app)
        app.convene_meeting(org, reference, date(2024, 10, 1), "Karlskoga")
    finally:
        app.close()
    headers = {"Authorization": f"Bearer {create_token(database_url, Role.FORBUND_WRITER, org)}"}
    env = {
        "FINSAM_DATABASE_URL": database_url,
        "FINSAM_WRITES_PER_MINUTE": "0",
        "FINSAM_IDEMPOTENCY_LEASE_SECONDS": "2",
    }
    path = f"/v1/forbund/{org}/meetings/{reference}/paragraphs"
    keys = [f"k{n}" for n in range(24)]

    def post(base: str, key: str) -> httpx.Response | None:
        try:
            return httpx.post(
                f"{base}{path}", json={"title": f"Punkt {key}"}, headers={**headers, "Idempotency-Key": key}, timeout=30
            )
        except httpx.TransportError:
            return None  # the service died under it

    with serve_process(env, tmp_path / "first.log") as (base, process), ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(post, base, key) for key in keys]
        time.sleep(0.15)
        process.kill()  # SIGKILL, mid-write for some of them
        process.wait()
        first = [future.result() for future in futures]
    unanswered = [key for key, answer in zip(keys, first, strict=True) if answer is None]
    assert unanswered, "the kill came after every write had answered; nothing was tested"

    final: dict[str, tuple[int, str]] = {}
    with serve_process(env, tmp_path / "second.log") as (base, _):
        deadline = time.monotonic() + 30
        for key in keys:
            while True:
                answer = post(base, key)
                assert answer is not None
                if answer.status_code == 409 and "pågår" in answer.text:  # a dead claim: wait out its lease
                    assert time.monotonic() < deadline, answer.text
                    time.sleep(0.5)
                    continue
                final[key] = (answer.status_code, answer.text)
                break

    app = Finsam(store_url=database_url)
    try:
        titles = [p.title for p in app.meeting(org, reference).paragraphs.values()]
    finally:
        app.close()
    for key in keys:
        status, text = final[key]
        recorded = titles.count(f"Punkt {key}")
        if status == 201 or (status == 409 and "registrerades (position" in text):
            assert recorded == 1, (key, recorded, status, text)  # exactly once, and the answer says so
        else:  # the first attempt lost a race with a concurrent paragraph: refused, stored, not recorded
            assert status == 409 and "samtidigt" in text, (key, status, text)
            assert recorded == 0, (key, recorded)
    assert all(titles.count(f"Punkt {key}") <= 1 for key in keys)
