"""The service's edge: what every request meets before a handler, a body parser or a lock.

:class:`EdgeMiddleware` runs first after the request id, for every route:

1. **Path and query**: a control character (``%00`` and its kin) in the path or the query string is
   a 400 at once; nothing reaches PostgreSQL, which cannot hold NUL in text.
2. **Who**: a request with ``Authorization`` is authenticated here, before its body is read; an
   unknown token is a 401 and counts against the client address, which gets 429 after
   ``auth_failures_per_minute`` failures. A write (POST, PUT, PATCH, DELETE) without a token is a 401
   at once. Unauthenticated requests therefore never cost more than their headers.
3. **Body size**: the route's ``request_max_body_size`` (small by default, see :data:`DEFAULT_MAX_BODY`)
   is enforced on ``Content-Length`` before reading and on the bytes as they arrive, for the
   idempotency layer and the handler alike: 413, never a buffered 200 MB body.
4. **Access log**: one JSON line per request with method, route template, status, duration, request
   id (bound by :class:`~finsam_service.observability.RequestIdMiddleware`) and the token's id (the
   first 12 hex digits of its SHA-256, never the token). Never a body, a query or a header value:
   request bodies hold draft minutes and, when refused, personal data a client should not have sent.

Rate limits per token and per address are Litestar's own middleware (:func:`rate_limits`), keyed on
what this middleware learned about the caller.
"""

from __future__ import annotations

import re
import time
from typing import Any, Final, cast
from urllib.parse import unquote_to_bytes

import structlog
from litestar import Request
from litestar.enums import ScopeType
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    TooManyRequestsException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.middleware import ASGIMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware, get_remote_address
from litestar.types import ASGIApp, HTTPScope, Message, Receive, ReceiveMessage, Scope, Send

from finsam_service.access import Caller, caller_of, token_digest
from finsam_service.settings import Settings

__all__ = ["DEFAULT_MAX_BODY", "WRITE_METHODS", "EdgeMiddleware", "rate_limits", "token_id"]

DEFAULT_MAX_BODY: Final = 256 * 1024
"""Bytes in a request body unless a route says otherwise: a budget of a thousand lines fits."""
WRITE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CONTROL: Final = re.compile(rb"[\x00-\x1f\x7f]")
_FAILURES_STORE: Final = "finsam_auth_failures"


def token_id(scope: Scope) -> str | None:
    """The id of the token the request carried (12 hex digits of its SHA-256), or None."""
    header = _header(scope, b"authorization")
    if header is None:
        return None
    _, _, token = header.partition(" ")
    return token_digest(token.strip())[:12] if token.strip() else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class _BodyTooLarge(Exception):
    pass


