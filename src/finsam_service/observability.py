"""Operations: a request id on every log line, JSON logs, Prometheus metrics at ``/metrics`` (token needed).

What each request costs here is measured (issue 16, ``bench/profile_service.py``): the request id, the
metrics and the access line are recorded by :class:`~finsam_service.edge.EdgeMiddleware` in one pass,
with the pieces this module provides:

* :func:`new_request_id` and :func:`offered_request_id`: the id bound for structlog (Litestar's structlog
  plugin merges structlog's context variables into every line) and echoed as ``X-Request-ID``. A
  client's own ``X-Request-ID`` is kept when it looks sane, so one id follows a request through a proxy
  and into our logs.
* :class:`RequestMetrics`: ``finsam_requests_total``, ``finsam_request_duration_seconds``,
  ``finsam_requests_in_progress`` and ``finsam_requests_error_total`` by method, route template and
  status (the names and labels of Litestar's Prometheus middleware), each label set looked up once.
* :func:`log_access`: the access line, rendered directly when the logging set-up in force is ours
  (the same JSON object structlog's processors would make), through structlog otherwise.
* :class:`LogLines`: every JSON line of the process is written to stderr at the end of the event
  loop's current turn, all lines of the turn in one write (not one unbuffered write per line), and at
  exit.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime
import itertools
import re
import sys
import threading
from typing import IO, Any, Final
from uuid import uuid4

import msgspec
import structlog
from litestar.logging.config import (
    LoggingConfig,
    StructLoggingConfig,
    default_structlog_processors,
    default_structlog_standard_lib_processors,
)
from litestar.plugins.prometheus import PrometheusController
from litestar.plugins.structlog import StructlogConfig, StructlogPlugin
from prometheus_client import Counter, Gauge, Histogram

from finsam_service.guards import metrics_reader

__all__ = [
    "LogLines",
    "MetricsController",
    "RequestMetrics",
    "log_access",
    "new_request_id",
    "offered_request_id",
    "structlog_plugin",
]

_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_PROCESS = uuid4().hex[:16]
_COUNTER = itertools.count(1)


def new_request_id() -> str:
    """A request id unique to this process and request: a random prefix per process, then a counter.

    Cheaper than a UUID per request (no system call); ids are for following a request, not secrets.
    """
    return f"{_PROCESS}{next(_COUNTER):016x}"


def offered_request_id(header: bytes | None) -> str:
    """The client's ``X-Request-ID`` when it is sane (at most 128 of ``[A-Za-z0-9._:-]``), else a new id."""
    if header is not None:
        offered = header.decode("latin-1")
        if _SANE_ID.fullmatch(offered):
            return offered
    return new_request_id()


