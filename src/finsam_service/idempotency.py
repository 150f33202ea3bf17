"""``Idempotency-Key``: a retried POST records exactly once.

A POST that carries ``Idempotency-Key`` and a valid bearer token is claimed in ``finsam_idempotency_keys``
under (owner, key) *before* the handler runs, with the SHA-256 of its method, path and body.
When the handler answers below 500, the answer (status, content type, body) is stored on the claim
before it is sent;
a retry with the same key and the same request gets that stored answer back (header
``Idempotent-Replayed: true``) and records nothing. The same key with a different request is a 422,
a retry while the first attempt still runs a 409, both as problem+json. A 5xx, a 401 or a crash
releases the claim, so the client may retry. A key belongs to its owner: a förbund's writers share
one key space (a retry with another token of the same förbund is still a retry), while two förbund
never share answers; any other token (an admin's, a network admin's) has its own. The caller was authenticated by
:class:`~finsam_service.edge.EdgeMiddleware` before this middleware reads any body.

It is an ASGI middleware, so every write route gets it, including ones added later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any, cast

import asyncpg
import msgspec
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)

from finsam_service.access import Caller, idempotency_owner, token_digest
from finsam_service.errors import request_instance

__all__ = ["CLAIM", "HEADER", "IdempotencyMiddleware", "mark_claim"]

CLAIM: ContextVar[tuple[str, str] | None] = ContextVar("finsam_idempotency_claim", default=None)
"""The (owner, key) claim of the request being handled, for the write to mark (:func:`mark_claim`)."""


def mark_claim(claim: tuple[str, str]) -> Callable[[Any, Sequence[int]], None]:
    """A write hook (``also=`` of ``Finsam.run``) that stores the write's position on ``claim``, in its transaction.

    After a crash, a claim with a position was recorded (a retry is told so and records nothing);
    a claim without one was not, and a retry may take it over once its lease has run out.
    """
    owner, key = claim

    def hook(cursor: Any, positions: Sequence[int]) -> None:
        cursor.execute(
            "UPDATE finsam_idempotency_keys SET position = greatest(position, %s) WHERE caller = %s AND key = %s",
            (max(positions), owner, key),
        )

    return hook


HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _problem(send: Send, status: int, title: str, detail: str) -> None:
    problem = {"status": status, "title": title, "detail": detail, "type": f"urn:finsam:error:{title}"}
    if instance := request_instance():
        problem["instance"] = instance
    body = msgspec.json.encode(problem)
    await _respond(send, status, [(b"content-type", b"application/problem+json")], body)


async def _respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [*headers, (b"content-length", str(len(body)).encode())],
    }
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(end)


class IdempotencyMiddleware(ASGIMiddleware):
    """Record a POST with ``Idempotency-Key`` once; replay its stored answer to retries."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if cast(HTTPScope, scope)["method"] != "POST":
            await next_app(scope, receive, send)
            return
        key = _header(scope, b"idempotency-key")
        # No key: nothing to do (and no request object to build for the caller, on every plain write).
        known: Caller | None = None
        if key is not None:
            known = scope["litestar_app"].request_class(scope).state.get("finsam_caller")
        if key is None or known is None:  # No key, or no token (the edge has refused the write already).
            await next_app(scope, receive, send)
            return
        if not key or len(key) > MAX_KEY_LENGTH:
            await _problem(send, 400, "InvalidInput", f"Idempotency-Key ska vara 1–{MAX_KEY_LENGTH} tecken.")
            return

        _, _, token = (_header(scope, b"authorization") or "").partition(" ")
        caller = idempotency_owner(known, token_digest(token.strip()))
        body, messages = await _read_body(receive)
        digest = hashlib.sha256(b"\n".join((b"POST", scope["path"].encode(), scope.get("query_string", b""), body)))
        request_sha256 = digest.hexdigest()
        pool: asyncpg.Pool = scope["litestar_app"].state.pool

        lease = float(scope["litestar_app"].state.settings.idempotency_lease_seconds)
        claimed = await pool.fetchval(
            "INSERT INTO finsam_idempotency_keys (caller, key, request_sha256, lease_until) "
            "VALUES ($1, $2, $3, now() + make_interval(secs => $4)) "
            "ON CONFLICT (caller, key) DO UPDATE SET lease_until = excluded.lease_until, created_at = now() "
            # A claim whose request died (its lease ran out) before its write was recorded is taken over.
            "WHERE finsam_idempotency_keys.status IS NULL AND finsam_idempotency_keys.position IS NULL "
            "AND finsam_idempotency_keys.lease_until < now() "
            "AND finsam_idempotency_keys.request_sha256 = excluded.request_sha256 "
            "RETURNING true",
            caller,
            key,
            request_sha256,
            lease,
        )
        if not claimed:
            await self._answer_retry(pool, send, caller, key, request_sha256)
            return

        status: int | None = None
        content_type = b"application/json"
        response: list[Message] = []

        async def replay_receive() -> ReceiveMessage:
            if messages:
                return messages.pop(0)
            return await receive()

        async def hold_send(message: Message) -> None:
            # Held, not sent: the answer is stored before the client can see it, so a retry sent
            # the moment the first answer arrives finds it stored (never a 409 "still running").
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = int(message["status"])
                for name, value in message.get("headers", []):
                    if bytes(name).lower() == b"content-type":
                        content_type = bytes(value)
            response.append(message)

        bound = CLAIM.set((caller, key))
        try:
            await next_app(scope, replay_receive, hold_send)
        except BaseException:
            await _release(pool, caller, key)
            raise
        finally:
            CLAIM.reset(bound)
        if status is None or status >= 500 or status == 401:
            await _release(pool, caller, key)
        else:
            body = b"".join(bytes(m.get("body", b"")) for m in response if m["type"] == "http.response.body")
            await pool.execute(
                "UPDATE finsam_idempotency_keys SET status = $3, content_type = $4, body = $5 "
                "WHERE caller = $1 AND key = $2",
                caller,
                key,
                status,
                content_type.decode("latin-1"),
                body,
            )
        for message in response:
            await send(message)

    @staticmethod
    async def _answer_retry(pool: asyncpg.Pool, send: Send, caller: str, key: str, request_sha256: str) -> None:
        row = await pool.fetchrow(
            "SELECT request_sha256, status, content_type, body, position, lease_until < now() AS expired "
            "FROM finsam_idempotency_keys "
            "WHERE caller = $1 AND key = $2",
            caller,
            key,
        )
        if row is None:  # Released between our insert and this read: the first attempt failed.
            await _problem(
                send, 409, "Conflict", "Ett tidigare försök med samma Idempotency-Key misslyckades just; försök igen."
            )
        elif row["request_sha256"] != request_sha256:
            await _problem(
                send,
                422,
                "IdempotencyKeyReused",
                "Idempotency-Key har redan använts för en annan begäran; välj en ny nyckel.",
            )
        elif row["status"] is None and row["position"] is not None and row["expired"]:
            await _problem(
                send,
                409,
                "Conflict",
                f"Begäran med den här Idempotency-Key registrerades (position {row['position']}) men svaret gick "
                "förlorat när tjänsten avbröts; den registreras inte igen. Läs uppgifterna med "
                f"min_position={row['position']}.",
            )
        elif row["status"] is None:
            await _problem(send, 409, "Conflict", "En begäran med samma Idempotency-Key pågår fortfarande.")
        else:
            body: bytes = row["body"]
            headers = [(b"content-type", row["content_type"].encode("latin-1")), (b"idempotent-replayed", b"true")]
            await _respond(send, row["status"], headers, body)


async def _release(pool: asyncpg.Pool, caller: str, key: str) -> None:
    """Free a failed request's claim for a retry, unless its write was recorded (then say so to the retry)."""
    await pool.execute(
        "DELETE FROM finsam_idempotency_keys WHERE caller = $1 AND key = $2 AND position IS NULL", caller, key
    )
    await pool.execute(
        "UPDATE finsam_idempotency_keys SET lease_until = now() WHERE caller = $1 AND key = $2", caller, key
    )


async def _read_body(receive: Receive) -> tuple[bytes, list[ReceiveMessage]]:
    """The whole request body, and the messages that carried it (to hand on to the app unchanged)."""
    messages: list[ReceiveMessage] = []
    parts: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts), messages
