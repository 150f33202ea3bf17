"""Where the events are kept: a store URL turned into eventsourcing's environment variables.

One URL names the store everywhere (CLI, service settings, tests)::

    memory:                                           in-process, gone when the process ends
    sqlite:///var/lib/finsam/finsam.sqlite            a SQLite file (absolute path)
    sqlite:finsam.sqlite                              a SQLite file relative to the working dir
    postgresql://user:secret@db.example:5432/finsam   PostgreSQL over TCP
    postgresql://postgres:@/postgres?host=/run/pg     PostgreSQL over a Unix socket directory
    postgresql://...?schema=finsam                    ... with the tables in that schema

``POSTGRES_ENABLE_DB_FUNCTIONS`` is never set: finsam uses eventsourcing's plain SQL inserts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs

from finsam_core.domain.errors import InvalidInput

__all__ = ["SQLITE_LOCK_TIMEOUT_SECONDS", "default_store_url", "environment_for"]

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

    Raises :class:`~finsam_core.domain.errors.InvalidInput` if the URL is not one of the forms
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
