"""``finsam verify``, ``export --audit``, ``verify --export`` and ``replay`` from the command line."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.export import FORMAT, FORMAT_CHAIN
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
    out, whole = tmp_path / "revision.jsonl", tmp_path / "hela-loggen.jsonl"
    assert main(["--store", store, "export", "--audit", "--forbund", testing.ORNSKOLDSVIK, "--out", str(out)]) == 0
    export_whole = ["--store", store, "export", "--audit", "--whole-log", "--forbund", testing.ORNSKOLDSVIK]
    assert main([*export_whole, "--out", str(whole)]) == 0
    assert main(["--store", store, "verify", "--print-public-key"]) == 0
    public = capsys.readouterr().out.strip().splitlines()[-1]
    (tmp_path / "cli.sqlite").unlink()
    for path, form in ((out, FORMAT_CHAIN), (whole, FORMAT)):
        assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["format"] == form
        assert main(["verify", "--export", str(path), "--public-key", public]) == 0
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
    registered = app.forbund(testing.ORNSKOLDSVIK)
    first = app.meeting(testing.ORNSKOLDSVIK, "2024-05-30")
    cut = (first.created_on - timedelta(microseconds=1)).isoformat()
    assert registered.created_on < first.created_on
    assert main(["--store", store, "replay", "--recorded-at", cut, "--forbund", testing.ORNSKOLDSVIK]) == 0
    assert "(inga)" in capsys.readouterr().out.split("Sammanträden och beslut:")[1]


def _printed_head(out: str) -> str:
    """The ``POSITION:HASH`` the summary line prints after "senaste kontrollpunkt"."""
    return out.split("senaste kontrollpunkt ", 1)[1].split(" ", 1)[0]


def test_the_printed_head_is_accepted_as_a_known_head(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", store, "verify"]) == 0
    head = _printed_head(capsys.readouterr().out)
    position, digest = head.split(":")
    assert position == "48" and len(digest) == 64
    assert main(["--store", store, "verify", "--known-head", head]) == 0


def test_a_tail_cut_and_one_write_fail_against_the_printed_head(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", store, "verify"]) == 0
    head = _printed_head(capsys.readouterr().out)
    with sqlite3.connect(tmp_path / "cli.sqlite") as conn:
        [(cut,)] = conn.execute("SELECT max(position) FROM stored_events_audit_heads WHERE position < 48")
        for table, column in [("stored_events", "rowid"), ("stored_events_audit_chain", "position")]:
            conn.execute(f"DELETE FROM {table} WHERE {column} > ?", (cut,))
        conn.execute("DELETE FROM stored_events_audit_heads WHERE position > ?", (cut,))
        conn.execute("DELETE FROM stored_events_audit_actors WHERE position > ?", (cut,))
        conn.execute("DELETE FROM stored_events_audit_links WHERE position > ?", (cut,))
        conn.execute("DELETE FROM stored_events_audit_chain_heads")  # rolled back to the last link left
        conn.execute(
            "INSERT INTO stored_events_audit_chain_heads SELECT chain, position, hash FROM stored_events_audit_links l "
            "WHERE position = (SELECT max(position) FROM stored_events_audit_links m WHERE m.chain = l.chain)"
        )
    testing.record_ornskoldsvik_2024_05_30(Finsam(store_url=store), sign=False)
    assert main(["--store", store, "verify"]) == 0
    capsys.readouterr()
    assert main(["--store", store, "verify", "--known-head", head]) == 1
    assert "position 48" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["48", "48:abc", "x:" + "0" * 64, "0:" + "0" * 64, "48:" + "g" * 64])
def test_a_malformed_known_head_is_one_sentence_and_exit_two(
    store: str, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", store, "verify", "--known-head", bad]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("finsam: --known-head") and "\n" not in err


def test_verify_of_one_forbund_checks_its_chain_and_names_a_changed_event(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", store, "verify", "--forbund", testing.ORNSKOLDSVIK]) == 0
    assert capsys.readouterr().out.startswith("OK: 48 händelser")
    with sqlite3.connect(tmp_path / "cli.sqlite") as conn:
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 20", (b'{"forged":true}',))
    assert main(["--store", store, "verify", "--forbund", testing.ORNSKOLDSVIK]) == 1
    assert "position 20" in capsys.readouterr().err
