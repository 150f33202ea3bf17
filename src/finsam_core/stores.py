"""Where the events are kept: a store URL turned into eventsourcing's environment variables.

One URL names the store everywhere (CLI, service settings, tests)::

    memory:                                           in-process, gone when the process ends
    sqlite:///var/lib/finsam/finsam.sqlite            a SQLite file (absolute path)
    sqlite:finsam.sqlite                              a SQLite file relative to the working dir
    postgresql://user:secret@db.example:5432/finsam   PostgreSQL over TCP
    postgresql://postgres:@/postgres?host=/run/pg     PostgreSQL over a Unix socket directory
    postgresql://...?schema=finsam                    ... with the tables in that schema

``POSTGRES_ENABLE_DB_FUNCTIONS`` is never set: finsam uses eventsourcing's plain SQL inserts.

A write to PostgreSQL holds the events table's exclusive lock, so every other write waits for it.
:class:`WriteBounds` says how long a write may wait for that lock and how long it may then take;
past either bound it ends with :class:`~finsam_core.errors.StoreUnavailable` and records
nothing (see docs/security.md, "Writes cannot freeze the store").
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Final
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs
from eventsourcing.persistence import InterfaceError, OperationalError
from psycopg import errors as pg_errors

from finsam_core.errors import InvalidInput

__all__ = [
    "SQLITE_LOCK_TIMEOUT_SECONDS",
    "WriteBounds",
    "WriteRefusal",
    "default_store_url",
    "environment_for",
    "write_refusal",
]

SQLITE_LOCK_TIMEOUT_SECONDS: Final = 10
"""How long a SQLite writer waits for another writer's lock before giving up."""

_EXAMPLES: Final = (
    "memory:, sqlite:///sökväg/finsam.sqlite, postgresql://användare:lösen@värd:5432/databas "
    "eller postgresql://postgres:@/postgres?host=/sökväg/till/socketkatalog"
)
_POSTGRES_QUERY_KEYS: Final = frozenset({"host", "port", "schema"})


_PASSWORD: Final = re.compile(r"(//[^/:@]*:)[^/@]*@")


def _invalid(url: str, reason: str) -> InvalidInput:
    shown = _PASSWORD.sub(r"\1***@", url)  # Never repeat a password in an error message.
    return InvalidInput(f"Lagringsadressen {shown!r} går inte att använda: {reason}. Exempel: {_EXAMPLES}.")


def environment_for(url: str) -> dict[str, str]:
    """The eventsourcing environment variables for the store at ``url``.

    Raises :class:`~finsam_core.errors.InvalidInput` if the URL is not one of the forms
    in this module's docstring.
    """
    scheme, colon, rest = url.partition(":")
    scheme = scheme.lower()
    if not colon:
        raise _invalid(url, "den saknar schema (memory:, sqlite: eller postgresql:)")
    if scheme == "memory":
        if rest not in ("", "//"):
            raise _invalid(url, "memory: tar inga fler delar")
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if scheme == "sqlite":
        return _sqlite_environment(url, rest)
    if scheme in ("postgresql", "postgres"):
        return _postgres_environment(url)
    raise _invalid(url, f"schemat {scheme!r} känns inte igen")


def _sqlite_environment(url: str, rest: str) -> dict[str, str]:
    if rest.startswith("//"):
        if not rest.startswith("///"):
            raise _invalid(url, "en SQLite-fil skrivs sqlite:///absolut/sökväg eller sqlite:relativ")
        path = rest[2:]
    else:
        path = rest
    path = unquote(path)
    if not path or path.endswith("/"):
        raise _invalid(url, "filnamnet för SQLite-databasen saknas")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": path,
        "SQLITE_LOCK_TIMEOUT": str(SQLITE_LOCK_TIMEOUT_SECONDS),
    }


def _postgres_environment(url: str) -> dict[str, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _invalid(url, f"adressen kan inte tolkas ({exc})") from exc
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    unknown = set(query) - _POSTGRES_QUERY_KEYS
    if unknown:
        raise _invalid(url, f"okända parametrar {', '.join(sorted(unknown))}")
    if any(len(values) > 1 for values in query.values()):
        raise _invalid(url, "en parameter förekommer mer än en gång")
    host = query["host"][0] if "host" in query else unquote(parts.hostname or "")
    if not host:
        raise _invalid(url, "värd saknas (ange värd eller ?host=/socketkatalog)")
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise _invalid(url, "databasens namn saknas efter sista snedstrecket")
    if not parts.username:
        raise _invalid(url, "användarnamn saknas")
    port_text = query["port"][0] if "port" in query else str(port or 5432)
    if not port_text.isdigit():
        raise _invalid(url, f"porten {port_text!r} är inget nummer")
    environment = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": port_text,
        "POSTGRES_USER": unquote(parts.username),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        # A server that does not answer is an error within seconds (eventsourcing waits 30 s).
        "POSTGRES_CONNECT_TIMEOUT": "5",
    }
    if "schema" in query:
        if not query["schema"][0]:
            raise _invalid(url, "schema= saknar namn")
        environment["POSTGRES_SCHEMA"] = query["schema"][0]
    return environment


