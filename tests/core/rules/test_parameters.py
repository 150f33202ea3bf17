"""Dated rule parameters: which set is in force on a given day."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from finsam_core.errors import InvalidInput
from finsam_core.rules.parameters import HISTORY, StatutoryParameters, parameters_on


def test_the_first_set_takes_effect_with_finsamlagen_on_1_january_2004() -> None:
    assert min(params.effective_from for params in HISTORY) == date(2004, 1, 1)


def test_minutes_are_adjusted_within_14_days() -> None:
    assert parameters_on(date(2024, 5, 30)).adjustment_days == 14


def test_the_notice_is_posted_by_the_second_day_after_adjustment() -> None:
    assert parameters_on(date(2024, 5, 30)).notice_posting_days == 2


def test_an_appeal_must_arrive_within_three_weeks() -> None:
    assert parameters_on(date(2024, 5, 30)).appeal_weeks == 3


def test_a_member_gives_three_years_notice() -> None:
    assert parameters_on(date(2024, 5, 30)).member_notice_years == 3


def test_withdrawal_from_nns_needs_three_months_notice() -> None:
    assert parameters_on(date(2024, 5, 30)).nns_withdrawal_notice_months == 3


def test_the_budget_is_due_on_30_november() -> None:
    params = parameters_on(date(2024, 5, 30))
    assert (params.budget_deadline_month, params.budget_deadline_day) == (11, 30)


def test_the_annual_report_is_due_three_months_after_year_end() -> None:
    assert parameters_on(date(2024, 5, 30)).annual_report_months == 3


def test_equity_is_capped_at_20_percent_of_the_allocation() -> None:
    assert parameters_on(date(2024, 5, 30)).equity_cap == Decimal("0.20")


def test_the_state_pays_half_and_region_and_kommuner_a_quarter_each() -> None:
    params = parameters_on(date(2024, 5, 30))
    shares = (params.state_share, params.region_share, params.kommun_share)
    assert shares == (Decimal("0.5"), Decimal("0.25"), Decimal("0.25"))


def test_every_set_in_history_shares_out_the_whole_allocation() -> None:
    for params in HISTORY:
        assert params.state_share + params.region_share + params.kommun_share == 1


def test_a_set_is_in_force_from_its_first_day() -> None:
    later = StatutoryParameters(effective_from=date(2030, 7, 1), adjustment_days=10)
    history = (*HISTORY, later)
    assert parameters_on(date(2030, 7, 1), history) is later


def test_the_previous_set_holds_until_the_day_before() -> None:
    later = StatutoryParameters(effective_from=date(2030, 7, 1), adjustment_days=10)
    history = (*HISTORY, later)
    assert parameters_on(date(2030, 6, 30), history).adjustment_days == 14


def test_the_order_of_the_history_does_not_matter() -> None:
    later = StatutoryParameters(effective_from=date(2030, 7, 1), adjustment_days=10)
    history = (later, *HISTORY)
    assert parameters_on(date(2031, 1, 1), history) is later
    assert parameters_on(date(2024, 6, 1), history) is HISTORY[0]


def test_no_set_is_in_force_before_the_law() -> None:
    with pytest.raises(InvalidInput, match="inga regler för 2003-12-31"):
        parameters_on(date(2003, 12, 31))


def test_two_sets_from_the_same_day_are_refused() -> None:
    twin = StatutoryParameters(effective_from=date(2004, 1, 1), adjustment_days=10)
    with pytest.raises(InvalidInput, match="Två olika regeluppsättningar"):
        parameters_on(date(2005, 1, 1), (HISTORY[0], twin))


def test_a_parameter_set_cannot_be_changed() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        HISTORY[0].adjustment_days = 10  # type: ignore[misc]


def test_shares_that_do_not_add_up_to_the_whole_are_refused() -> None:
    with pytest.raises(InvalidInput, match="100 %"):
        StatutoryParameters(effective_from=date(2030, 1, 1), region_share=Decimal("0.30"))


def test_a_negative_share_is_refused() -> None:
    with pytest.raises(InvalidInput, match="positiva"):
        StatutoryParameters(
            effective_from=date(2030, 1, 1),
            state_share=Decimal("0.75"),
            region_share=Decimal("0.5"),
            kommun_share=Decimal("-0.25"),
        )


def test_a_negative_deadline_is_refused() -> None:
    with pytest.raises(InvalidInput, match="justeringsfristen"):
        StatutoryParameters(effective_from=date(2030, 1, 1), adjustment_days=-1)


def test_a_budget_deadline_that_is_no_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="är inget datum"):
        StatutoryParameters(effective_from=date(2030, 1, 1), budget_deadline_month=2, budget_deadline_day=30)


def test_a_negative_equity_cap_is_refused() -> None:
    with pytest.raises(InvalidInput, match="eget kapital"):
        StatutoryParameters(effective_from=date(2030, 1, 1), equity_cap=Decimal("-0.1"))
