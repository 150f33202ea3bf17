"""The file format and ``finsam import``: seeds in, minutes out, all or nothing, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.cli import main
from finsam_core.formats import FormatError, Status, import_paths, load_file

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "examples" / "seeds"
INVALID = ROOT / "examples" / "invalid" / "kramfors-header-dates.toml"
ORNSKOLDSVIK_DIR = SEEDS / "ornskoldsvik"
ORNSKOLDSVIK_MEETING = ORNSKOLDSVIK_DIR / "sammantrade-2024-05-30.toml"


def test_every_seed_file_imports_on_every_store(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    results = import_paths(app, [SEEDS])
    assert len(results) == len(list(SEEDS.rglob("*.toml")))
    assert all(r.status is Status.IMPORTED for r in results), [r.line() for r in results if not r.ok]
    assert [m.reference for m in app.meetings(testing.KARLSKOGA_DEGERFORS)][-1] == "2023-5"
    assert app.meeting(testing.KRAMFORS, "2024-01-26").is_final
    assert sorted(app.meeting(testing.ORNSKOLDSVIK, "2024-05-30").paragraphs) == list(range(37, 46))


def test_importing_the_same_files_again_records_nothing_and_says_so(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    import_paths(app, [ORNSKOLDSVIK_DIR])
    before = testing.events_recorded(app)
    again = import_paths(app, [ORNSKOLDSVIK_DIR])
    assert [r.status for r in again] == [Status.ALREADY, Status.ALREADY]
    assert all("redan" in r.line() for r in again)
    assert testing.events_recorded(app) == before


def test_the_header_dates_of_kramfors_are_rejected_with_a_clear_message_and_nothing_recorded() -> None:
    app = Finsam(store_url="memory:")
    import_paths(app, [SEEDS / "kramfors" / "forbund.toml"])
    before = testing.events_recorded(app)
    [result] = import_paths(app, [INVALID])
    assert result.status is Status.REFUSED
    assert "kramfors-header-dates.toml" in result.summary
    assert "$.justeras" in result.summary
    assert "2022-02-05" in result.summary and "2024-11-26" in result.summary
    assert "före sammanträdet" in result.summary
    assert testing.events_recorded(app) == before


def test_the_signatures_before_the_meeting_are_refused_even_without_the_header_date(tmp_path: Path) -> None:
    text = INVALID.read_text(encoding="utf-8").replace("justeras = 2022-02-05\n", "")
    path = tmp_path / "utan-justeringsdatum.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load_file(path)
    assert caught.value.path == "$.underskrift[0].datum"
    assert "före sammanträdet 2024-11-26" in str(caught.value)


def test_an_error_in_the_last_paragraph_records_nothing_of_the_file(store_url: str, tmp_path: Path) -> None:
    app = Finsam(store_url=store_url)
    import_paths(app, [ORNSKOLDSVIK_DIR / "forbund.toml"])
    before = testing.events_recorded(app)
    text = ORNSKOLDSVIK_MEETING.read_text(encoding="utf-8")
    # § 45 gets a decision with a vote by someone who is not on the board.
    broken = text.replace(
        'rubrik = "Avslutning"\n',
        'rubrik = "Avslutning"\n'
        'omrostning = { forslag = "att avsluta", roster = { "Peter Vigren" = "ja" } }\n'
        'beslut = ["att avsluta"]\n',
    )
    path = tmp_path / "sammantrade.toml"
    path.write_text(broken, encoding="utf-8")
    [result] = import_paths(app, [path])
    assert result.status is Status.REFUSED
    assert "§ 45" in result.summary and "Peter Vigren" in result.summary
    assert "$.paragraf[8].omrostning" in result.summary
    assert "Inget från filen registrerades" in result.summary
    assert testing.events_recorded(app) == before
    assert app.meetings(testing.ORNSKOLDSVIK) == []


def test_a_changed_file_for_final_minutes_is_refused_as_needing_a_correction(tmp_path: Path) -> None:
    app = Finsam(store_url="memory:")
    import_paths(app, [ORNSKOLDSVIK_DIR])
    before = testing.events_recorded(app)
    changed = tmp_path / "sammantrade-2024-05-30.toml"
    changed.write_text(
        ORNSKOLDSVIK_MEETING.read_text(encoding="utf-8").replace("hjärtligt välkomna", "välkomna"), encoding="utf-8"
    )
    [result] = import_paths(app, [changed])
    assert result.status is Status.REFUSED
    assert "rättelse" in result.summary and "correction" in result.summary
    assert testing.events_recorded(app) == before


@pytest.mark.parametrize(
    ("old", "new", "path", "expected"),
    [
        ("nummer = 43\n", 'nummer = "43"\n', "$.paragraf[6].nummer", "heltal"),
        ('"Camilla Steen" = "nej"', '"Camilla Steen" = "kanske"', "$.paragraf[6].omrostning.roster", "ja, nej, avstar"),
        ('rubrik = "Avslutning"\n', 'rubrk = "Avslutning"\n', "$.paragraf[8]", "rubrk"),
        ('plats = "Trolltjärn stadshuset Kronan"\n', "", "$", "plats"),
    ],
)
def test_format_errors_name_the_file_the_field_path_the_line_and_what_is_expected(
    tmp_path: Path, old: str, new: str, path: str, expected: str
) -> None:
    text = ORNSKOLDSVIK_MEETING.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "fel.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load_file(bad)
    error = caught.value
    assert str(bad) in str(error)
    assert error.path is not None and error.path.startswith(path)
    assert expected in str(error)
    if path != "$":
        assert error.line is not None
        assert f"rad {error.line}" in str(error)


def test_the_line_of_a_field_in_a_paragraph_is_found(tmp_path: Path) -> None:
    text = ORNSKOLDSVIK_MEETING.read_text(encoding="utf-8").replace("nummer = 43\n", "nummer = -43\n")
    bad = tmp_path / "fel.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load_file(bad)
    assert caught.value.line is not None
    assert bad.read_text(encoding="utf-8").splitlines()[caught.value.line - 1] == "nummer = -43"


def test_a_kind_not_yet_supported_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text('kind = "okand"\n', encoding="utf-8")
    with pytest.raises(FormatError, match="okänt slag 'okand'"):
        load_file(bad)


def test_round_trip_renders_section_43_in_the_words_of_the_source() -> None:
    app = Finsam(store_url="memory:")
    import_paths(app, [ORNSKOLDSVIK_DIR])
    text = app.minutes_text(testing.ORNSKOLDSVIK, "2024-05-30")
    section = text[text.index("§ 43 ") : text.index("§ 44 ")]
    assert (
        "Med tre röster mot en så beslutade styrelsen att säga ja till att delta i följeforskningprojektet" in section
    )
    assert "Camilla Steen reserverade sig för Försäkringskassans räkning mot beslutet" in section
    assert "Omröstning vidtog." in section


def test_the_imported_decision_register_equals_the_one_built_in_python() -> None:
    imported = Finsam(store_url="memory:")
    import_paths(imported, [ORNSKOLDSVIK_DIR])
    built = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(built)
    testing.record_ornskoldsvik_2024_05_30(built, amount=True)
    assert imported.decision_register(testing.ORNSKOLDSVIK) == built.decision_register(testing.ORNSKOLDSVIK)
    assert imported.open_assignments(testing.ORNSKOLDSVIK) == built.open_assignments(testing.ORNSKOLDSVIK)


def test_incoming_documents_conflicts_and_serving_deputies_are_recorded(tmp_path: Path) -> None:
    app = Finsam(store_url="memory:")
    import_paths(app, [SEEDS / "kramfors" / "forbund.toml"])
    path = tmp_path / "m.toml"
    path.write_text(
        """
