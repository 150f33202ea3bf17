"""``finsam`` as a user types it: every mistake is one Swedish sentence on stderr and exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_core.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


BAD_ARGUMENTS = [
    ["nosuch"],
    ["minutes"],
    ["minutes", "--forbund", "222000-1883"],
    ["minutes", "--forbund", "12-34", "--meeting", "x"],
    ["minutes", "--forbund", "222000-1883", "--meeting", "x"],
    ["import"],
    ["verify", "--known-head", "405:abc"],
    ["verify", "--known-head", "x"],
    ["verify", "--export", "/no/such/export.jsonl"],
    ["verify", "--public-key", "zz"],
    ["verify", "--forbund", "12345"],
    ["verify", "--forbund", "222000-1883"],  # no such förbund in the (empty) store: not an "OK"
    ["witness"],
    ["recount", "--forbund", "222000-1883", "--meeting", "x", "--paragraph", "x", "--rule", "simple"],
    ["recount", "--forbund", "222000-1883", "--meeting", "x", "--paragraph", "1", "--rule", "by-lot"],
    ["replay", "--forbund", "222000-1883", "--as-of", "2022-13-01"],
    ["replay", "--forbund", "222000-1883", "--recorded-at", "igår"],
    ["export", "--audit", "--forbund", "222000-1883"],
    ["export", "--audit", "--forbund", "222000-1883", "--out", "/no/such/dir/x.jsonl"],
    ["--store", "nosuch://x", "minutes", "--forbund", "222000-1883", "--meeting", "x"],
    ["minutes", "--forbund", "222000-1883", "--meeting", "x", "--store", "nosuch://x"],
    ["verify", "--store", "sqlite"],
    ["token", "revoke", "zz"],
    ["token", "create", "--role", "owner"],
    ["serve", "--port", "abc"],
]


@pytest.mark.parametrize("argv", BAD_ARGUMENTS, ids=" ".join)
def test_a_mistake_is_one_sentence_and_exit_2(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FINSAM_STORE", f"sqlite:///{(tmp_path / 'cli.sqlite').as_posix().lstrip('/')}")
    monkeypatch.delenv("FINSAM_DATABASE_URL", raising=False)
    code, out, err = run(argv, capsys)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("finsam")


def test_the_store_option_is_taken_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = f"sqlite:///{(tmp_path / 'either.sqlite').as_posix().lstrip('/')}"
    assert run(["--store", store, "demo"], capsys)[0] == 0
    before = run(["--store", store, "verify"], capsys)
    after = run(["verify", "--store", store], capsys)
    assert before[0] == after[0] == 0
    assert before[1] == after[1]


def test_help_lists_every_command_also_the_services(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for command in ("demo", "import", "minutes", "verify", "witness", "recount", "replay", "export"):
        assert f"    {command} " in out
    for command in ("serve", "project", "migrate", "token"):
        assert f"    {command} " in out


def test_a_service_setting_that_is_no_number_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FINSAM_PORT", "abc")
    code, _, err = run(["serve"], capsys)
    assert code == 2
    assert "FINSAM_PORT='abc'" in err and len(err.strip().splitlines()) == 1


def test_an_audit_export_of_a_forbund_with_no_events_is_refused_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FINSAM_STORE", f"sqlite:///{(tmp_path / 'cli.sqlite').as_posix().lstrip('/')}")
    monkeypatch.delenv("FINSAM_DATABASE_URL", raising=False)
    out = tmp_path / "revision.jsonl"
    code, _, err = run(["export", "--audit", "--forbund", "222000-1883", "--out", str(out)], capsys)
    assert code == 2 and "har inga händelser i lagret" in err, err
    assert not out.exists()  # an empty "export" is not a copy an auditor should be handed
