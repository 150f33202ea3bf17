"""Reading the views from a streaming replica (``FINSAM_READ_DATABASE_URL``) while writing to the primary.

A second embedded PostgreSQL is made a hot standby of the run's server (``pg_basebackup -R``, WAL
streamed over the primary's Unix socket); the service writes through the primary and serves its
views from the standby. Pausing the standby's replay shows which server a read came from.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import pytest_asyncio
from service_helpers import assert_problem, forbund_body

from conftest import Running, org_nr, start_service
from finsam_core.embedded import EmbeddedPostgres, connect
from finsam_core.embedded import database_url as url_of_database
from finsam_core.errors import InvalidInput
from finsam_service.access import Role, create_token, list_tokens, revoke_token
from finsam_service.app import create_app
from finsam_service.settings import Settings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


@contextmanager
def standby_of(server_url: str) -> Iterator[EmbeddedPostgres]:
    """A hot standby of ``server_url``; its data folder (not under pytest's basetemp, see conftest) goes after."""
    parent = Path(tempfile.mkdtemp(prefix="finsam-replica-"))
    standby = EmbeddedPostgres(parent / "data", temporary=True, standby_of=server_url)
    try:
        standby.start()
        yield standby
    finally:
        standby.stop()
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="module")
def replica_server_url(postgres_server_url: str) -> Iterator[str]:
    with standby_of(postgres_server_url) as standby:
        yield standby.url


@pytest.fixture(scope="module")
def replica_url(replica_server_url: str, database_url: str) -> str:
    return replicated_database(replica_server_url, database_url)


def replicated_database(replica_server_url: str, primary_database_url: str) -> str:
    """The primary's database as the standby serves it, once the standby has replayed its creation."""
    url = url_of_database(replica_server_url, urlsplit(primary_database_url).path.lstrip("/"))
    deadline = time.monotonic() + 30
    while True:
        try:
            with connect(url):
                return url
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def replicated(database_url: str, replica_url: str) -> AsyncIterator[Running]:
    """The service writing to the module's database on the primary and reading its views from the standby."""
    async with start_service(database_url, read_database_url=replica_url) as running:
        yield running


async def register(running: Running, org: str) -> int:
    written = await running.client.post("/v1/forbund", json=forbund_body(org), headers=running.token(Role.ADMIN))
    assert written.status_code == 201, written.text
    position: int = written.json()["position"]
    return position


async def primary_has_projected(running: Running, position: int) -> None:
    """Wait (at most 10 s) until the primary's own views include ``position``."""
    deadline = time.monotonic() + 10
    query = "SELECT position FROM finsam_projection_tracking WHERE name = 'records'"
    while (await running.services.pool.fetchval(query) or 0) < position:
        assert time.monotonic() < deadline, f"the primary's views never reached {position}"
        await asyncio.sleep(0.02)


def set_replay(replica_url: str, *, paused: bool) -> None:
    """Pause or resume the standby's replay of the primary's WAL (it keeps receiving it)."""
    with connect(replica_url) as connection:
        connection.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")
        wanted = "paused" if paused else "not paused"
        deadline = time.monotonic() + 10
        while connection.execute("SELECT pg_get_wal_replay_pause_state()").fetchone() != (wanted,):
            assert time.monotonic() < deadline, f"replay never became {wanted}"
            time.sleep(0.02)


async def test_views_are_read_from_the_replica_and_writes_go_to_the_primary(replicated: Running) -> None:
    assert await replicated.services.read_pool.fetchval("SELECT pg_is_in_recovery()") is True
    assert await replicated.services.pool.fetchval("SELECT pg_is_in_recovery()") is False
    org = org_nr(901)
    position = await register(replicated, org)
    response = await replicated.client.get(f"/v1/forbund/{org}", params={"min_position": position})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == f"Samordningsförbundet {org}"


