"""API tokens, the caller they name, and who reads drafts (who may call a route: :mod:`finsam_service.guards`).

A token is shown once, when ``finsam token create`` makes it; the database keeps only its SHA-256.
Roles: ``forbund-writer`` (writes, and reads drafts, of its own förbund), ``network-admin`` (the
network's fee policy and membership records), ``admin`` (everything, including registering förbund),
``metrics`` (``/metrics`` only, for a Prometheus scraper).
Reads of final records need no token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

import asyncpg
import msgspec
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException

from finsam_core.embedded import connect
from finsam_core.values import validate_org_nr

__all__ = [
    "Caller",
    "Role",
    "TokenInfo",
    "caller_of",
    "caller_with_token",
    "create_token",
    "idempotency_owner",
    "list_tokens",
    "may_read_drafts",
    "revoke_token",
    "token_digest",
    "token_is_valid",
]

_PREFIX = "fsm_"


class Role(StrEnum):
    FORBUND_WRITER = "forbund-writer"
    NETWORK_ADMIN = "network-admin"
    ADMIN = "admin"
    METRICS = "metrics"
    """Reads ``/metrics`` and nothing else: the token a Prometheus scraper holds."""


class Caller(msgspec.Struct, frozen=True):
    """The holder of a valid token."""

    role: Role
    org_nr: str | None
    token_id: str = ""
    """The token's id as ``finsam-serve token list`` shows it (the first 12 hex digits of its SHA-256)."""
    label: str = ""


def token_digest(token: str) -> str:
    """The SHA-256 the database keeps of a token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenInfo(msgspec.Struct, frozen=True):
    """What ``finsam-serve token list`` shows of a token: never the token, only its id."""

    id: str
    role: str
    org_nr: str | None
    label: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


def create_token(
    url: str, role: Role, org_nr: str | None = None, label: str = "", *, expires_at: datetime | None = None
) -> str:
    """Store a new token's hash and return the token itself (the only time it is visible).

    A token with ``expires_at`` is refused (401) from that moment on.
    """
    if role is Role.FORBUND_WRITER:
        if org_nr is None:
            raise ValueError("A forbund-writer token needs --forbund ORGNR.")
        org_nr = validate_org_nr(org_nr)
    elif org_nr is not None:
        raise ValueError(f"A {role.value} token is not tied to one förbund; leave out --forbund.")
    token = _PREFIX + secrets.token_urlsafe(32)
    with connect(url) as connection:
        connection.execute(
            "INSERT INTO finsam_api_tokens (sha256, role, org_nr, label, expires_at) VALUES (%s, %s, %s, %s, %s)",
            (token_digest(token), role.value, org_nr, label, expires_at),
        )
    return token


def list_tokens(url: str) -> list[TokenInfo]:
    """Every token, newest first, with its id (the first 12 hex digits of its SHA-256)."""
    with connect(url) as connection:
        rows = connection.execute(
            "SELECT left(sha256, 12), role, org_nr, label, created_at, expires_at, last_used_at, revoked_at "
            "FROM finsam_api_tokens ORDER BY created_at DESC"
        ).fetchall()
    return [TokenInfo(*row) for row in rows]


def revoke_token(url: str, token_id: str) -> TokenInfo:
    """Revoke the token whose id (or a longer prefix of its SHA-256) is ``token_id``; 401 from now on."""
    if not re.fullmatch(r"[0-9a-f]{12,64}", token_id):
        raise ValueError(f"{token_id!r} is not a token id: 12 hexadecimal digits as 'token list' shows them.")
    with connect(url) as connection, connection.transaction():
        matches = connection.execute(
            "SELECT sha256 FROM finsam_api_tokens WHERE sha256 LIKE %s FOR UPDATE", (token_id + "%",)
        ).fetchall()
        if len(matches) != 1:
            raise ValueError(f"No token has the id {token_id}." if not matches else f"{token_id} names several tokens.")
        rows = connection.execute(
            "UPDATE finsam_api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE sha256 = %s "
            "RETURNING left(sha256, 12), role, org_nr, label, created_at, expires_at, last_used_at, revoked_at",
            (matches[0][0],),
        ).fetchall()
    return TokenInfo(*rows[0])


def token_is_valid(url: str, token: str) -> bool:
    """Whether ``token`` is known, not revoked and not expired (``make run`` reuses its demo token if so)."""
    with connect(url) as connection:
        row = connection.execute(
            f"SELECT 1 FROM finsam_api_tokens WHERE sha256 = %s AND {_VALID}", (token_digest(token),)
        ).fetchone()
    return row is not None


_VALID = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"
_LAST_USE_RESOLUTION = "interval '60 seconds'"


async def caller_of(request: ASGIConnection[Any, Any, Any, Any]) -> Caller | None:
    """The caller named by ``Authorization: Bearer <token>``; None without the header.

    A header with an unknown or malformed token is refused with 401 (not treated as anonymous).
    The answer is kept on the request, so the edge, the guard and the handler look the token up once.
    """
    if "finsam_caller" in request.state:
        cached: Caller | None = request.state["finsam_caller"]
        return cached
    caller = await _lookup(request)
    request.state["finsam_caller"] = caller
    return caller


async def _lookup(request: ASGIConnection[Any, Any, Any, Any]) -> Caller | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("Ange en API-nyckel som 'Authorization: Bearer <nyckel>'.")
    caller = await caller_with_token(request.app.state.pool, token.strip())
    if caller is None:
        raise NotAuthorizedException("API-nyckeln är okänd, har gått ut eller är återkallad.")
    return caller


async def caller_with_token(pool: asyncpg.Pool, token: str) -> Caller | None:
    """The holder of ``token`` (from a header or the pages' session cookie), or None when it is unknown,
    expired or revoked."""
    digest = token_digest(token)
    row = await pool.fetchrow(
        f"SELECT role, org_nr, label, last_used_at IS NULL OR last_used_at < now() - {_LAST_USE_RESOLUTION} AS stale "
        f"FROM finsam_api_tokens WHERE sha256 = $1 AND {_VALID}",
        digest,
    )
    if row is None:
        return None
    if row["stale"]:  # Last use to the minute: one UPDATE a token a minute, not one per request.
        await pool.execute("UPDATE finsam_api_tokens SET last_used_at = now() WHERE sha256 = $1", digest)
    return Caller(role=Role(row["role"]), org_nr=row["org_nr"], token_id=digest[:12], label=row["label"])


def may_read_drafts(caller: Caller | None, org_nr: str) -> bool:
    """Drafts (minutes not yet adjusted, and what derives from them) are for that förbund's writers and
    admins only: the one rule of who reads drafts. What is a draft: :mod:`finsam_service.drafts`."""
    if caller is None:
        return False
    return caller.role is Role.ADMIN or (caller.role is Role.FORBUND_WRITER and caller.org_nr == org_nr)


def idempotency_owner(caller: Caller, digest: str) -> str:
    """Whose key space an ``Idempotency-Key`` lives in: a förbund's writers share one, any other token has its own.

    ``digest`` is the token's SHA-256. Sharing within a förbund means a retry sent with another of
    its writers' tokens (a rotated key, a second worker) is still a retry, never a second write.
    """
    if caller.role is Role.FORBUND_WRITER:
        return f"forbund:{caller.org_nr}"
    return f"token:{digest}"
