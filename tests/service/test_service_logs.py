"""The service as an operator runs it: every line it logs is one JSON object on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from service_helpers import serve_process

pytestmark = pytest.mark.postgres


def test_every_log_line_of_a_running_service_is_one_json_object(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    with serve_process({"FINSAM_DATABASE_URL": database_url}, log) as (base, _):
        assert httpx.get(f"{base}/docs/openapi.json").status_code == 200
        assert httpx.get(f"{base}/v1/forbund/222000-1883").status_code == 404
        assert httpx.post(f"{base}/v1/forbund", content=b"{}", headers={"authorization": "Bearer x"}).status_code == 401
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
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
