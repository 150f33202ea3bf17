"""``finsam-serve serve`` on its embedded PostgreSQL: a server that dies is restarted; one that cannot be is fatal.

Real processes: the service as ``make run`` starts it, its embedded server, ``kill -9`` of the
postmaster, and the removal of the data folder, as an operator's bad day would have it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(predicate: object, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{what} within {seconds} s; stderr:\n{log.read_text(errors='replace')[-3000:]}")


def postmaster_pid(data: Path) -> int:
    return int((data / "postmaster.pid").read_text().splitlines()[0])


@pytest.fixture
def server_dir() -> Iterator[Path]:
    """Not under pytest's basetemp (mode 0700), which the server's own system user cannot enter (see conftest)."""
    parent = Path(tempfile.mkdtemp(prefix="finsam-supervised-"))
    yield parent
    shutil.rmtree(parent, ignore_errors=True)


def test_a_killed_embedded_server_is_restarted_and_a_removed_one_stops_the_service(server_dir: Path) -> None:
    data, port, log = server_dir / "postgres", free_port(), server_dir / "stderr.log"
    env = {k: v for k, v in os.environ.items() if k != "FINSAM_DATABASE_URL"}
    env.update({"FINSAM_DATA_DIR": str(data), "FINSAM_PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    pids: list[int] = []
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "finsam_service.cli", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            wait_until(lambda: httpx.get(f"{base}/ready", timeout=2).status_code == 200, 90, "ready", log)
            pids.append(postmaster_pid(data))
            os.kill(pids[-1], signal.SIGKILL)
            wait_until(lambda: "restarted (1)" in log.read_text(errors="replace"), 30, "a restart", log)
            wait_until(lambda: httpx.get(f"{base}/ready", timeout=2).status_code == 200, 30, "ready again", log)
            pids.append(postmaster_pid(data))
            assert pids[1] != pids[0]

            (data / "PG_VERSION").unlink()  # the data folder is no longer a cluster
            os.kill(pids[-1], signal.SIGKILL)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    text = log.read_text(errors="replace")
    assert process.returncode == 1, text[-2000:]
    [verdict] = [line for line in text.splitlines() if "cannot run" in line]
    assert str(data) in verdict and "återställ" in verdict
    for line in text.splitlines():  # no raw traceback: every other line is a JSON log record
        if line.strip() and not line.startswith(("# finsam", "finsam:")):
            json.loads(line)
