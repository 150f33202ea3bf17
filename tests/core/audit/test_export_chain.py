"""The auditors' export through the förbund's own chain (format 2): it verifies on its own, holds
exactly the förbund's part of the whole-log export, and every edit or omission is caught."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.chain import CHAIN_RECORD
from finsam_core.audit.export import FORMAT, FORMAT_CHAIN, export_audit, verify_export
from finsam_core.audit.export_check import SEAL_DOMAIN
from finsam_core.audit.keys import key_id, load_or_create_signing_key
from finsam_core.domain.forbund import forbund_id

ORNSKOLDSVIK, KRAMFORS = testing.ORNSKOLDSVIK, testing.KRAMFORS


@pytest.fixture
def two(two: Finsam) -> Finsam:
    """The audit tests' two förbund (conftest), and a second Kramfors meeting after Örnsköldsvik's."""
    two.convene_meeting(KRAMFORS, "2024-09-20", date(2024, 9, 20), "Kramfors")
    return two


def _export(app: Finsam, org_nr: str, path: Path, *, whole_log: bool = False) -> list[dict[str, Any]]:
    out = io.StringIO()
    export_audit(app, org_nr, out, whole_log=whole_log)
    path.write_text(out.getvalue(), encoding="utf-8")
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _write(path: Path, lines: list[dict[str, Any]], signing_key: Path) -> Path:
    """The lines sealed anew with the store's own key: what only the key's holder can do, so that
    the checks below are shown to hold without the seal's help."""
    key = load_or_create_signing_key(signing_key)
    body = [
        json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n" for line in lines if line["kind"] != "seal"
    ]
    digest = hashlib.sha256("".join(body).encode("utf-8")).digest()
    seal = {
        "kind": "seal",
        "lines": len(body),
        "sha256": digest.hex(),
        "signature": key.sign(SEAL_DOMAIN + digest).hex(),
        "key_id": key_id(key),
    }
    path.write_text("".join(body) + json.dumps(seal) + "\n", encoding="utf-8")
    return path


def test_the_forbunds_export_is_its_part_of_the_whole_export_and_verifies(two: Finsam, tmp_path: Path) -> None:
    whole_report = None
    for org_nr in (ORNSKOLDSVIK, KRAMFORS):
        chain = _export(two, org_nr, tmp_path / f"{org_nr}-chain.jsonl")
        whole = _export(two, org_nr, tmp_path / f"{org_nr}-whole.jsonl", whole_log=True)
        assert chain[0]["format"] == FORMAT_CHAIN and whole[0]["format"] == FORMAT
        assert {line["kind"] for line in chain} == {"header", "event", "checkpoint", "seal"}
        mine = [{k: v for k, v in line.items() if k != "link"} for line in chain if line["kind"] == "event"]
        theirs = [{k: v for k, v in line.items() if k != "hash"} for line in whole if line["kind"] == "event"]
        assert mine == theirs and mine  # the same events, field for field (the link instead of the log hash)
        record = forbund_id(org_nr).bytes
        checkpoints = [line for line in chain if line["kind"] == "checkpoint"]
        for line in checkpoints[:-1]:  # every checkpoint but the store's latest commits to the förbund's chain
            assert any(c == record for c, _, _ in CHAIN_RECORD.iter_unpack(bytes.fromhex(line["chains"])))
        assert chain[-2]["kind"] == "checkpoint" and chain[-2]["position"] == whole[-2]["position"]
        report = verify_export(tmp_path / f"{org_nr}-chain.jsonl")
        whole_report = verify_export(tmp_path / f"{org_nr}-whole.jsonl")
        assert report.ok, report.summary()
        assert whole_report.ok, whole_report.summary()
        assert (report.events, report.streams, report.minutes_signatures_checked) == (
            whole_report.events,
            whole_report.streams,
            whole_report.minutes_signatures_checked,
        )
    assert whole_report is not None


