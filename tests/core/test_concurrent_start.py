"""Many applications started at once against one new PostgreSQL database all start (issue 16).

Each application creates the event, chain, actor and head tables and eventsourcing's functions
when it starts; without a lock, PostgreSQL answers concurrent ``CREATE ... IF NOT EXISTS`` of the
same object with "tuple concurrently updated" or a unique violation on its catalogue.
"""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest

from finsam_core.application import Finsam
from finsam_core.embedded import create_database, drop_database

pytestmark = pytest.mark.postgres

STARTS = 8
ROUNDS = 4


def test_applications_started_at_once_on_a_new_database_all_start(postgres_server_url: str) -> None:
    failures: list[BaseException] = []
    for _ in range(ROUNDS):
        name = f"test_{uuid4().hex[:16]}"
        url = create_database(postgres_server_url, name, file_copy=True)
        gate = threading.Barrier(STARTS)
        started: list[Finsam] = []

        def start(url: str = url, gate: threading.Barrier = gate, started: list[Finsam] = started) -> None:
            gate.wait()
            try:
                started.append(Finsam(store_url=url))
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=start) for _ in range(STARTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for app in started:
            app.close()
        drop_database(postgres_server_url, name)
    assert failures == []
