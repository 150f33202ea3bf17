"""Budget, outcome, forecast, equity: adopted and revised by decisions, followed month by month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind
from finsam_core.domain.charter import DecisionRef
from finsam_core.errors import InvalidInput, MoneyRuleViolation, NotFound
from finsam_core.rules.money import budget_deviation, period_budget
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS,
    KARLSKOGA_LINES_2022,
    KRAMFORS,
    TERM_2019,
    appoint_board,
    karlskoga_budget_2022,
    karlskoga_october_2023,
    record_board_decision,
    record_kramfors_allocation,
    refused,
    register_karlskoga_degerfors,
    register_kramfors,
)

INCOME_2022 = (IncomeLine("Medlemsbidrag", Decimal(5_574_000)),)


@pytest.fixture
def karlskoga(app: Finsam) -> Finsam:
    register_karlskoga_degerfors(app)
    appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    return app


def decision(app: Finsam, held_on: date, reference: str | None = None) -> DecisionRef:
    return record_board_decision(
        app, KARLSKOGA_DEGERFORS, reference or held_on.isoformat(), held_on, "Budget", ("att anta budgeten",)
    )


def test_budget_2022_is_adopted_with_its_lines_and_planned_deficit(karlskoga: Finsam) -> None:
    karlskoga_budget_2022(karlskoga)
    budget = karlskoga.budget(KARLSKOGA_DEGERFORS, 2022).current
    assert budget.costs == Decimal(5_998_000)
    assert budget.planned_result == Decimal(-424_000)
    assert budget.surplus_used == Decimal(424_000)
    assert [line.amount for line in budget.lines] == [4_407_000, 602_000, 989_000]
    assert not budget.late


def test_adoption_references_the_decision_in_the_minutes(karlskoga: Finsam) -> None:
    ref = karlskoga_budget_2022(karlskoga)
    assert karlskoga.budget(KARLSKOGA_DEGERFORS, 2022).adopted.authorised_by == ref


def test_adoption_citing_a_paragraph_without_a_decision_is_refused(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 11, 22))
    missing = DecisionRef("Förbundsstyrelsen", "2021-11-22 § 9", date(2021, 11, 22), meeting="2021-11-22", paragraph=9)
    refused(
        karlskoga,
        NotFound,
        "inget beslut i § 9",
        lambda: karlskoga.adopt_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, missing),
    )
    assert ref.paragraph == 1


def test_adoption_citing_a_meeting_that_does_not_exist_is_refused(karlskoga: Finsam) -> None:
    missing = DecisionRef("Förbundsstyrelsen", "2021-9 § 3", date(2021, 11, 22), meeting="2021-9", paragraph=3)
    refused(
        karlskoga,
        NotFound,
        "Sammanträdet 2021-9 finns inte",
        lambda: karlskoga.adopt_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, missing),
    )


def test_adoption_without_a_board_decision_is_refused(karlskoga: Finsam) -> None:
    outside = DecisionRef("Regionfullmäktige", "RF § 12", date(2021, 11, 22))
    refused(
        karlskoga,
        MoneyRuleViolation,
        "hänvisa till sammanträdet och paragrafen",
        lambda: karlskoga.adopt_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, outside),
    )


def test_adoption_after_30_november_is_recorded_with_a_warning(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 12, 6))
    warnings = karlskoga.adopt_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref)
    assert warnings == ("Budgeten för 2022 antogs 2021-12-06, efter sista dag 2021-11-30.",)
    status = karlskoga.budget_status(KARLSKOGA_DEGERFORS, 2022)
    assert status.late
    assert any("efter sista dag 2021-11-30" in flag for flag in status.flags)


def test_adoption_on_30_november_is_in_time(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 11, 30))
    assert karlskoga.adopt_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref) == ()


def test_a_budget_is_adopted_once(karlskoga: Finsam) -> None:
    karlskoga_budget_2022(karlskoga)
    ref = decision(karlskoga, date(2021, 11, 29), "2021-7")
    refused(
        karlskoga,
        MoneyRuleViolation,
        "redan antagen",
        lambda: karlskoga.adopt_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref),
    )


def test_a_revision_keeps_the_budget_as_adopted_and_as_revised(karlskoga: Finsam) -> None:
    karlskoga_budget_2022(karlskoga)
    ref = decision(karlskoga, date(2022, 6, 13))
    revised = (*KARLSKOGA_LINES_2022[:2], BudgetLine("kansli", "Kansli", Decimal(1_089_000), LineKind.OFFICE))
    assert karlskoga.revise_budget(KARLSKOGA_DEGERFORS, 2022, revised, INCOME_2022, ref) == 1
    budget = karlskoga.budget(KARLSKOGA_DEGERFORS, 2022)
    assert budget.adopted.costs == 5_998_000
    assert budget.current.costs == 6_098_000
    assert budget.as_of(date(2022, 6, 12)).costs == 5_998_000  # type: ignore[union-attr]
    assert budget.as_of(date(2022, 6, 13)).costs == 6_098_000  # type: ignore[union-attr]
    assert budget.current.authorised_by == ref
    status = karlskoga.budget_status(KARLSKOGA_DEGERFORS, 2022)
    assert (status.adopted_costs, status.year_budget, status.revisions) == (Decimal(5_998_000), Decimal(6_098_000), 1)


def test_a_revision_of_a_budget_never_adopted_is_refused(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2022, 6, 13))
    refused(
        karlskoga,
        MoneyRuleViolation,
        "Budgeten för 2022 är inte antagen",
        lambda: karlskoga.revise_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref),
    )


def test_a_revision_dated_before_the_adoption_is_refused(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 10, 4))
    karlskoga_budget_2022(karlskoga, adopted_on=date(2021, 11, 22))
    refused(
        karlskoga,
        MoneyRuleViolation,
        "före den gällande budgeten",
        lambda: karlskoga.revise_budget(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref),
    )


def test_a_negative_budget_line_is_refused(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 11, 22))
    lines = (*KARLSKOGA_LINES_2022[:2], BudgetLine("kansli", "Kansli", Decimal(-989_000)))
    refused(
        karlskoga,
        InvalidInput,
        "negativt belopp",
        lambda: karlskoga.adopt_budget(KARLSKOGA_DEGERFORS, 2022, lines, INCOME_2022, ref),
    )


def test_lines_that_do_not_add_up_to_the_stated_total_are_refused(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 11, 22))
    refused(
        karlskoga,
        MoneyRuleViolation,
        "summerar till 5 998 000 kr, men totalen anges till 6 000 000 kr",
        lambda: karlskoga.adopt_budget(
            KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref, total=6_000_000
        ),
    )


def test_a_planned_result_that_does_not_match_income_and_costs_is_refused(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 11, 22))
    refused(
        karlskoga,
        MoneyRuleViolation,
        "ger resultatet −424 000 kr|ger resultatet -424 000 kr",
        lambda: karlskoga.adopt_budget(
            KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref, planned_result=-400_000
        ),
    )


def test_using_more_surplus_than_the_planned_deficit_is_refused(karlskoga: Finsam) -> None:
    ref = decision(karlskoga, date(2021, 11, 22))
    refused(
        karlskoga,
        MoneyRuleViolation,
        "underskottet är bara 424 000 kr",
        lambda: karlskoga.adopt_budget(
            KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_LINES_2022, INCOME_2022, ref, surplus_used=500_000
        ),
    )


# --- outcome, forecast, equity: the October 2023 report (000_* § 51) ---------------------------


@pytest.fixture
def october(karlskoga: Finsam) -> Finsam:
    karlskoga_october_2023(karlskoga)
    return karlskoga


def test_after_october_5418_of_6088_tkr_is_89_percent_against_83_3(october: Finsam) -> None:
    status = october.budget_status(KARLSKOGA_DEGERFORS, 2023)
    assert status.months == 10
    assert (status.year_budget, status.outcome) == (Decimal(6_088_000), Decimal(5_418_000))
    assert round(status.used_share * 100) == 89  # type: ignore[operator]
    assert round(status.benchmark * 100, 1) == Decimal("83.3")


def test_after_october_the_deviation_is_about_minus_344_tkr(october: Finsam) -> None:
    status = october.budget_status(KARLSKOGA_DEGERFORS, 2023)
    assert round(status.deviation / 1000) == -345
    assert -345_000 < status.deviation < -344_000
    # Each line and the total are rounded once, so the lines may sum to an öre off the total.
    assert abs(sum(line.deviation for line in status.lines) - status.deviation) <= Decimal("0.01") * len(status.lines)
    assert round(status.lines[0].deviation / 1000) == -344  # Coachingteamet


def test_the_status_gives_each_lines_deviation_to_the_ore_as_the_rule_does(october: Finsam) -> None:
    status = october.budget_status(KARLSKOGA_DEGERFORS, 2023)
    for line in status.lines:
        assert line.period_budget == period_budget(line.year_budget, status.months)
        assert line.deviation == budget_deviation(line.year_budget, line.outcome, status.months)
    assert status.deviation == budget_deviation(status.year_budget, status.outcome, status.months)
    assert status.deviation == Decimal("-344666.67")


def test_forecasts_minus_500_plus_50_plus_50_give_minus_400_tkr(october: Finsam) -> None:
    status = october.budget_status(KARLSKOGA_DEGERFORS, 2023)
    assert [line.forecast for line in status.lines] == [-500_000, 50_000, 50_000]
    assert status.forecast == -400_000


def test_equity_1518_tkr_less_the_planned_deficit_and_the_forecast_leaves_590_tkr(october: Finsam) -> None:
    status = october.budget_status(KARLSKOGA_DEGERFORS, 2023)
    assert (status.opening_equity, status.planned_result, status.equity_forecast) == (
        Decimal(1_518_000),
        Decimal(-528_000),
        Decimal(590_000),
    )


def test_the_status_can_be_taken_after_an_earlier_month(october: Finsam) -> None:
    status = october.budget_status(KARLSKOGA_DEGERFORS, 2023, months=6)
    assert status.benchmark == Decimal(6) / 12
    assert status.outcome < 5_418_000


def test_outcome_over_the_period_benchmark_is_flagged(october: Finsam) -> None:
    flags = october.budget_status(KARLSKOGA_DEGERFORS, 2023).flags
    assert "Förbrukningen 89,0 % ligger över riktvärdet 83,3 %." in flags


def test_outcome_for_a_month_outside_the_budget_year_is_refused(october: Finsam) -> None:
    refused(
        october,
        InvalidInput,
        "2024-01 hör inte till budgetåret 2023",
        lambda: october.record_outcome(KARLSKOGA_DEGERFORS, 2023, date(2024, 1, 1), {"coaching": 1}),
    )


def test_outcome_on_a_line_the_budget_does_not_have_is_refused(october: Finsam) -> None:
    refused(
        october,
        InvalidInput,
        "ingen rad 'konferens'",
        lambda: october.record_outcome(KARLSKOGA_DEGERFORS, 2023, date(2023, 11, 1), {"konferens": 1}),
    )


def test_negative_outcome_is_refused_and_nothing_of_the_month_is_recorded(october: Finsam) -> None:
    refused(
        october,
        InvalidInput,
        "kan inte vara negativt",
        lambda: october.record_outcome(
            KARLSKOGA_DEGERFORS, 2023, date(2023, 11, 1), {"coaching": 400_000, "kansli": -5}
        ),
    )


def test_outcome_for_a_budget_never_adopted_is_refused(karlskoga: Finsam) -> None:
    refused(
        karlskoga,
        MoneyRuleViolation,
        "inte antagen",
        lambda: karlskoga.record_outcome(KARLSKOGA_DEGERFORS, 2023, date(2023, 1, 1), {"coaching": 1}),
    )


def test_closing_the_year_carries_equity_forward(october: Finsam) -> None:
    carried = october.close_year(KARLSKOGA_DEGERFORS, 2023, -928_000, date(2024, 2, 15))
    assert carried == 590_000
    ref = record_board_decision(
        october,
        KARLSKOGA_DEGERFORS,
        "2023-5",
        date(2023, 11, 20),
        "Verksamhets- och budgetplan 2024",
        ("att anta verksamhets- och budgetplan 2024",),
    )
    october.adopt_budget(
        KARLSKOGA_DEGERFORS,
        2024,
        KARLSKOGA_LINES_2022,
        (IncomeLine("Medlemsbidrag", Decimal(5_574_000)),),
        ref,
        surplus_used=424_000,
    )
    assert october.budget_status(KARLSKOGA_DEGERFORS, 2024).opening_equity == 590_000


def test_a_closed_year_takes_no_more_outcome(october: Finsam) -> None:
    october.close_year(KARLSKOGA_DEGERFORS, 2023, -928_000, date(2024, 2, 15))
    refused(
        october,
        MoneyRuleViolation,
        "stängt",
        lambda: october.record_outcome(KARLSKOGA_DEGERFORS, 2023, date(2023, 12, 1), {"coaching": 1}),
    )


def test_a_year_cannot_be_closed_before_it_ends(october: Finsam) -> None:
    refused(
        october,
        MoneyRuleViolation,
        "först efter årets slut",
        lambda: october.close_year(KARLSKOGA_DEGERFORS, 2023, 0, date(2023, 12, 31)),
    )


# --- the equity rule (003_*) -------------------------------------------------------------------


def kramfors_2024(app: Finsam, opening_equity: int) -> None:
    register_kramfors(app)
    record_kramfors_allocation(app, 2024)
    ref = record_board_decision(
        app, KRAMFORS, "2023-11-20", date(2023, 11, 20), "Budget 2024", ("att anta budget 2024",)
    )  # FICTITIOUS meeting
    app.adopt_budget(
        KRAMFORS,
        2024,
        (BudgetLine("insatser", "Insatser", Decimal(2_000_000)), BudgetLine("kansli", "Kansli", Decimal(586_000))),
        (IncomeLine("Driftsbidrag", Decimal(2_586_000)),),
        ref,
    )
    app.record_opening_equity(KRAMFORS, 2024, opening_equity)


def test_kramfors_equity_of_330_tkr_is_12_76_percent_of_2586000(app: Finsam) -> None:
    kramfors_2024(app, 330_000)
    status = app.budget_status(KRAMFORS, 2024)
    assert status.allocation == 2_586_000
    assert round(status.equity_ratio * 100, 2) == Decimal("12.76")  # type: ignore[operator]
    assert not any("taket" in flag for flag in status.flags)


def test_equity_above_20_percent_of_the_allocation_is_flagged(app: Finsam) -> None:
    kramfors_2024(app, 600_000)
    status = app.budget_status(KRAMFORS, 2024)
    assert status.equity_cap == Decimal("0.20")
    assert "Det egna kapitalet (600 000 kr) är 23,20 % av tilldelningen, över taket 20 %." in status.flags
