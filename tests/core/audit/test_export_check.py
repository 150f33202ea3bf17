"""``verify --export`` is as thorough as the store's verification, and never shows a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.export import export_audit, verify_export
from finsam_core.audit.verify import verify_store
from finsam_core.cli import main
from finsam_core.formats import import_paths

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
SEEDED_FORBUND = (testing.KARLSKOGA_DEGERFORS, testing.KRAMFORS, testing.ORNSKOLDSVIK)


@pytest.fixture
def seeded(tmp_path: Path) -> Finsam:
    app = Finsam(store_url=f"sqlite:///{(tmp_path / 'seeds.sqlite').as_posix().lstrip('/')}")
    assert all(result.ok for result in import_paths(app, [SEEDS]))
    return app


def test_the_exports_of_the_seed_dataset_check_as_many_minutes_signatures_as_the_store(
    seeded: Finsam, tmp_path: Path
) -> None:
    in_store = verify_store(seeded)
    assert in_store.ok and in_store.minutes_signatures_checked > 0
    in_exports = 0
    for org_nr in SEEDED_FORBUND:
        out = tmp_path / f"{org_nr}.jsonl"
        with out.open("w", encoding="utf-8") as file:
            export_audit(seeded, org_nr, file)
        report = verify_export(out)
        assert report.ok, report.summary()
        in_exports += report.minutes_signatures_checked
    assert in_exports == in_store.minutes_signatures_checked


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    app = Finsam(store_url=f"sqlite:///{(tmp_path / 's.sqlite').as_posix().lstrip('/')}")
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    out = tmp_path / "export.jsonl"
    with out.open("w", encoding="utf-8") as file:
        export_audit(app, testing.ORNSKOLDSVIK, file)
    return out


def test_an_export_checks_the_three_minutes_signatures(exported: Path) -> None:
    report = verify_export(exported)
    assert report.ok and report.minutes_signatures_checked == 3


def _rewrite(path: Path, target: Path, change: object) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(change(i, line) for i, line in enumerate(lines)), encoding="utf-8")  # type: ignore[operator]
    return target


def _event_index(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if json.loads(line)["kind"] == "event")


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("not-json", lambda line: "{inte json\n"),
        ("an-array", lambda line: "[1, 2]\n"),
        ("no-position", lambda line: json.dumps({k: v for k, v in json.loads(line).items() if k != "position"}) + "\n"),
        ("position-as-text", lambda line: json.dumps({**json.loads(line), "position": "fyra"}) + "\n"),
        ("state-as-number", lambda line: json.dumps({**json.loads(line), "state": 7}) + "\n"),
        ("stream-not-a-uuid", lambda line: json.dumps({**json.loads(line), "stream": "x"}) + "\n"),
        ("unknown-kind", lambda line: json.dumps({**json.loads(line), "kind": "annat"}) + "\n"),
    ],
)
def test_a_malformed_line_is_named_with_exit_one_and_no_traceback(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, edit: object
) -> None:
    index = _event_index(exported)
    forged = _rewrite(exported, tmp_path / f"{name}.jsonl", lambda i, line: edit(line) if i == index else line)  # type: ignore[operator]
    assert main(["verify", "--export", str(forged)]) == 1
    captured = capsys.readouterr()
    assert f"rad {index + 1}:" in captured.err and "Traceback" not in captured.err
    assert captured.err.count("\n") == 2  # The summary and the first problem.


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.jsonl", b""),
        ("binary.jsonl", b"\xff\xfe\x00garbage\n"),
        ("no-header.jsonl", b'{"kind":"event","position":1}\n'),
        ("csv.jsonl", b"position,hash\n1,abc\n"),
    ],
)
def test_a_file_that_is_no_export_is_one_sentence_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["verify", "--export", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finsam: ") and err.count("\n") == 1


@pytest.mark.parametrize("where", ["missing", "directory"])
def test_an_export_that_cannot_be_read_is_one_sentence_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    path = tmp_path / "missing.jsonl" if where == "missing" else tmp_path
    assert main(["verify", "--export", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finsam: Exportfilen") and err.count("\n") == 1


def test_a_malformed_public_key_is_one_sentence_and_exit_two(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--export", str(exported), "--public-key", "inte-en-nyckel"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finsam: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["replay", "--forbund", testing.ORNSKOLDSVIK, "--as-of", "i går"],
        ["replay", "--forbund", testing.ORNSKOLDSVIK, "--recorded-at", "12:00 i dag"],
        ["export", "--audit", "--forbund", testing.ORNSKOLDSVIK, "--out", "/finns/inte/x.jsonl"],
        ["export", "--audit", "--forbund", "123", "--out", "{tmp}/x.jsonl"],
    ],
)
def test_a_malformed_argument_is_one_sentence_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    store = f"sqlite:///{(tmp_path / 'a.sqlite').as_posix().lstrip('/')}"
    testing.register_ornskoldsvik(Finsam(store_url=store))
    assert main(["--store", store, *(arg.replace("{tmp}", str(tmp_path)) for arg in args)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finsam: ") and err.count("\n") == 1
