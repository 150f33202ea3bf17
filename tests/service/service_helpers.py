"""What the service tests share: request bodies, problem assertions, the store's event count, and the service
as a real process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from finsam_core import testing

if TYPE_CHECKING:
    from conftest import Running

__all__ = ["assert_problem", "forbund_body", "free_port", "recorded", "serve_process", "wait_until"]


def forbund_body(org: str, name: str | None = None) -> dict[str, Any]:
    """A förbund with the four kinds of member the law asks for."""
    return {
        "org_nr": org,
        "name": name or f"Samordningsförbundet {org}",
        "founded_on": "2010-01-01",
        "members": [
            {"key": "FK", "name": "Försäkringskassan", "kind": "forsakringskassan"},
            {"key": "AF", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
            {"key": "R", "name": "Region X", "kind": "region"},
            {"key": "K", "name": "X kommun", "kind": "kommun"},
        ],
    }


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """``response`` is a problem+json document with ``status``; returns the document."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def recorded(service: Running) -> int:
    """How many events the service's store holds: a refused request must leave this unchanged."""
    return testing.events_recorded(service.services.app)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(predicate: Callable[[], bool], seconds: float, what: str, log: Path) -> None:
    """Poll ``predicate`` (connection errors count as not yet) until true, or fail naming ``what`` with the log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds} s; stderr:\n{log.read_text(errors='replace')[-3000:]}")


@contextmanager
def serve_process(
    env: dict[str, str], log: Path, *, ready: str = "/health"
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``finsam-serve serve`` as its own process with ``env`` added, its stderr in ``log``; yields its URL.

    The block runs once ``ready`` answers 200; afterwards the process gets Ctrl-C (SIGINT) and is waited for.
    """
    port = free_port()
    full = {**os.environ, "FINSAM_PORT": str(port), **env}
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "finsam_service.cli", "serve"], env=full, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            wait_until(lambda: httpx.get(f"{base}{ready}", timeout=2).status_code == 200, 90, f"{ready} 200", log)
            yield base, process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
