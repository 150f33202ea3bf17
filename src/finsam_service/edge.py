"""The service's edge: what every request meets before a handler, a body parser or a lock.

:class:`EdgeMiddleware` is the service's one middleware of its own before idempotency, for every
route, in one pass (issue 16: four middlewares cost a read of a förbund more than its query did):

0. **Request id**: bound for structlog and answered as ``X-Request-ID``
   (:mod:`finsam_service.observability`); **metrics**: the request counted in progress, then by status
   and duration (:class:`~finsam_service.observability.RequestMetrics`; not ``/metrics`` itself).

1. **Path and query**: a control character (``%00`` and its kin) in the path or the query string is
   a 400 at once; nothing reaches PostgreSQL, which cannot hold NUL in text.
2. **Who**: a request with ``Authorization`` is authenticated here, before its body is read; an
   unknown token is a 401 and counts against the client address, which gets 429 after
   ``auth_failures_per_minute`` failures. A write (POST, PUT, PATCH, DELETE) without a token is a 401
   at once. Unauthenticated requests therefore never cost more than their headers.
3. **Body size**: the route's ``request_max_body_size`` (small by default, see :data:`DEFAULT_MAX_BODY`)
   is enforced on ``Content-Length`` before reading and on the bytes as they arrive, for the
   idempotency layer and the handler alike: 413, never a buffered 200 MB body.
4. **Rate limits**: writes per token and per address, expensive public reads per address
   (:func:`rate_limits`: Litestar's rate limiting, its stores and its arithmetic), checked only on the
   requests they concern, after the caller is known.
5. **Access log**: one JSON line per request with method, route template, status, duration, request
   id and the token's id (the first 12 hex digits of its SHA-256, never the token). Never a body, a
   query or a header value: request bodies hold draft minutes and, when refused, personal data a
   client should not have sent.

A refusal here is raised as Litestar's HTTP exception and answered by its exception handler outside
this middleware; the metrics and the access line record the refusal's status.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any, Final
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
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware, get_remote_address
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from finsam_service.access import Caller, caller_of, token_digest
from finsam_service.observability import RequestMetrics, log_access, offered_request_id
from finsam_service.settings import Settings

__all__ = ["DEFAULT_MAX_BODY", "WRITE_METHODS", "EdgeMiddleware", "rate_limits", "token_id"]

DEFAULT_MAX_BODY: Final = 256 * 1024
"""Bytes in a request body unless a route says otherwise: a budget of a thousand lines fits."""
WRITE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CONTROL: Final = re.compile(rb"[\x00-\x1f\x7f]")
_CONTROL_TEXT: Final = re.compile(r"[\x00-\x1f\x7f]")
_FAILURES_STORE: Final = "finsam_auth_failures"
_NOT_MEASURED: Final = frozenset({"/metrics"})
"""Routes the metrics leave out (the scrape itself), as Litestar's ``PrometheusConfig(exclude=...)`` did."""


def token_id(scope: Scope) -> str | None:
    """The id of the token the request carried (12 hex digits of its SHA-256), or None."""
    return _token_id(_header(scope, b"authorization"))


def _token_id(header: str | None) -> str | None:
    if header is None:
        return None
    _, _, token = header.partition(" ")
    return token_digest(token.strip())[:12] if token.strip() else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class _Headers:
    """The request headers the edge reads, found in one pass."""

    __slots__ = ("authorization", "content_length", "request_id", "transfer_encoding")

    def __init__(self, headers: Iterable[tuple[bytes, bytes]]) -> None:
        self.authorization: str | None = None
        self.content_length: str | None = None
        self.request_id: bytes | None = None
        self.transfer_encoding = False
        for key, value in headers:
            name = key.lower()
            if name == b"authorization":
                self.authorization = bytes(value).decode("latin-1")
            elif name == b"content-length":
                self.content_length = bytes(value).decode("latin-1")
            elif name == b"x-request-id":
                self.request_id = bytes(value)
            elif name == b"transfer-encoding":
                self.transfer_encoding = True


class _BodyTooLarge(Exception):
    pass


class EdgeMiddleware:
    """Refuse what is malformed, unauthenticated, too large or too frequent before anything else runs;
    give each request its id, its metrics and its access line."""

    def __init__(self, settings: Settings) -> None:
        self._limits = _Limits(settings)
        self._metrics = RequestMetrics.shared()

    def __call__(self, app: ASGIApp) -> ASGIApp:
        """Litestar's middleware protocol: the middleware around ``app`` (a route's handler stack)."""
        return _Edge(app, self._limits, self._metrics)


