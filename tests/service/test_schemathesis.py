"""schemathesis against the app's own OpenAPI schema: no 5xx, no response outside the schema.

In-process (ASGI) on a real PostgreSQL database with the seed dataset imported, with an admin
token so that writes are exercised too. Bounded: a fixed number of examples per operation,
derandomised, so the run is reproducible and stays well under a minute.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from finsam_core.application import Finsam
from finsam_core.embedded import create_database, drop_database
from finsam_core.formats import import_paths
from finsam_service.access import Role, create_token
from finsam_service.app import create_app
from finsam_service.database import apply_schema
from finsam_service.settings import Settings

pytestmark = pytest.mark.postgres

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
EXAMPLES_PER_OPERATION = 25
BUDGET_SECONDS = 60
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def seeded_url(postgres_server_url: str) -> Iterator[str]:
    name = f"schemathesis_{uuid4().hex[:16]}"
    url = create_database(postgres_server_url, name, file_copy=True)
    apply_schema(url)
    app = Finsam(store_url=url)
    try:
        results = import_paths(app, [SEEDS])
        assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    finally:
        app.close()
    yield url
    drop_database(postgres_server_url, name)


def test_the_api_answers_every_generated_request_within_its_schema(seeded_url: str) -> None:
    token = create_token(seeded_url, Role.ADMIN)
    app = create_app(Settings(database_url=seeded_url, read_wait_seconds=0.5, projection_poll_seconds=0.01))
    schema = schemathesis.openapi.from_asgi("/docs/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + BUDGET_SECONDS
    failures: list[str] = []
    try:
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                failures.append(f"the schema has an operation schemathesis cannot read: {result.err()}")
                continue
            operation = result.ok()
            if time.monotonic() > deadline:
                break

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case: schemathesis.Case[APIOperation[Any, Any, Any, Any]]) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except (Exception, BaseExceptionGroup) as exc:  # Report every operation's failure together.
                failures.append(f"{operation.label}: {exc}")
    finally:
        shutdown_lifespans()
    assert not failures, "\n\n".join(failures)
