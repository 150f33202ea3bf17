"""The service as an operator runs it: every line it logs is one JSON object on stderr."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_every_log_line_of_a_running_service_is_one_json_object(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "FINSAM_DATABASE_URL": database_url, "FINSAM_PORT": str(port)}
    stderr_path = tmp_path / "stderr.log"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "finsam_service.cli", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, stderr_path.read_text()
                time.sleep(0.2)
            assert httpx.get(f"{base}/docs/openapi.json").status_code == 200
            assert httpx.get(f"{base}/v1/forbund/222000-1883").status_code == 404
            assert (
                httpx.post(f"{base}/v1/forbund", content=b"{}", headers={"authorization": "Bearer x"}).status_code
                == 401
            )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    lines = [line for line in stderr_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = []
    for line in lines:
        if line.startswith("# finsam:"):  # the command's own note on the store it uses
            continue
        records.append(json.loads(line))  # every other line must be JSON
        assert len(line) < 5_000, line[:200]
    events = [r.get("event", "") for r in records]
    assert any("Uvicorn running" in e or "Application startup complete" in e for e in events), events
    access = [r for r in records if r.get("event") == "request"]
    assert {(r["route"], r["status"]) for r in access} >= {("/docs/openapi.json", 200), ("/v1/forbund", 401)}
