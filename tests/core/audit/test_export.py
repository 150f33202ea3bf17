"""The auditor's export verifies on its own, and any edit to it is caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.export import export_audit, verify_export
from finsam_core.audit.keys import load_or_create_signing_key, public_key_hex


@pytest.fixture
def exported(tmp_path: Path, signing_key: Path) -> Path:
    app = Finsam(store_url=f"sqlite:///{(tmp_path / 's.sqlite').as_posix().lstrip('/')}")
    testing.register_kramfors(app)
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    out = tmp_path / "export.jsonl"
    with out.open("w", encoding="utf-8") as file:
        assert export_audit(app, testing.ORNSKOLDSVIK, file) == 48
    return out


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_export_verifies_with_the_public_key_alone(exported: Path, signing_key: Path) -> None:
    public = public_key_hex(load_or_create_signing_key(signing_key))
    report = verify_export(exported, public)
    assert report.ok, report.summary()
    assert report.events == 48 and report.streams == 3


def test_an_export_holds_only_the_forbunds_events_and_leaves_for_others(exported: Path) -> None:
    lines = _lines(exported)
    kinds = {line["kind"] for line in lines}
    assert kinds == {"header", "event", "checkpoint", "seal"}  # Kramfors was registered in a write of its own.
    assert {line["payload"].get("org_nr") for line in lines if line["kind"] == "event" and line["version"] == 1} <= {
        testing.ORNSKOLDSVIK,
        None,
    }
    meeting_events = [line for line in lines if line["kind"] == "event" and "Meeting" in line["topic"]]
    assert {line["domain_date"] for line in meeting_events} == {"2024-05-30", "2024-06-10", "2024-06-11"}


def test_an_edited_payload_in_the_export_is_caught(exported: Path, tmp_path: Path) -> None:
    lines = _lines(exported)
    target = next(line for line in lines if line["kind"] == "event" and line["version"] > 3)
    target["state"] = target["state"].replace('"', '"', 1).replace("{", '{"x":1,', 1)
    target["payload"] = json.loads(target["state"])
    forged = tmp_path / "forged.jsonl"
    forged.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = verify_export(forged)
    assert not report.ok
    assert report.problems[0].position == target["position"]


def test_a_dropped_line_in_the_export_is_caught(exported: Path, tmp_path: Path) -> None:
    lines = _lines(exported)
    index = next(i for i, line in enumerate(lines) if line["kind"] == "event" and line["version"] == 5)
    forged = tmp_path / "dropped.jsonl"
    forged.write_text("".join(json.dumps(line) + "\n" for i, line in enumerate(lines) if i != index), encoding="utf-8")
    assert not verify_export(forged).ok


def test_an_export_checked_with_another_key_fails(exported: Path, tmp_path: Path) -> None:
    other = public_key_hex(load_or_create_signing_key(tmp_path / "other.pem"))
    report = verify_export(exported, other)
    assert not report.ok and "signatur" in report.problems[0].what