class _Edge:
    __slots__ = ("app", "limits", "metrics")

    def __init__(self, app: ASGIApp, limits: _Limits, metrics: RequestMetrics) -> None:
        self.app = app
        self.limits = limits
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = _Headers(scope["headers"])
        request_id = offered_request_id(headers.request_id)
        # Bound for the rest of the request's task, not only this middleware's call: Litestar's
        # exception handlers run outside it and the problem they write names the request too.
        # The next request (its own task under uvicorn) binds its own id.
        structlog.contextvars.bind_contextvars(request_id=request_id)
        echoed = (b"x-request-id", request_id.encode("latin-1"))
        method: str = scope["method"]
        route: str = scope.get("path_template", "?")
        in_progress = None if route in _NOT_MEASURED else self.metrics.started(method, route)
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        try:
            await self._guard(scope, receive, send_noting_status, headers, method)
        except HTTPException as exc:  # answered by the exception handler outside this middleware
            status = exc.status_code
            raise
        finally:
            seconds = time.perf_counter() - started
            if in_progress is not None:
                in_progress.dec()
                self.metrics.ended(method, route, status, seconds)
            log_access(method, route, status, round(seconds * 1000, 2), _token_id(headers.authorization), request_id)

    async def _guard(self, scope: Scope, receive: Receive, send: Send, headers: _Headers, method: str) -> None:
        query: bytes = scope.get("query_string", b"")
        if _CONTROL_TEXT.search(scope["path"]) or (
            query and _CONTROL.search(unquote_to_bytes(query.replace(b"+", b" ")))
        ):
            raise ClientException(
                detail="Adressen innehåller ett styrtecken (till exempel %00), som aldrig förekommer i "
                "finsams adresser; kontrollera länken."
            )
        handler = scope["route_handler"]
        request: Request[Any, Any, Any] | None = None
        if headers.authorization is not None:
            request = scope["litestar_app"].request_class(scope)
            await _authenticate(request, scope["litestar_app"].state.settings)
        elif method in WRITE_METHODS and not handler.opt.get("sign_in"):
            # The pages' sign-in form is the one write that comes without a token: it brings one.
            raise NotAuthorizedException("Den här åtgärden kräver en API-nyckel (Authorization: Bearer).")

        limits = self.limits.of(method, handler)
        if limits:
            request = request or scope["litestar_app"].request_class(scope)
            for rate_limit in limits:
                await rate_limit.check(request)

        if headers.content_length is None and not headers.transfer_encoding:
            # No body (HTTP/1.1: neither a length nor chunks): nothing to count.
            await self.app(scope, receive, send)
            return
        resolve = getattr(handler, "resolve_request_max_body_size", None)
        limit = (resolve() if resolve is not None else None) or DEFAULT_MAX_BODY
        length = headers.content_length
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
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            raise RequestEntityTooLarge(detail=f"Begäran är för stor: högst {limit} byte är tillåtna här.") from None


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
    """Litestar's rate limit (its store, key and window), answering 429 with ``Retry-After`` and a Swedish
    problem detail. Checked by :class:`EdgeMiddleware` on the requests it concerns, not a middleware
    layer of its own."""

    async def check(self, request: Request[Any, Any, Any]) -> None:
        store = self.config.get_store_from_app(request.app)
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


def _by_token(request: Request[Any, Any, Any]) -> str:
    return token_id(request.scope) or get_remote_address(request)


def rate_limits(settings: Settings) -> dict[str, list[RateLimitConfig]]:
    """The rate limits by the requests they concern: ``write`` (per token, and twice as many per address)
    and ``expensive`` (public reads of routes marked ``opt={"expensive": True}``, per address)."""
    writes: list[RateLimitConfig] = []
    if settings.writes_per_minute:
        writes.append(
            RateLimitConfig(
                rate_limit=("minute", settings.writes_per_minute),
                identifier_for_request=_by_token,
                middleware_class=_RateLimit,
                store="finsam_rate_writes_token",
            )
        )
        writes.append(
            RateLimitConfig(
                rate_limit=("minute", settings.writes_per_minute * 2),
                middleware_class=_RateLimit,
                store="finsam_rate_writes_address",
            )
        )
    expensive: list[RateLimitConfig] = []
    if settings.expensive_reads_per_minute:
        expensive.append(
            RateLimitConfig(
                rate_limit=("minute", settings.expensive_reads_per_minute),
                middleware_class=_RateLimit,
                store="finsam_rate_expensive_reads",
            )
        )
    return {"write": writes, "expensive": expensive}


class _Limits:
    """Which rate limits a request is checked against: none for most reads, so most reads pay nothing."""

    def __init__(self, settings: Settings) -> None:
        configs = rate_limits(settings)
        self.write = [_RateLimit(None, config) for config in configs["write"]]  # type: ignore[arg-type]
        self.expensive = [_RateLimit(None, config) for config in configs["expensive"]]  # type: ignore[arg-type]

    def of(self, method: str, handler: Any) -> list[_RateLimit]:
        if method in WRITE_METHODS:
            return self.write
        if method == "GET" and self.expensive and handler.opt.get("expensive"):
            return self.expensive
        return []