class LogLines:
    """A binary stream for log lines that writes what a turn of the event loop logged in one write.

    ``flush`` (structlog's ``BytesLogger`` calls it after every line) schedules the write at the end
    of the running loop's current turn: the lines reach stderr within the turn that logged them, in
    the order they were logged, one system call for all of them. Outside a running loop (a thread,
    start-up, a command) it writes at once. What is left at exit is written then.
    """

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._lines: list[bytes] = []
        self._lock = threading.Lock()
        self._scheduled: asyncio.AbstractEventLoop | None = None
        atexit.register(self.drain)

    def write(self, data: bytes) -> int:
        with self._lock:
            self._lines.append(data)
        return len(data)

    def flush(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.drain()
            return
        if self._scheduled is not loop:  # not yet scheduled in this loop (or scheduled in one that ended)
            self._scheduled = loop
            loop.call_soon(self.drain)

    def drain(self) -> None:
        """Write every line held, now."""
        with self._lock:
            lines, self._lines = self._lines, []
            self._scheduled = None
        if lines:
            try:
                self._out.write(b"".join(lines))
                self._out.flush()
            except (OSError, ValueError):  # stderr closed at exit: nothing left to write to
                pass


class _LinesFactory(structlog.BytesLoggerFactory):
    """structlog's ``BytesLoggerFactory`` over :class:`LogLines`, with its processors (see :func:`log_access`)."""

    __slots__ = ("lines", "processors")

    def __init__(self, lines: LogLines, processors: list[Any]) -> None:
        super().__init__(lines)  # type: ignore[arg-type]
        self.lines = lines
        # A copy: structlog's capture_logs() swaps the processors of the list in force in place.
        self.processors = tuple(processors)


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
        logger_factory=_LinesFactory(LogLines(sys.stderr.buffer), processors),
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

    The access line per request is :func:`log_access`'s and holds no body.
    Litestar's own request/response logging (which logs bodies) runs only with ``log_bodies``, a
    developer's setting that :class:`~finsam_service.settings.Settings` refuses in production.
    """
    return StructlogPlugin(
        StructlogConfig(
            structlog_logging_config=_logging_config(),
            enable_middleware_logging=log_bodies,
        )
    )


_UTC: Final = datetime.UTC
_ACCESS_ENCODER = msgspec.json.Encoder()


def log_access(method: str, route: str, status: int, duration_ms: float, token: str | None, request_id: str) -> None:
    """The access line of one request: ``event: request`` with method, route template, status, duration,
    token id and request id (docs/operations.md). Never a body, a query or a header value.

    With the logging set-up of :func:`structlog_plugin` in force, the line is rendered here: the same
    JSON object, key for key, that its processors would make (context variables, level, UTC
    timestamp), for a few microseconds instead of a pass through every processor. Under any other
    set-up (a test capturing logs, a developer's console) it goes through structlog.
    """
    config = structlog.get_config()
    factory = config["logger_factory"]
    if isinstance(factory, _LinesFactory) and tuple(config["processors"]) == factory.processors:
        line = {
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
            "token": token,
            "event": "request",
            "request_id": request_id,
            "level": "info",
            "timestamp": datetime.datetime.now(_UTC).isoformat().replace("+00:00", "Z"),
        }
        factory.lines.write(_ACCESS_ENCODER.encode(line) + b"\n")
        factory.lines.flush()
        return
    # A logger per line, not one cached at import: it follows the logging set-up in force.
    structlog.get_logger("finsam.access").info(
        "request", method=method, route=route, status=status, duration_ms=duration_ms, token=token
    )


class RequestMetrics:
    """Request counts, durations and requests in progress, by method, route template and status.

    The metrics (and their names, labels and help texts) are those Litestar's Prometheus middleware
    records with ``prefix="finsam"``, ``app_name="finsam"`` and ``group_path=True``; they are created
    once per process, and each label set's child is looked up once, not on every request.
    """

    _shared: RequestMetrics | None = None

    def __init__(self) -> None:
        labels = ["method", "path", "status_code", "app_name"]
        self._count = Counter("finsam_requests_total", "Total requests", labels)
        self._time = Histogram("finsam_request_duration_seconds", "Request duration, in seconds", labels)
        self._progress = Gauge(
            "finsam_requests_in_progress", "Total requests currently in progress", labels, multiprocess_mode="livesum"
        )
        self._errors = Counter("finsam_requests_error_total", "Total errors in requests", labels)
        self._started: dict[tuple[str, str], Gauge] = {}
        self._ended: dict[tuple[str, str, int], tuple[Counter, Histogram, Counter | None]] = {}

    @classmethod
    def shared(cls) -> RequestMetrics:
        """The process's metrics (Prometheus' registry is the process's too)."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def started(self, method: str, route: str) -> Gauge:
        """Count a request in progress; the gauge to decrement when it ends."""
        gauge = self._started.get((method, route))
        if gauge is None:
            # In progress carries status 200, as Litestar's middleware has it.
            gauge = self._started[(method, route)] = self._progress.labels(method, route, 200, "finsam")
        gauge.inc()
        return gauge

    def ended(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._ended.get(key)
        if children is None:
            values = (method, route, status, "finsam")
            error = self._errors.labels(*values) if status >= 500 else None
            children = self._ended[key] = (self._count.labels(*values), self._time.labels(*values), error)
        count, duration, error = children
        count.inc()
        duration.observe(seconds)
        if error is not None:
            error.inc()


class MetricsController(PrometheusController):
    """``GET /metrics`` in Prometheus' text format, for a ``metrics`` (or ``admin``) token only."""

    path = "/metrics"
    include_in_schema = False
    guards = [metrics_reader]  # noqa: RUF012 (Litestar reads the class attribute)
