"""API tokens and who may do what.

A token is shown once, when ``finsam token create`` makes it; the database keeps only its SHA-256.
Roles: ``forbund-writer`` (writes, and reads drafts, of its own förbund), ``network-admin`` (the
network's fee policy and membership records), ``admin`` (everything, including registering förbund).
Reads of final records need no token.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

import asyncpg
import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from finsam_core.domain.values import validate_org_nr
from finsam_service.database import connect

__all__ = [
    "Caller",
    "Role",
    "caller_of",
    "create_token",
    "may_read_drafts",
    "require_admin",
    "require_network_admin",
    "require_writer",
    "token_required",
]

_PREFIX = "fsm_"


class Role(StrEnum):
    FORBUND_WRITER = "forbund-writer"
    NETWORK_ADMIN = "network-admin"
    ADMIN = "admin"


class Caller(msgspec.Struct, frozen=True):
    """The holder of a valid token."""

    role: Role
    org_nr: str | None
    token_id: str = ""
    """The first 16 hex digits of the token's SHA-256: names the token in the audit trail, reveals nothing."""
    label: str = ""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(url: str, role: Role, org_nr: str | None = None, label: str = "") -> str:
    """Store a new token's hash and return the token itself (the only time it is visible)."""
    if role is Role.FORBUND_WRITER:
        if org_nr is None:
            raise ValueError("A forbund-writer token needs --forbund ORGNR.")
        org_nr = validate_org_nr(org_nr)
    elif org_nr is not None:
        raise ValueError(f"A {role.value} token is not tied to one förbund; leave out --forbund.")
    token = _PREFIX + secrets.token_urlsafe(32)
    with connect(url) as connection:
        connection.execute(
            "INSERT INTO finsam_api_tokens (sha256, role, org_nr, label) VALUES (%s, %s, %s, %s)",
            (_digest(token), role.value, org_nr, label),
        )
    return token


async def caller_of(request: Request) -> Caller | None:  # type: ignore[type-arg]
    """The caller named by ``Authorization: Bearer <token>``; None without the header.

    A header with an unknown or malformed token is refused with 401 (not treated as anonymous).
    The answer is kept on the request, so the guard and the handler look the token up once.
    """
    if "finsam_caller" in request.state:
        cached: Caller | None = request.state["finsam_caller"]
        return cached
    caller = await _lookup(request)
    request.state["finsam_caller"] = caller
    return caller


async def _lookup(request: Request) -> Caller | None:  # type: ignore[type-arg]
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("Ange en API-nyckel som 'Authorization: Bearer <nyckel>'.")
    pool: asyncpg.Pool = request.app.state.pool
    digest = _digest(token.strip())
    row = await pool.fetchrow("SELECT role, org_nr, label FROM finsam_api_tokens WHERE sha256 = $1", digest)
    if row is None:
        raise NotAuthorizedException("API-nyckeln är okänd eller återkallad.")
    return Caller(role=Role(row["role"]), org_nr=row["org_nr"], token_id=digest[:16], label=row["label"])


async def token_required(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """Guard of every write: 401 before the body is even parsed when the token is missing or unknown."""
    caller = await caller_of(connection)  # type: ignore[arg-type]
    if caller is None:
        raise NotAuthorizedException("Den här åtgärden kräver en API-nyckel (Authorization: Bearer).")


def _authenticated(caller: Caller | None) -> Caller:
    if caller is None:
        raise NotAuthorizedException("Den här åtgärden kräver en API-nyckel (Authorization: Bearer).")
    return caller


def require_writer(caller: Caller | None, org_nr: str) -> Caller:
    """A writer of ``org_nr`` (or an admin); 401 without a token, 403 for anyone else."""
    caller = _authenticated(caller)
    if caller.role is Role.ADMIN:
        return caller
    if caller.role is Role.FORBUND_WRITER and caller.org_nr == validate_org_nr(org_nr):
        return caller
    raise PermissionDeniedException(f"API-nyckeln får inte registrera något för förbundet {org_nr}.")


def require_admin(caller: Caller | None) -> Caller:
    caller = _authenticated(caller)
    if caller.role is not Role.ADMIN:
        raise PermissionDeniedException("Bara en administratör får göra detta.")
    return caller


def require_network_admin(caller: Caller | None) -> Caller:
    """A network admin (or an admin): the network's fee policy and membership records."""
    caller = _authenticated(caller)
    if caller.role not in (Role.NETWORK_ADMIN, Role.ADMIN):
        raise PermissionDeniedException("Bara nätverkets administratör får registrera avgifter och medlemskap i NNS.")
    return caller


def may_read_drafts(caller: Caller | None, org_nr: str) -> bool:
    """Drafts (minutes not yet adjusted) are for that förbund's writers and admins only."""
    if caller is None:
        return False
    return caller.role is Role.ADMIN or (caller.role is Role.FORBUND_WRITER and caller.org_nr == org_nr)