def _event_positions(lines: list[dict[str, Any]]) -> list[int]:
    return [i for i, line in enumerate(lines) if line["kind"] == "event"]


def test_the_forbunds_last_event_left_out_is_caught_by_its_checkpoint(
    two: Finsam, tmp_path: Path, signing_key: Path
) -> None:
    lines = _export(two, ORNSKOLDSVIK, tmp_path / "e.jsonl")
    last = _event_positions(lines)[-1]
    dropped = lines[last]
    forged = _write(tmp_path / "f.jsonl", lines[:last] + lines[last + 1 :], signing_key)
    problem = verify_export(forged).problems[0]
    assert problem.position == dropped["position"] and "saknas" in problem.what


def test_an_event_left_out_in_the_middle_breaks_the_chain(two: Finsam, tmp_path: Path, signing_key: Path) -> None:
    lines = _export(two, ORNSKOLDSVIK, tmp_path / "e.jsonl")
    index = _event_positions(lines)[5]
    after = lines[index + 1]
    forged = _write(tmp_path / "f.jsonl", lines[:index] + lines[index + 1 :], signing_key)
    problem = verify_export(forged).problems[0]
    assert problem.position == after.get("position") and ("saknas" in problem.what or "version" in problem.what)


def test_another_forbunds_event_put_into_the_export_is_refused(two: Finsam, tmp_path: Path, signing_key: Path) -> None:
    lines = _export(two, ORNSKOLDSVIK, tmp_path / "e.jsonl")
    stranger = next(
        line
        for line in _export(two, KRAMFORS, tmp_path / "k.jsonl")
        if line["kind"] == "event" and line["version"] == 1
    )
    index = next(i for i in _event_positions(lines) if lines[i]["position"] > stranger["position"])
    forged = _write(tmp_path / "f.jsonl", [*lines[:index], stranger, *lines[index:]], signing_key)
    problem = verify_export(forged).problems[0]
    assert problem.position == stranger["position"] and "hör inte till förbundet" in problem.what


def test_an_edited_link_is_caught(two: Finsam, tmp_path: Path, signing_key: Path) -> None:
    lines = _export(two, ORNSKOLDSVIK, tmp_path / "e.jsonl")
    index = _event_positions(lines)[3]
    lines[index]["link"] = "00" * 32
    problem = verify_export(_write(tmp_path / "f.jsonl", lines, signing_key)).problems[0]
    assert problem.position == lines[index]["position"]


def test_a_checkpoint_that_does_not_commit_to_the_chain_is_refused(
    two: Finsam, tmp_path: Path, signing_key: Path
) -> None:
    """The store's latest head (Kramfors' write) put where the förbund's events need their own."""
    lines = _export(two, ORNSKOLDSVIK, tmp_path / "e.jsonl")
    latest = lines[-2]
    assert latest["kind"] == "checkpoint"
    first = next(i for i, line in enumerate(lines) if line["kind"] == "checkpoint")
    forged = _write(tmp_path / "f.jsonl", [*lines[:first], *lines[-2:-1]], signing_key)
    problem = verify_export(forged).problems[0]
    assert "binder inte" in problem.what or "saknas" in problem.what


def test_a_store_that_does_not_verify_for_the_forbund_is_not_exported(two: Finsam, store_url: str) -> None:
    if store_url.startswith("memory:"):
        pytest.skip("the in-memory store has no rows to tamper with")
    from .conftest import RawStore

    raw = RawStore(store_url)
    try:
        position = max(p for (p,) in raw.execute("SELECT position FROM {events}_audit_links"))
        raw.execute("UPDATE {events} SET state = ? WHERE {pos} = ?", (b'{"forged":true}', position))
    finally:
        raw.close()
    from finsam_core.audit.export import AuditFailure

    with pytest.raises(AuditFailure):
        export_audit(Finsam(store_url=store_url), KRAMFORS, io.StringIO())