kind = "sammantrade"
forbund = "222000-1586"
beteckning = "2024-03-15"
datum = 2024-03-15
plats = "Arbetsmarknadsenheten (AME) folkets park Kramfors"
ordforande = "Thomas Näsholm"
sekreterare = "Jerker Byström"
justerare = ["Johanna Zidén"]
narvaro = [
  { namn = "Thomas Näsholm", som = "ledamot" },
  { namn = "Johanna Zidén", som = "ledamot" },
  { namn = "Cecilia Sparf", som = "ledamot" },
  { namn = "Henrik Viberg Forsgren", som = "tjanstgorande_ersattare", ersatter = "Stefan Hedenström" },
]

[[paragraf]]
nummer = 8
rubrik = "Inkommande handlingar"
handlingar = [
  { diarienummer = "2024/3", avsandare = "Försäkringskassan", rubrik = "Tilldelningsbeslut 2025", inkom = 2024-03-01 },
]
jav = ["Johanna Zidén"]
beslut = ["Att lägga handlingarna till handlingarna."]
""",
        encoding="utf-8",
    )
    [result] = import_paths(app, [path])
    assert result.status is Status.IMPORTED, result.line()
    text = app.minutes_text("222000-1586", "2024-03-15")
    assert "Inkommen handling 2024/3: Tilldelningsbeslut 2025 från Försäkringskassan, inkom 2024-03-01." in text
    assert "Johanna Zidén anmälde jäv" in text
    assert "tjänstgörande ersättare för Stefan Hedenström" in text


def test_the_cli_imports_with_one_line_per_file_and_a_non_zero_exit_on_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = f"sqlite:///{(tmp_path / 'f.sqlite').as_posix().lstrip('/')}"
    assert main(["import", str(SEEDS / "kramfors"), "--store", store]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(list((SEEDS / "kramfors").glob("*.toml"))) and all(": importerad: " in line for line in out)
    assert main(["--store", store, "import", str(SEEDS / "kramfors")]) == 0
    assert all(": redan importerad: " in line for line in capsys.readouterr().out.splitlines())
    assert main(["import", str(INVALID), "--store", store]) != 0
    assert "före sammanträdet" in capsys.readouterr().err


def test_demo_loads_the_seeds_into_an_empty_store_and_prints_ornskoldsvik(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = f"sqlite:///{(tmp_path / 'd.sqlite').as_posix().lstrip('/')}"
    assert main(["--store", store, "demo"]) == 0
    captured = capsys.readouterr()
    assert "Samordningsförbundet i Örnsköldsvik" in captured.out
    assert "Karlskoga/Degerfors" in captured.err and "2023-5" in captured.err and "Kramfors" in captured.err
    assert main(["--store", store, "demo"]) == 0
    assert "redan" in capsys.readouterr().err


@pytest.fixture(scope="module")
def seeded() -> Finsam:
    app = Finsam(store_url="memory:")
    results = import_paths(app, [SEEDS])
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    return app


def test_the_seed_allocations_follow_the_documents(seeded: Finsam) -> None:
    for year in (2020, 2022):
        assert seeded.allocation(testing.KARLSKOGA_DEGERFORS, year).total == 5_574_000
    assert seeded.allocation(testing.KRAMFORS, 2024).total == 2_586_000


def test_the_october_2023_report_reads_as_in_section_51(seeded: Finsam) -> None:
    status = seeded.budget_status(testing.KARLSKOGA_DEGERFORS, 2023, 10)
    assert status.year_budget == 6_088_000
    assert status.outcome == 5_418_000
    assert status.used_share is not None
    assert round(status.used_share * 100) == 89
    assert round(status.deviation / 1000) == -345 or int(status.deviation / 1000) == -344
    assert status.forecast == -400_000
    assert status.equity_forecast == 590_000


def test_the_budget_2022_is_adopted_with_its_three_lines(seeded: Finsam) -> None:
    status = seeded.budget_status(testing.KARLSKOGA_DEGERFORS, 2022)
    assert status.year_budget == 5_998_000
    assert status.planned_result == -424_000


def test_the_nns_roster_has_68_members_of_72_and_kramfors_pays_3_5_per_mille(seeded: Finsam) -> None:
    from datetime import date

    roster = seeded.network_roster(date(2024, 1, 26))
    assert (roster.members, roster.total) == (68, 72)
    fee = seeded.service_fee(testing.KRAMFORS, 2024)
    assert fee.fee == 9_051 and not fee.capped


def test_the_annual_report_2020_and_region_orebro_lans_discharge(seeded: Finsam) -> None:
    report = seeded.annual_report(testing.KARLSKOGA_DEGERFORS, 2020)
    assert report.figures.result == 487_600
    assert report.figures.equity_at_year_end == 1_313_302
    status = seeded.discharge_status(testing.KARLSKOGA_DEGERFORS, 2020)
    region = next(m for m in status.members if m.member_name == "Region Örebro län")
    # `001_*` is the committee's proposal to grant (21RS3479), not the council's decision (issue 15).
    assert (region.decided, [(s.step, s.grant) for s in region.steps]) == (False, [("forslag", True)])


def test_participant_figures_are_counts_from_the_seeds(seeded: Finsam) -> None:
    k2020 = seeded.participant_figures(testing.KARLSKOGA_DEGERFORS, 2020)
    assert (k2020.participants, k2020.exited, k2020.women, k2020.men) == (203, 73, 106, 97)
    kr2023 = seeded.participant_figures(testing.KRAMFORS, 2023)
    assert (kr2023.participants, kr2023.exited) == (101, 57)


def test_a_float_amount_is_refused_with_the_field_and_a_hint(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text(
        'kind = "tilldelning"\nforbund = "222000-1586"\nar = 2024\nbidrag = { FK = 1293000.5 }\n', encoding="utf-8"
    )
    with pytest.raises(FormatError) as caught:
        load_file(bad)
    assert caught.value.path == "$.bidrag.FK" or (caught.value.path or "").startswith("$.bidrag")
    assert "decimaltal" in str(caught.value)


def test_every_example_in_the_reference_documentation_follows_the_format(tmp_path: Path) -> None:
    import re

    text = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    kinds = set()
    for index, block in enumerate(blocks):
        path = tmp_path / f"exempel-{index}.toml"
        path.write_text(block, encoding="utf-8")
        kinds.add(load_file(path).kind)
    assert kinds == {
        "forbund",
        "sammantrade",
        "tilldelning",
        "budget",
        "nns",
        "arsredovisning",
        "insatser",
        "verksamhetsplan",
        "revisorer",
        "ansvarsfrihet",
        "betalningar",
        "delegationsordning",
        "delegationsbeslut",
        "per_capsulam",
    }
