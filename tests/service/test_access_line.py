"""The access line and the log stream (finsam_service.observability): the line rendered directly is the
line structlog's processors make, and the stream writes each event-loop turn's lines once, losing none."""

from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from finsam_service.observability import LogLines, _LinesFactory, _logging_config, log_access


@pytest.fixture
def our_logging() -> Iterator[LogLines]:
    """structlog set up as the service sets it up (the plugin's processors), over an in-memory stream."""
    saved = structlog.get_config()
    config = _logging_config()
    lines = LogLines(io.BytesIO())
    structlog.configure(
        processors=config.processors,
        logger_factory=_LinesFactory(lines, config.processors),  # type: ignore[arg-type]
        wrapper_class=config.wrapper_class,
        cache_logger_on_first_use=False,
    )
    try:
        yield lines
    finally:
        structlog.configure(**saved)


def _written(lines: LogLines) -> list[dict[str, Any]]:
    lines.drain()
    out = lines._out
    assert isinstance(out, io.BytesIO)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_access_line_rendered_directly_is_the_line_structlogs_processors_make(our_logging: LogLines) -> None:
    structlog.contextvars.bind_contextvars(request_id="req-1")
    try:
        log_access("GET", "/v1/forbund/{org_nr}", 200, 1.25, "0123456789ab", "req-1")
        structlog.get_logger("finsam.access").info(
            "request", method="GET", route="/v1/forbund/{org_nr}", status=200, duration_ms=1.25, token="0123456789ab"
        )
    finally:
        structlog.contextvars.unbind_contextvars("request_id")
    direct, processed = _written(our_logging)
    assert list(direct) == list(processed)  # the same keys in the same order
    for line in (direct, processed):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", line.pop("timestamp"))
    assert direct == processed
    assert direct == {
        "method": "GET",
        "route": "/v1/forbund/{org_nr}",
        "status": 200,
        "duration_ms": 1.25,
        "token": "0123456789ab",
        "event": "request",
        "request_id": "req-1",
        "level": "info",
    }


def test_under_another_logging_set_up_the_access_line_goes_through_structlog() -> None:
    with structlog.testing.capture_logs() as captured:
        log_access("POST", "/v1/forbund", 401, 0.5, None, "req-2")
    assert captured == [
        {"method": "POST", "route": "/v1/forbund", "status": 401, "duration_ms": 0.5, "token": None}
        | {"event": "request", "log_level": "info"}
    ]


async def test_a_turn_of_the_event_loop_writes_its_lines_once_in_order() -> None:
    out = io.BytesIO()
    lines = LogLines(out)
    for n in range(3):
        lines.write(b"%d\n" % n)
        lines.flush()
    assert out.getvalue() == b""  # held until the turn ends
    await asyncio.sleep(0)
    assert out.getvalue() == b"0\n1\n2\n"
    lines.write(b"3\n")
    lines.flush()
    await asyncio.sleep(0)
    assert out.getvalue() == b"0\n1\n2\n3\n"


def test_outside_an_event_loop_a_line_is_written_at_once() -> None:
    out = io.BytesIO()
    lines = LogLines(out)
    lines.write(b"now\n")
    lines.flush()
    assert out.getvalue() == b"now\n"


def test_lines_still_held_when_the_process_exits_are_written() -> None:
    """The loop stops before the turn's write runs: the lines are written at exit."""
    script = (
        "import asyncio, sys\n"
        "from finsam_service.observability import LogLines\n"
        "lines = LogLines(sys.stderr.buffer)\n"
        "loop = asyncio.new_event_loop()\n"
        "def last():\n"
        "    lines.write(b'last line\\n'); lines.flush(); loop.stop()\n"
        "loop.call_soon(last)\n"
        "loop.run_forever()\n"
        "assert lines._lines, 'the write should still be pending here'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, check=True)
    assert result.stderr == b"last line\n"
