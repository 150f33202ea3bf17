"""The ``verksamhetsplan`` kind: the seed's plan 2022 of Karlskoga/Degerfors in, follow-ups, refusals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.domain.activity_plan import Assessment
from finsam_core.formats import FormatError, Status, import_paths, load_file
from finsam_core.testing.plans import KARLSKOGA_PLAN_2022_GOALS

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
KARLSKOGA = SEEDS / "karlskoga-degerfors"
PLAN = KARLSKOGA / "verksamhetsplan-2022.toml"
FOLLOW_UP = """
[[uppfoljning]]
ar = 2022
datum = 2023-02-06
[[uppfoljning.indikator]]
nyckel = "egen-forsorjning"
varde = {value}
bedomning = "Mycket väl uppfyllt"
"""


@pytest.fixture
def karlskoga() -> Finsam:
    """Karlskoga/Degerfors with everything the plan refers to: its meetings and Coachingteamet."""
    app = Finsam(store_url="memory:")
    others = [p for p in sorted(KARLSKOGA.glob("*.toml")) if p.name != PLAN.name]
    assert all(r.ok for r in import_paths(app, others))
    return app


def test_the_seed_plan_imports_with_the_targets_of_004(karlskoga: Finsam) -> None:
    [result] = import_paths(karlskoga, [PLAN])
    assert result.status is Status.IMPORTED, result.line()
    assert "6 mål, 5 indikatorer" in result.summary
    picture = karlskoga.plan_year(testing.KARLSKOGA_DEGERFORS, 2024)
    targets = sorted(i.target for g in picture.goals for i in g.indicators)
    assert targets == [Decimal(30), Decimal(40), Decimal(70), Decimal(80), Decimal(90)]
    assert picture.decision == "2021-6 § 40"


def test_the_seed_file_and_the_test_builder_hold_the_same_goals(karlskoga: Finsam) -> None:
    import_paths(karlskoga, [PLAN])
    plan = karlskoga.activity_plans(testing.KARLSKOGA_DEGERFORS).plans["2022"]
    assert plan.goals == KARLSKOGA_PLAN_2022_GOALS


def test_a_follow_up_in_the_file_is_recorded_for_its_year(karlskoga: Finsam, tmp_path: Path) -> None:
    path = tmp_path / "verksamhetsplan-2022.toml"
    path.write_text(PLAN.read_text(encoding="utf-8") + FOLLOW_UP.format(value=47), encoding="utf-8")
    [result] = import_paths(karlskoga, [path])
    assert result.ok, result.line()
    indicator = next(
        i
        for g in karlskoga.plan_year(testing.KARLSKOGA_DEGERFORS, 2022).goals
        for i in g.indicators
        if i.key == "egen-forsorjning"
    )
    assert (indicator.measured, indicator.met, indicator.assessment) == (Decimal(47), True, Assessment.VERY_WELL)


def test_a_share_above_100_in_a_follow_up_refuses_the_whole_file(karlskoga: Finsam, tmp_path: Path) -> None:
    path = tmp_path / "verksamhetsplan-2022.toml"
    path.write_text(PLAN.read_text(encoding="utf-8") + FOLLOW_UP.format(value=147), encoding="utf-8")
    before = testing.events_recorded(karlskoga)
    [result] = import_paths(karlskoga, [path])
    assert result.status is Status.REFUSED
    assert "$.uppfoljning[0]" in result.summary and "mellan 0 och 100 %" in result.summary
    assert testing.events_recorded(karlskoga) == before


def test_an_assessment_outside_the_scale_is_refused_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "verksamhetsplan-2022.toml"
    text = PLAN.read_text(encoding="utf-8") + FOLLOW_UP.format(value=47).replace("Mycket väl", "Delvis")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load_file(path)
    assert caught.value.path == "$.uppfoljning[0].indikator[0].bedomning"
    assert "Mycket väl uppfyllt, Väl uppfyllt, Uppfyllt, Ej uppfyllt" in str(caught.value)


def test_a_target_written_as_a_float_is_refused(karlskoga: Finsam, tmp_path: Path) -> None:
    path = tmp_path / "verksamhetsplan-2022.toml"
    path.write_text(PLAN.read_text(encoding="utf-8").replace("malvarde = 40\n", "malvarde = 40.0\n"), encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load_file(path)
    assert caught.value.path == "$.mal[4].indikator[0].malvarde"
