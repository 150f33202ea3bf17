"""Operations: a request id on every log line, JSON logs, Prometheus metrics at ``/metrics`` (token needed).

Litestar's structlog plugin merges structlog's context variables into every line; the
:class:`RequestIdMiddleware` (outermost) binds ``request_id`` there for the request's lifetime and
echoes it as ``X-Request-ID``. A client's own ``X-Request-ID`` is kept when it looks sane, so one id
follows a request through a proxy and into our logs.
"""

from __future__ import annotations

import itertools
import re
import sys
from typing import Any
from uuid import uuid4

import msgspec
import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.logging.config import (
    LoggingConfig,
    StructLoggingConfig,
    default_structlog_processors,
    default_structlog_standard_lib_processors,
)
from litestar.middleware import ASGIMiddleware
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.plugins.structlog import StructlogConfig, StructlogPlugin
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from finsam_service.guards import metrics_reader

__all__ = ["MetricsController", "RequestIdMiddleware", "prometheus_config", "structlog_plugin"]

_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


_PROCESS = uuid4().hex[:16]
_COUNTER = itertools.count(1)


def _next_request_id() -> str:
    """A request id unique to this process and request: a random prefix per process, then a counter.

    Cheaper than a UUID per request (no system call); ids are for following a request, not secrets.
    """
    return f"{_PROCESS}{next(_COUNTER):016x}"


class RequestIdMiddleware(ASGIMiddleware):
    """Bind ``request_id`` for structlog and answer it as ``X-Request-ID``."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        offered = next((bytes(v).decode("latin-1") for k, v in scope["headers"] if k.lower() == b"x-request-id"), "")
        request_id = offered if _SANE_ID.fullmatch(offered) else _next_request_id()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)["X-Request-ID"] = request_id
            await send(message)

        # Bound for the rest of the request's task, not only this middleware's call: Litestar's
        # exception handlers run outside it and the problem they write names the request too.
        # The next request (its own task under uvicorn) binds its own id.
        structlog.contextvars.bind_contextvars(request_id=request_id)
        await next_app(scope, receive, send_with_id)


_ENCODER = msgspec.json.Encoder(enc_hook=repr)
"""JSON for log lines; a value no encoder knows (an asyncpg pool in a library's warning) becomes its repr."""
# One line each, whatever a library logs: asyncpg's pool warnings used to break the stream with
# "TypeError: Unsupported type" from the stock serializer.


def _json_bytes(value: Any, **_: Any) -> bytes:
    return _ENCODER.encode(value)


def _json_text(value: Any, **_: Any) -> str:
    return _ENCODER.encode(value).decode("utf-8")


def _logging_config() -> StructLoggingConfig:
    """Litestar's JSON set-up, with a serializer that cannot fail; uvicorn's loggers in the same stream."""
    processors = default_structlog_processors(as_json=True)
    processors[-1] = structlog.processors.JSONRenderer(serializer=_json_bytes)
    stdlib = default_structlog_standard_lib_processors(as_json=True)
    stdlib[-1] = structlog.processors.JSONRenderer(serializer=_json_text)
    return StructLoggingConfig(
        pretty_print_tty=False,
        processors=processors,
        # Every log line on stderr, structlog's and the standard library's alike: one JSON stream,
        # while stdout keeps what the command prints for its user (the URLs, the demo token).
        logger_factory=structlog.BytesLoggerFactory(sys.stderr.buffer),
        standard_lib_logging_config=LoggingConfig(
            formatters={"standard": {"()": structlog.stdlib.ProcessorFormatter, "processors": stdlib}},
            loggers={
                "uvicorn": {"level": "INFO", "handlers": ["queue_listener"], "propagate": False},
                "uvicorn.error": {"level": "INFO", "handlers": ["queue_listener"], "propagate": False},
                "uvicorn.access": {"level": "WARNING", "handlers": ["queue_listener"], "propagate": False},
            },
        ),
    )


def structlog_plugin(*, log_bodies: bool = False) -> StructlogPlugin:
    """JSON lines always (also on a terminal), with the request id.

    The access line per request is :class:`~finsam_service.edge.EdgeMiddleware`'s and holds no body.
    Litestar's own request/response logging (which logs bodies) runs only with ``log_bodies``, a
    developer's setting that :class:`~finsam_service.settings.Settings` refuses in production.
    """
    return StructlogPlugin(
        StructlogConfig(
            structlog_logging_config=_logging_config(),
            enable_middleware_logging=log_bodies,
        )
    )


def prometheus_config() -> PrometheusConfig:
    """Request counts and durations per route (the path template, so the label set stays small)."""
    return PrometheusConfig(app_name="finsam", prefix="finsam", group_path=True, exclude=["/metrics"])


class MetricsController(PrometheusController):
    """``GET /metrics`` in Prometheus' text format, for a ``metrics`` (or ``admin``) token only."""

    path = "/metrics"
    include_in_schema = False
    guards = [metrics_reader]  # noqa: RUF012 (Litestar reads the class attribute)
