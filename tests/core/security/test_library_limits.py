"""The library refuses what would harm the shared store, whoever calls it, and records nothing.

Each case is a finding of the security review (issue 9) met at the library's own door: the
service's edge refuses the same earlier, but the library is used directly too (the importer,
scripts, other applications).
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from finsam_core.application import Finsam
from finsam_core.errors import InvalidInput
from finsam_core.formats import Status, import_paths
from finsam_core.limits import MAX_ITEMS, MAX_LINE, MAX_TEXT, check_amount, check_text
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS,
    ORNSKOLDSVIK,
    TERM_2019,
    appoint_board,
    events_recorded,
    karlskoga_budget_2022,
    refused,
    register_karlskoga_degerfors,
    register_ornskoldsvik,
)
from finsam_core.values import money, validate_org_nr

HOSTILE_TEXTS = [
    "2024-9\x00",
    "a\x00b",
    "\x07bell",
    "esc\x1b[31m",
    "del\x7f",
    "lone \ud800 surrogate",
    "x" * (MAX_TEXT + 1),
]


def convened(app: Finsam) -> str:
    register_ornskoldsvik(app)
    app.convene_meeting(ORNSKOLDSVIK, "2024-09-12", date(2024, 9, 12), "Örnsköldsvik")
    return "2024-09-12"


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS, ids=repr)
def test_a_paragraph_title_with_hostile_text_is_refused_and_nothing_recorded(app: Finsam, hostile: str) -> None:
    reference = convened(app)
    refused(app, InvalidInput, "Fältet title", lambda: app.add_paragraph(ORNSKOLDSVIK, reference, hostile))


def test_a_meeting_reference_with_nul_is_refused_and_nothing_recorded(app: Finsam) -> None:
    register_ornskoldsvik(app)
    refused(
        app,
        InvalidInput,
        "NUL",
        lambda: app.convene_meeting(ORNSKOLDSVIK, "2024-9\x00", date(2024, 9, 12), "Örnsköldsvik"),
    )
    assert not app.has_meeting(ORNSKOLDSVIK, "2024-9\x00")


def test_after_a_refused_write_the_next_paragraph_gets_the_next_number(app: Finsam) -> None:
    reference = convened(app)
    first = app.add_paragraph(ORNSKOLDSVIK, reference, "Val av justerare")
    refused(app, InvalidInput, "NUL", lambda: app.add_paragraph(ORNSKOLDSVIK, reference, "Ekonomi\x00"))
    assert app.add_paragraph(ORNSKOLDSVIK, reference, "Ekonomi") == first + 1


def test_line_breaks_and_tabs_are_kept_in_a_paragraph_body(app: Finsam) -> None:
    reference = convened(app)
    body = "Styrelsen beslutar\n\natt anta budgeten,\tsom föreslagen.\r\n"
    number = app.add_paragraph(ORNSKOLDSVIK, reference, "Budget", body)
    assert body.strip().splitlines()[0] in app.minutes_text(ORNSKOLDSVIK, reference)
    assert number >= 1


@pytest.mark.parametrize("amount", ["1e999999", "1E+20", "9" * 5000, "0." + "1" * 5000, "-1e999999"])
def test_an_absurd_amount_is_refused_at_once(amount: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match="belopp"):
        money(amount)
    assert time.perf_counter() - started < 0.1


def test_an_absurd_opening_equity_is_refused_and_nothing_recorded(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    karlskoga_budget_2022(app)
    started = time.perf_counter()
    refused(
        app,
        InvalidInput,
        r"Eget kapital.*belopp",
        lambda: app.record_opening_equity(KARLSKOGA_DEGERFORS, 2022, "1e999999"),
    )
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("amount", ["4407000", "-424000", "1045125.50", "0.000001", "9999999999999"])
def test_real_amounts_pass(amount: str) -> None:
    assert money(amount) == Decimal(amount)


@pytest.mark.parametrize("org_nr", ["２２２０００-１８８３", "٢٢٢٠٠٠-١٨٨٣", "222000-1883\x00"])
def test_an_org_nr_in_look_alike_digits_is_refused(org_nr: str) -> None:
    with pytest.raises(InvalidInput, match="fel form"):
        validate_org_nr(org_nr)


def test_the_check_names_the_field_and_the_bound() -> None:
    with pytest.raises(InvalidInput, match=f"Fältet namn är för långt: {MAX_LINE + 1} tecken, högst {MAX_LINE}"):
        check_text("namn", "x" * (MAX_LINE + 1), MAX_LINE)
    with pytest.raises(InvalidInput, match=r"U\+000A"):
        check_text("namn", "två\nrader", line=True)
    with pytest.raises(InvalidInput, match="högst 13 siffror"):
        check_amount("total", Decimal("1e13"))


def test_too_many_agenda_items_are_refused_and_nothing_recorded(app: Finsam) -> None:
    register_ornskoldsvik(app)
    agenda = tuple(f"Punkt {n}" for n in range(MAX_ITEMS + 1))
    refused(
        app,
        InvalidInput,
        "för många poster",
        lambda: app.convene_meeting(ORNSKOLDSVIK, "2024-09-12", date(2024, 9, 12), "Örnsköldsvik", agenda=agenda),
    )


SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"


@pytest.mark.parametrize(
    ("original", "hostile"),
    [
        ('rubrik = "Val av justerare"', 'rubrik = "Val av justerare\\u0000"'),
        ('rubrik = "Val av justerare"', f'rubrik = "{"x" * 30_000}"'),
    ],
    ids=["nul", "too-long"],
)
def test_an_import_file_with_hostile_text_is_refused_with_the_field_and_nothing_recorded(
    tmp_path: Path, original: str, hostile: str
) -> None:
    app = Finsam(store_url="memory:")
    import_paths(app, [SEEDS / "ornskoldsvik" / "forbund.toml"])
    meeting = (SEEDS / "ornskoldsvik" / "sammantrade-2024-05-30.toml").read_text(encoding="utf-8")
    assert original in meeting
    path = tmp_path / "sammantrade.toml"
    path.write_text(meeting.replace(original, hostile, 1), encoding="utf-8")
    before = events_recorded(app)
    [result] = import_paths(app, [path])
    assert result.status is Status.REFUSED
    assert "rubrik" in result.summary
    assert events_recorded(app) == before


def test_an_import_file_with_a_full_width_org_nr_is_refused(tmp_path: Path) -> None:
    app = Finsam(store_url="memory:")
    text = (SEEDS / "ornskoldsvik" / "forbund.toml").read_text(encoding="utf-8")
    path = tmp_path / "forbund.toml"
    path.write_text(text.replace("222000-1883", "２２２０００-１８８３"), encoding="utf-8")
    [result] = import_paths(app, [path])
    assert result.status is Status.REFUSED
    assert "org_nr" in result.summary
    assert events_recorded(app) == 0
