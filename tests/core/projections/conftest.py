"""The views followed from the log, once per implementation: in memory and in PostgreSQL.

``projected`` gives an application to record with and ``views()``, which brings the views up to
the log's end and returns them. The PostgreSQL views live in a fresh database of the run's embedded
server, beside the application's events, and are kept by the same follower the service runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import psycopg
import pytest

from finsam_core.application import Finsam
from finsam_core.embedded import connect, create_database, drop_database
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.memory import MemoryViews, follow
from finsam_core.projections.postgres import PostgresViews
from finsam_core.projections.postgres_schema import SCHEMA
from finsam_core.projections.records import RecordsProjection
from finsam_core.projections.views import Views


@dataclass
class Projected:
    """An application and its views; :meth:`views` catches up with the log first."""

    app: Finsam
    catch_up: Callable[[], Views]

    def views(self) -> Views:
        return self.catch_up()


def _in_memory() -> Iterator[Projected]:
    app = Finsam(store_url="memory:")
    views = MemoryViews()
    projection = RecordsProjection(app)

    def catch_up() -> Views:
        follow(app, projection, views, batch_size=7)  # Small batches: rows must not depend on them.
        return views

    yield Projected(app, catch_up)


def _in_postgres(server_url: str) -> Iterator[Projected]:
    name = f"test_{uuid4().hex[:16]}"
    url = create_database(server_url, name, file_copy=True)
    reader: psycopg.Connection[Any] = connect(url)
    reader.execute(SCHEMA)
    app = Finsam(store_url=url)
    worker = ProjectionWorker(app, url, RecordsProjection(app), batch_size=7)

    def catch_up() -> Views:
        worker.catch_up()
        return PostgresViews(reader.cursor())

    try:
        yield Projected(app, catch_up)
    finally:
        worker.close()
        app.close()
        reader.close()
        drop_database(server_url, name)


@pytest.fixture(params=["memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def projected(request: pytest.FixtureRequest) -> Iterator[Projected]:
    if request.param == "memory":
        yield from _in_memory()
    else:
        yield from _in_postgres(request.getfixturevalue("postgres_server_url"))