def default_store_url() -> str:
    """``$FINSAM_STORE`` if set, otherwise a SQLite file in the user's data directory.

    The data directory (``~/.local/share/finsam`` on Linux) is created if it is missing.
    """
    configured = os.environ.get("FINSAM_STORE", "").strip()
    if configured:
        return configured
    directory = Path(platformdirs.user_data_dir("finsam", appauthor=False))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(directory / 'finsam.sqlite').as_posix().lstrip('/')}"


@dataclass(frozen=True)
class WriteBounds:
    """How long one write to PostgreSQL may wait for the events lock, and how long it may then take.

    ``lock_timeout_seconds`` bounds the wait for another write's lock (PostgreSQL's ``lock_timeout``);
    ``write_timeout_seconds`` bounds each statement of the write (``statement_timeout``) and, on
    PostgreSQL 17 and later, the whole transaction (``transaction_timeout``), which also ends a
    write whose client stops sending halfway through a statement. Both are set with ``SET LOCAL``
    in the write's own transaction, so reads are not affected.
    """

    lock_timeout_seconds: float = 5.0
    write_timeout_seconds: float = 10.0

    LOCK_TIMEOUT_KEY: ClassVar[str] = "FINSAM_WRITE_LOCK_TIMEOUT_SECONDS"
    WRITE_TIMEOUT_KEY: ClassVar[str] = "FINSAM_WRITE_TIMEOUT_SECONDS"

    def __post_init__(self) -> None:
        bounds = (
            (self.LOCK_TIMEOUT_KEY, self.lock_timeout_seconds),
            (self.WRITE_TIMEOUT_KEY, self.write_timeout_seconds),
        )
        for key, value in bounds:
            if not (math.isfinite(value) and 0.001 <= value <= 86_400):
                raise InvalidInput(f"{key} ska vara ett antal sekunder mellan 0,001 och 86400, inte {value!r}.")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WriteBounds:
        """The bounds named in ``env`` (an application's settings), the defaults for those unset."""
        values: dict[str, float] = {}
        keys = (("lock_timeout_seconds", cls.LOCK_TIMEOUT_KEY), ("write_timeout_seconds", cls.WRITE_TIMEOUT_KEY))
        for field, key in keys:
            text = (env.get(key) or "").strip()
            if text:
                try:
                    values[field] = float(text)
                except ValueError:
                    raise InvalidInput(f"{key} ska vara ett antal sekunder, inte {text!r}.") from None
        return cls(**values)

    def environment(self) -> dict[str, str]:
        """The settings that :meth:`from_env` reads back as these bounds."""
        return {
            self.LOCK_TIMEOUT_KEY: repr(self.lock_timeout_seconds),
            self.WRITE_TIMEOUT_KEY: repr(self.write_timeout_seconds),
        }


@dataclass(frozen=True)
class WriteRefusal:
    """Why a PostgreSQL write failed, as its caller is told, and whether trying again at once may help."""

    message: str
    retryable: bool


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def write_refusal(exc: BaseException, bounds: WriteBounds) -> WriteRefusal | None:
    """The refusal for a write that failed with ``exc`` (eventsourcing's wrapper of psycopg's error).

    ``None`` when the failure is not the store's bounds or connection: a conflict or a bug, which
    the caller lets through as it is.
    """
    cause = exc.__cause__
    if isinstance(cause, pg_errors.LockNotAvailable):
        return WriteRefusal(
            f"Registret är upptaget av en annan skrivning och blev inte ledigt inom "
            f"{_seconds(bounds.lock_timeout_seconds)} s; ingenting sparades. Försök igen om en stund.",
            retryable=False,
        )
    if isinstance(
        cause, (pg_errors.QueryCanceled, pg_errors.TransactionTimeout, pg_errors.IdleInTransactionSessionTimeout)
    ):
        return WriteRefusal(
            f"Skrivningen tog längre tid än tillåtna {_seconds(bounds.write_timeout_seconds)} s och avbröts; "
            "ingenting sparades. Försök igen om en stund, eller dela upp en mycket stor ändring.",
            retryable=False,
        )
    if isinstance(exc, (InterfaceError, OperationalError)):
        return WriteRefusal(
            "Förbindelsen med databasen bröts under skrivningen. Kontrollera om ändringen finns "
            "innan du försöker igen.",
            retryable=True,
        )
    return None