class EdgeMiddleware(ASGIMiddleware):
    """Refuse what is malformed, unauthenticated or too large before anything else runs; log each request once."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self._guard(scope, receive, send_noting_status, next_app)
        except HTTPException as exc:  # answered by the exception handler outside this middleware
            status = exc.status_code
            raise
        finally:
            http = cast(HTTPScope, scope)
            # A logger per line, not one cached at import: it follows the logging set-up in force.
            structlog.get_logger("finsam.access").info(
                "request",
                method=http["method"],
                route=scope.get("path_template", "?"),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                token=token_id(scope),
            )

    async def _guard(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        http = cast(HTTPScope, scope)
        query = http.get("query_string", b"")
        if _CONTROL.search(http["path"].encode("utf-8", "surrogatepass")) or _CONTROL.search(
            unquote_to_bytes(query.replace(b"+", b" "))
        ):
            raise ClientException(
                detail="Adressen innehåller ett styrtecken (till exempel %00), som aldrig förekommer i "
                "finsams adresser; kontrollera länken."
            )
        settings: Settings = scope["litestar_app"].state.settings
        request: Request[Any, Any, Any] = scope["litestar_app"].request_class(scope)
        if _header(scope, b"authorization") is not None:
            await self._authenticate(request, settings)
        elif http["method"] in WRITE_METHODS and not scope["route_handler"].opt.get("sign_in"):
            # The pages' sign-in form is the one write that comes without a token: it brings one.
            raise NotAuthorizedException("Den här åtgärden kräver en API-nyckel (Authorization: Bearer).")

        handler = scope["route_handler"]
        resolve = getattr(handler, "resolve_request_max_body_size", None)
        limit = (resolve() if resolve is not None else None) or DEFAULT_MAX_BODY
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            raise RequestEntityTooLarge(detail=f"Begäran är för stor: högst {limit} byte är tillåtna här.")
        received = 0

        async def limited_receive() -> ReceiveMessage:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        try:
            await next_app(scope, limited_receive, send)
        except _BodyTooLarge:
            raise RequestEntityTooLarge(detail=f"Begäran är för stor: högst {limit} byte är tillåtna här.") from None

    @staticmethod
    async def _authenticate(request: Request[Any, Any, Any], settings: Settings) -> Caller | None:
        address = get_remote_address(request)
        store = request.app.stores.get(_FAILURES_STORE)
        failures = int(await store.get(address) or 0)
        if settings.auth_failures_per_minute and failures >= settings.auth_failures_per_minute:
            raise TooManyRequestsException(
                detail="För många misslyckade inloggningar från den här adressen; försök igen om en minut.",
                headers={"Retry-After": "60"},
            )
        try:
            return await caller_of(request)
        except NotAuthorizedException:
            await store.set(address, str(failures + 1).encode(), expires_in=60)
            raise


class _RateLimit(RateLimitMiddleware):
    """Litestar's rate limit, answering 429 with ``Retry-After`` and a Swedish problem detail."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope["litestar_app"]
        request: Request[Any, Any, Any] = app.request_class(scope)
        store = self.config.get_store_from_app(app)
        if await self.should_check_request(request=request):
            key = self.cache_key_from_request(request)
            async with self._lock:
                history = await self.retrieve_cached_history(key, store)
                if len(history.history) >= self.max_requests:
                    wait = max(1, history.reset - int(time.time()))
                    raise TooManyRequestsException(
                        detail=f"För många förfrågningar; försök igen om {wait} sekunder.",
                        headers={**self.create_response_headers(history), "Retry-After": str(wait)},
                    )
                await self.set_cached_history(key=key, cache_object=history, store=store)
        await self.app(scope, receive, send)


# Coroutines, not plain functions: Litestar runs a plain check_throttle_handler in a worker thread,
# a thread hop on every request for each rate limit (issue 16: a third of a read's time under load).
async def _is_write(request: Request[Any, Any, Any]) -> bool:
    return request.method in WRITE_METHODS


async def _is_expensive_read(request: Request[Any, Any, Any]) -> bool:
    return request.method == "GET" and bool(request.scope["route_handler"].opt.get("expensive"))


def _by_token(request: Request[Any, Any, Any]) -> str:
    return token_id(request.scope) or get_remote_address(request)


def rate_limits(settings: Settings) -> list[Any]:
    """The rate-limit middlewares: writes per token and per address, expensive public reads per address."""
    configs = []
    if settings.writes_per_minute:
        configs.append(
            RateLimitConfig(
                rate_limit=("minute", settings.writes_per_minute),
                identifier_for_request=_by_token,
                check_throttle_handler=_is_write,
                middleware_class=_RateLimit,
                store="finsam_rate_writes_token",
            )
        )
        configs.append(
            RateLimitConfig(
                rate_limit=("minute", settings.writes_per_minute * 2),
                check_throttle_handler=_is_write,
                middleware_class=_RateLimit,
                store="finsam_rate_writes_address",
            )
        )
    if settings.expensive_reads_per_minute:
        configs.append(
            RateLimitConfig(
                rate_limit=("minute", settings.expensive_reads_per_minute),
                check_throttle_handler=_is_expensive_read,
                middleware_class=_RateLimit,
                store="finsam_rate_expensive_reads",
            )
        )
    return [config.middleware for config in configs]
