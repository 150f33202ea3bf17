"""``Idempotency-Key`` against a real server process: the answer is stored before the client sees it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from service_helpers import serve_process

from finsam_core import testing
from finsam_service.access import Role, create_token
from finsam_service.application import ServiceFinsam
from finsam_service.database import apply_schema

pytestmark = pytest.mark.postgres


def test_a_retry_sent_the_moment_the_answer_arrives_is_replayed_never_409(database_url: str, tmp_path: Path) -> None:
    apply_schema(database_url)
    app = ServiceFinsam(store_url=database_url)
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
