"""The service's settings, read from the environment once, at start-up.

``FINSAM_DATABASE_URL``  a finsam PostgreSQL store URL (``postgresql://user:pw@host:5432/finsam``);
                         unset: ``finsam serve`` starts an embedded PostgreSQL in ``FINSAM_DATA_DIR``
``FINSAM_READ_DATABASE_URL``  a streaming replica of that database for the views' reads (default: unset,
                         read from the primary); writes, tokens, idempotency and projections stay on the primary
``FINSAM_DATA_DIR``      where the embedded server keeps its data (default: the per-user data folder)
``FINSAM_HOST``/``FINSAM_PORT``  where ``finsam serve`` listens (default 127.0.0.1:8000)
``FINSAM_RUN_PROJECTIONS``  ``0`` to leave the projection worker to a separate process (default 1)
``FINSAM_READ_WAIT_SECONDS``  how long a read with ``min_position`` waits for the views (default 5)
``FINSAM_READY_MAX_LAG``  readiness fails when the views are this many events behind (default 10000)
``FINSAM_WRITES_PER_MINUTE``  writes per token a minute (twice that per client address); 0 turns it off (default 600)
``FINSAM_EXPENSIVE_READS_PER_MINUTE``  reads of routes marked expensive per address a minute (default 30)
``FINSAM_AUTH_FAILURES_PER_MINUTE``  unknown tokens per address a minute before 429 (default 20)
``FINSAM_ENV``           ``production`` refuses settings meant for a developer's machine (``FINSAM_LOG_BODIES``)
``FINSAM_LOG_BODIES``    ``1`` logs request and response bodies (debugging only; they hold drafts and personal data)
``FINSAM_WRITE_LOCK_TIMEOUT_SECONDS``  how long a write waits for another write's lock before a 503 (default 5)
``FINSAM_WRITE_TIMEOUT_SECONDS``  how long one write may take once it holds the lock before a 503 (default 10)
``FINSAM_DATABASE_TIMEOUT_SECONDS``  connecting to the database for a read before a 503 (default 2); a read query
                         may take five times that
``FINSAM_IDEMPOTENCY_LEASE_SECONDS``  how long a claimed Idempotency-Key stays claimed by a request that
                         never answered (a crash) before a retry may take it over (default 60)
``FINSAM_READY_TIMEOUT_SECONDS``  ``/ready`` answers 503 when the database has not answered within this (default 1)
``FINSAM_PROJECTION_COALESCE_MS``  while writes keep coming, the projection worker starts a batch at most this
                         often, so that they are applied together (default 20; 0: a batch per write)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import platformdirs

from finsam_core.stores import WriteBounds

__all__ = ["Settings"]

N = TypeVar("N", int, float)


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("finsam", appauthor=False)) / "postgres"


_DEFAULT_DATA_DIR = _default_data_dir()
"""Computed once, at import, as the dataclass default always was."""


def _number(env: Mapping[str, str], name: str, default: str, kind: Callable[[str], N]) -> N:
    """``env[name]`` as a number, or a sentence naming the variable (never int()'s own message)."""
    text = env.get(name, default)
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} är inget tal; ange till exempel {name}={default}.") from None


@dataclass(frozen=True)
class Settings:
    """Everything ``create_app`` needs; build it with :meth:`from_env` or directly in tests."""

    database_url: str | None = None
    read_database_url: str | None = None
    data_dir: Path = _DEFAULT_DATA_DIR
    host: str = "127.0.0.1"
    port: int = 8000
    run_projections: bool = True
    read_wait_seconds: float = 5.0
    ready_max_lag: int = 10_000
    projection_batch_size: int = 1000
    projection_poll_seconds: float = 0.05
    pool_min_size: int = 1
    pool_max_size: int = 10
    writes_per_minute: int = 600
    expensive_reads_per_minute: int = 30
    auth_failures_per_minute: int = 20
    production: bool = False
    log_bodies: bool = False
    write_lock_timeout_seconds: float = WriteBounds.lock_timeout_seconds
    write_timeout_seconds: float = WriteBounds.write_timeout_seconds
    database_timeout_seconds: float = 2.0
    ready_timeout_seconds: float = 1.0
    idempotency_lease_seconds: float = 60.0
    projection_coalesce_seconds: float = 0.02

    def __post_init__(self) -> None:
        if self.production and self.log_bodies:
            raise ValueError(
                "FINSAM_LOG_BODIES kan inte slås på i produktion (FINSAM_ENV=production): "
                "begärandenas innehåll är utkast och personuppgifter som inte får hamna i loggarna."
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        bounds = WriteBounds.from_env(env)
        return cls(
            database_url=env.get("FINSAM_DATABASE_URL") or None,
            read_database_url=env.get("FINSAM_READ_DATABASE_URL") or None,
            data_dir=Path(env["FINSAM_DATA_DIR"]) if env.get("FINSAM_DATA_DIR") else _default_data_dir(),
            host=env.get("FINSAM_HOST", "127.0.0.1"),
            port=_number(env, "FINSAM_PORT", "8000", int),
            run_projections=env.get("FINSAM_RUN_PROJECTIONS", "1") not in ("0", "false", "no"),
            read_wait_seconds=_number(env, "FINSAM_READ_WAIT_SECONDS", "5", float),
            ready_max_lag=_number(env, "FINSAM_READY_MAX_LAG", "10000", int),
            writes_per_minute=_number(env, "FINSAM_WRITES_PER_MINUTE", "600", int),
            expensive_reads_per_minute=_number(env, "FINSAM_EXPENSIVE_READS_PER_MINUTE", "30", int),
            auth_failures_per_minute=_number(env, "FINSAM_AUTH_FAILURES_PER_MINUTE", "20", int),
            production=env.get("FINSAM_ENV", "").lower() == "production",
            log_bodies=env.get("FINSAM_LOG_BODIES", "0") in ("1", "true", "yes"),
            write_lock_timeout_seconds=bounds.lock_timeout_seconds,
            write_timeout_seconds=bounds.write_timeout_seconds,
            database_timeout_seconds=_number(env, "FINSAM_DATABASE_TIMEOUT_SECONDS", "2", float),
            ready_timeout_seconds=_number(env, "FINSAM_READY_TIMEOUT_SECONDS", "1", float),
            idempotency_lease_seconds=_number(env, "FINSAM_IDEMPOTENCY_LEASE_SECONDS", "60", float),
            projection_coalesce_seconds=_number(env, "FINSAM_PROJECTION_COALESCE_MS", "20", float) / 1000,
        )

    @property
    def write_bounds(self) -> WriteBounds:
        """How long a write may wait for the events lock and then take (see :class:`WriteBounds`)."""
        return WriteBounds(self.write_lock_timeout_seconds, self.write_timeout_seconds)
