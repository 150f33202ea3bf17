"""``finsam minutes --format pdf``, ``finsam excerpt``, ``finsam export KIND`` and ``finsam deadlines`` from a shell."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'finsam.sqlite'}"
    app = Finsam(store_url=url)
    testing.register_nns(app)
    testing.register_kramfors(app)
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    testing.record_kramfors_allocation(app, 2024)
    app.join_network(testing.KRAMFORS, date(2010, 1, 1))
    return url


MEETING = ["--forbund", testing.ORNSKOLDSVIK, "--meeting", "2024-05-30"]


def test_minutes_as_pdf_to_a_file(store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "protokoll.pdf"
    code, _, err = run(["--store", store, "minutes", *MEETING, "--format", "pdf", "--out", str(out)], capsys)
    assert code == 0, err
    assert "Camilla Steen" in "".join(p.extract_text() for p in PdfReader(out).pages)


def test_minutes_as_text_are_as_before(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--store", store, "minutes", *MEETING], capsys)
    assert code == 0 and out.startswith("PROTOKOLL\n") and "BEVIS" in out


def test_a_pdf_needs_a_file(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--store", store, "minutes", *MEETING, "--format", "pdf"], capsys)
    assert code == 2 and err.count("\n") == 1 and "--out" in err


def test_an_excerpt_as_text(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--store", store, "excerpt", *MEETING, "--paragraph", "43", "--certified-by", "Pär Eriksson"]
    code, out, _ = run([*argv, "--certified-on", "2024-06-12"], capsys)
    assert code == 0 and out.startswith("PROTOKOLLSUTDRAG") and "Bestyrkt 2024-06-12 av Pär Eriksson." in out


def test_export_fees_as_xlsx(store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "avgifter.xlsx"
    argv = ["--store", store, "export", "fees", "--year", "2024", "--format", "xlsx", "--out", str(out)]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    sheet = load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet is not None and sheet.cell(row=2, column=7).value == 9051


def test_export_without_a_kind_is_one_swedish_sentence(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--store", store, "export"], capsys)
    assert code == 2 and "Ange vad som ska exporteras" in err


def test_the_audit_export_still_works(store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit.jsonl"
    code, _, err = run(
        ["--store", store, "export", "--audit", "--forbund", testing.ORNSKOLDSVIK, "--out", str(out)], capsys
    )
    assert code == 0 and "Exporterade" in err and out.stat().st_size > 0


def test_deadlines_for_a_forbund_on_a_day(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--store", store, "deadlines", "--forbund", testing.ORNSKOLDSVIK, "--as-of", "2024-06-20"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert "2024-07-02  pågår" in out and "kommunallagen 13 kap. 5 §" in out
