"""``finsam verify``, ``export --audit``, ``verify --export`` and ``replay`` from the command line."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.cli import main


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{(tmp_path / 'cli.sqlite').as_posix().lstrip('/')}"
    app = Finsam(store_url=url)
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    return url


def test_verify_exits_zero_with_a_one_line_summary(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", store, "verify"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("OK: 48 händelser i 3 strömmar") and "\n" not in out


def test_verify_names_the_first_bad_event(store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(tmp_path / "cli.sqlite") as conn:
        conn.execute("UPDATE stored_events SET state = x'7b7d' WHERE rowid = 30")
    assert main(["--store", store, "verify"]) == 1
    assert "position 30, ström" in capsys.readouterr().err


def test_an_export_verifies_without_the_database(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "revision.jsonl"
    assert main(["--store", store, "export", "--audit", "--forbund", testing.ORNSKOLDSVIK, "--out", str(out)]) == 0
    assert main(["--store", store, "verify", "--print-public-key"]) == 0
    public = capsys.readouterr().out.strip().splitlines()[-1]
    (tmp_path / "cli.sqlite").unlink()
    assert main(["verify", "--export", str(out), "--public-key", public]) == 0
    assert "OK: 48 händelser" in capsys.readouterr().out


def test_replay_prints_the_forbund_as_decided_by_a_date(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", store, "replay", "--as-of", "2024-06-01", "--forbund", testing.ORNSKOLDSVIK]) == 0
    text = capsys.readouterr().out
    assert "Beslutsläge per 2024-06-01" in text
    assert "§ 43" in text and "(ej justerat)" in text
    assert main(["--store", store, "replay", "--as-of", "2024-06-30", "--forbund", testing.ORNSKOLDSVIK]) == 0
    assert "(justerat)" in capsys.readouterr().out


def test_replay_as_recorded_before_the_meeting_was_entered_shows_no_meetings(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = Finsam(store_url=store)
    registered = app.association(testing.ORNSKOLDSVIK)
    first = app.meeting(testing.ORNSKOLDSVIK, "2024-05-30")
    cut = (first.created_on - timedelta(microseconds=1)).isoformat()
    assert registered.created_on < first.created_on
    assert main(["--store", store, "replay", "--recorded-at", cut, "--forbund", testing.ORNSKOLDSVIK]) == 0
    assert "(inga)" in capsys.readouterr().out.split("Sammanträden och beslut:")[1]