async def test_a_read_with_min_position_waits_for_the_replica_to_replay_the_write(
    replicated: Running, replica_url: str
) -> None:
    org = org_nr(902)
    await asyncio.to_thread(set_replay, replica_url, paused=True)
    try:
        position = await register(replicated, org)
        await primary_has_projected(replicated, position)
        # The primary's views have it; the paused replica's do not, and reads come from the replica.
        assert (await replicated.client.get(f"/v1/forbund/{org}")).status_code == 404
        assert org not in [f["org_nr"] for f in (await replicated.client.get("/v1/forbund")).json()]
        # The public audit trail shows only what the views that reads see have reached: nothing yet.
        audit = (await replicated.client.get(f"/v1/forbund/{org}/audit/events")).json()
        assert audit["events"] == [] and audit["withheld"] >= 1, audit
        ready = (await replicated.client.get("/ready")).json()
        assert ready["lag"] >= 1 and ready["replica_lag_bytes"] > 0, ready

        settings = replicated.services.settings
        object.__setattr__(settings, "read_wait_seconds", 0.3)
        try:
            behind = await replicated.client.get(f"/v1/forbund/{org}", params={"min_position": position})
        finally:
            object.__setattr__(settings, "read_wait_seconds", 10)
        assert_problem(behind, 503)
        assert behind.headers["retry-after"] == "1"

        waiting = asyncio.create_task(replicated.client.get(f"/v1/forbund/{org}", params={"min_position": position}))
        await asyncio.sleep(0.3)
        assert not waiting.done()
    finally:
        await asyncio.to_thread(set_replay, replica_url, paused=False)
    response = await asyncio.wait_for(waiting, timeout=15)
    assert response.status_code == 200, response.text
    assert response.json()["org_nr"] == org


async def test_tokens_are_checked_on_the_primary_so_a_new_one_works_and_a_revoked_one_fails_at_once(
    replicated: Running, replica_url: str
) -> None:
    await asyncio.to_thread(set_replay, replica_url, paused=True)
    try:  # The replica knows neither the new token nor its revocation.
        token = create_token(replicated.url, Role.METRICS, label="replica-check")
        headers = {"Authorization": f"Bearer {token}"}
        assert (await replicated.client.get("/metrics", headers=headers)).status_code == 200
        [info] = [t for t in list_tokens(replicated.url) if t.label == "replica-check"]
        revoke_token(replicated.url, info.id)
        refused = await replicated.client.get("/metrics", headers=headers)
    finally:
        await asyncio.to_thread(set_replay, replica_url, paused=False)
    assert refused.status_code == 401, refused.text


async def test_ready_reports_how_far_the_replica_is_behind(replicated: Running) -> None:
    position = await register(replicated, org_nr(903))
    response = await replicated.client.get("/v1/forbund", params={"min_position": position})
    assert response.status_code == 200, response.text
    ready = await replicated.client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["projected_position"] >= position
    assert ready.json()["replica_lag_bytes"] >= 0


async def test_a_replica_that_goes_away_makes_the_service_unready_while_writes_go_on(
    database_url: str, postgres_server_url: str
) -> None:
    with standby_of(postgres_server_url) as standby:
        read_url = await asyncio.to_thread(replicated_database, standby.url, database_url)
        async with start_service(database_url, read_database_url=read_url) as running:
            assert (await running.client.get("/v1/forbund")).status_code == 200
            await asyncio.to_thread(standby.stop)
            assert_problem(await running.client.get("/ready"), 503)
            # A refusal in the one problem shape. Over TCP it is a 503 (ConnectionRefusedError); over
            # this Unix socket, gone with its server, asyncpg raises FileNotFoundError, still a 500.
            read = await running.client.get("/v1/forbund")
            assert read.status_code >= 500
            assert_problem(read, read.status_code)
            position = await register(running, org_nr(905))
            assert position > 0


async def test_without_a_read_url_the_views_are_read_from_the_primary(service: Running) -> None:
    assert service.services.read_pool is service.services.pool
    org = org_nr(904)
    position = await register(service, org)
    response = await service.client.get(f"/v1/forbund/{org}", params={"min_position": position})
    assert response.status_code == 200, response.text
    ready = await service.client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert "replica_lag_bytes" not in ready.json()


async def test_a_replica_given_as_the_primary_is_refused_with_a_sentence_naming_the_read_url(
    replica_url: str,
) -> None:
    app = create_app(Settings(database_url=replica_url))
    with pytest.raises(ExceptionGroup) as refused:  # the lifespan's task group wraps it
        async with app.lifespan():
            pass
    assert refused.group_contains(InvalidInput, match="ange primären i FINSAM_DATABASE_URL och repliken i FINSAM_READ")


async def test_the_read_url_comes_from_the_environment_and_defaults_to_the_primary() -> None:
    url = "postgresql://finsam:pw@replica:5432/finsam"
    assert Settings.from_env({"FINSAM_READ_DATABASE_URL": url}).read_database_url == url
    assert Settings.from_env({"FINSAM_READ_DATABASE_URL": ""}).read_database_url is None
    assert Settings.from_env({}).read_database_url is None
