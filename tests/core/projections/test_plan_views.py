"""The verksamhetsplan view on both implementations (memory, PostgreSQL): one row per governed year, the
library's own picture, replaced when a later plan takes over, and marked while its minutes are drafts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finsam_core import testing
from finsam_core.domain.activity_plan import Assessment, IndicatorResult
from finsam_core.domain.meeting import meeting_id
from finsam_core.testing.plans import KARLSKOGA_PLAN_2022_GOALS, karlskoga_plan_2020, karlskoga_plan_2022

from .conftest import Projected

KARLSKOGA = testing.KARLSKOGA_DEGERFORS


def test_each_governed_year_has_the_librarys_picture(projected: Projected) -> None:
    app = projected.app
    testing.register_karlskoga_degerfors(app)
    karlskoga_plan_2020(app)
    karlskoga_plan_2022(app)
    app.record_plan_follow_up(
        KARLSKOGA,
        2020,
        (IndicatorResult("egen-forsorjning", Decimal(47), Assessment.VERY_WELL),),
        recorded_on=date(2021, 2, 8),
    )
    views = projected.views()
    for year in (2020, 2022, 2023, 2024):
        row = views.plan_year(KARLSKOGA, year)
        assert row is not None and row.plan == app.plan_year(KARLSKOGA, year), year
    assert views.plan_year(KARLSKOGA, 2021) is None
    assert [r.org_nr for r in views.plan_years(2024)] == [KARLSKOGA]


def test_a_replacing_plan_takes_over_the_rows_of_its_years(projected: Projected) -> None:
    app = projected.app
    testing.register_karlskoga_degerfors(app)
    karlskoga_plan_2022(app)
    decision = testing.record_board_decision(
        app, KARLSKOGA, "2022-6", date(2022, 11, 21), "Verksamhetsplan 2023", ("att anta planen",)
    )
    app.adopt_activity_plan(
        KARLSKOGA, "2023", "Verksamhetsplan 2023", 2023, 2025, KARLSKOGA_PLAN_2022_GOALS, decision, replaces="2022"
    )
    views = projected.views()
    governing = {year: row.plan.reference for year in range(2021, 2027) if (row := views.plan_year(KARLSKOGA, year))}
    assert governing == {2022: "2022", 2023: "2023", 2024: "2023", 2025: "2023"}
    row_2022 = views.plan_year(KARLSKOGA, 2022)
    assert row_2022 is not None and row_2022.plan.governs_until == 2022


def test_a_plan_adopted_in_draft_minutes_is_marked_until_they_are_adjusted(projected: Projected) -> None:
    app = projected.app
    testing.register_karlskoga_degerfors(app)
    karlskoga_plan_2022(app)
    views = projected.views()
    row = views.plan_year(KARLSKOGA, 2022)
    draft = str(meeting_id(app.forbund(KARLSKOGA).id, "2021-6"))
    assert row is not None and row.decided_in == (draft,)
    assert draft in {str(mark.meeting_id) for mark in views.draft_marks()}
    testing.adjust_minutes(app, KARLSKOGA, "2021-6", date(2021, 11, 29))
    assert projected.views().draft_marks() == []
