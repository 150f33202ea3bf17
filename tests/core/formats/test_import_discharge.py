"""The seeds' auditors, board 2019–2022 and the region's discharge proposal (`001_*`), imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.domain.forbund import Office
from finsam_core.formats import Status, import_paths
from finsam_core.values import BoardRole

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
KD = SEEDS / "karlskoga-degerfors"


@pytest.fixture(scope="module")
def seeded() -> Finsam:
    app = Finsam(store_url="memory:")
    results = import_paths(app, [SEEDS])
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    return app


def test_the_board_of_2020_is_the_one_the_annual_report_lists(seeded: Finsam) -> None:
    forbund = seeded.forbund(testing.KARLSKOGA_DEGERFORS)
    board = {(a.person, a.member_key, a.role) for a in forbund.board_on(date(2020, 6, 1))}
    assert board == {
        ("Kristina Borén", "Regionen", BoardRole.BOARD_MEMBER),
        ("Anna Danielsson", "Regionen", BoardRole.DEPUTY),
        ("Kerstin Gustavsson", "KGA", BoardRole.BOARD_MEMBER),
        ("Liselotte Eriksson", "KGA", BoardRole.DEPUTY),
        ("Johanna Svärth", "DFS", BoardRole.BOARD_MEMBER),
        ("Anna Nordqvist", "DFS", BoardRole.DEPUTY),
        ("Gunilla Kanrell", "AF", BoardRole.BOARD_MEMBER),
        ("Ulla Strauss", "AF", BoardRole.DEPUTY),
        ("Linda Matstoms", "FK", BoardRole.BOARD_MEMBER),
        ("Erika Karlsson", "FK", BoardRole.DEPUTY),
    }
    assert forbund.officer_on(Office.CHAIR, date(2020, 6, 1)) == "Kristina Borén"


def test_no_fictitious_name_is_left_for_the_board_of_2019_2022() -> None:
    text = (KD / "forbund.toml").read_text(encoding="utf-8")
    section = text[text.index("mandatperioden 2019–2022: årsredovisningen 2020") :]
    assert "FIKTIV" not in section
    assert "Ledamot Regionen 2019–2022" not in text


def test_the_auditors_of_2020_and_their_report_come_from_the_seed(seeded: Finsam) -> None:
    status = seeded.discharge_status(testing.KARLSKOGA_DEGERFORS, 2020)
    assert [(a.name, a.member_key, a.kind) for a in status.auditors] == [
        ("Nils Nordqvist", "FK", "auktoriserad"),
        ("Gunilla Carlsson", "Regionen", "fortroendevald"),
        ("Annica Blomgren", "DFS", "fortroendevald"),
        ("Marie-Louise Naucler", "KGA", "fortroendevald"),
    ]
    assert (status.audit_reported_on, status.auditors_recommend) == (date(2021, 4, 16), True)
    assert "FIKTIV" not in (KD / "revisorer-2019-2022.toml").read_text(encoding="utf-8")


def test_the_region_committees_proposal_is_a_step_not_a_decision(seeded: Finsam) -> None:
    status = seeded.discharge_status(testing.KARLSKOGA_DEGERFORS, 2020)
    region = next(m for m in status.members if m.member_key == "Regionen")
    assert not region.decided
    [step] = region.steps
    assert (step.step, step.body_kind, step.reference, step.decided_on, step.grant) == (
        "forslag",
        "utskott",
        "21RS3479",
        date(2021, 6, 1),
        True,
    )
    assert not status.fully_discharged
    assert status.waiting_on == (
        "Försäkringskassan",
        "Arbetsförmedlingen",
        "Region Örebro län",
        "Karlskoga kommun",
        "Degerfors kommun",
    )


def test_a_discharge_file_naming_a_forbund_the_member_did_not_belong_to_records_nothing(
    seeded: Finsam, tmp_path: Path
) -> None:
    path = tmp_path / "ansvarsfrihet-fel.toml"
    path.write_text(
        (KD / "ansvarsfrihet-2020-region-orebro-lan.toml")
        .read_text(encoding="utf-8")
        .replace('medlem = "Region Örebro län"', 'medlem = "Region Västernorrland"')
        .replace('beteckning = "21RS3479"', 'beteckning = "RVN 1"'),
        encoding="utf-8",
    )
    before = testing.events_recorded(seeded)
    [result] = import_paths(seeded, [path])
    assert result.status is Status.REFUSED
    assert "Region Västernorrland var inte medlem i förbundet 222000-2279 2020" in result.summary
    assert testing.events_recorded(seeded) == before
