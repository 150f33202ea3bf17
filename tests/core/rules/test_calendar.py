"""Dates of minutes, appeals and notices, checked against the real Swedish calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from finsam_core.errors import AdjustmentRuleViolation, InvalidInput, NoticeRuleViolation
from finsam_core.rules.calendar import (
    add_months,
    adjustment_deadline,
    annual_report_deadline,
    appeal_period_end,
    is_adjustment_late,
    is_non_working_day,
    is_notice_late,
    member_exit_date,
    next_working_day,
    nns_last_notice_day,
    nns_withdrawal_effective,
    notice_deadline,
    statutory_last_day,
)
from finsam_core.rules.parameters import StatutoryParameters, parameters_on

PARAMS = parameters_on(date(2024, 1, 1))


# Non-working days (lag 1930:173): weekends, public holidays and the three eves.


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2024, 9, 7), id="a Saturday"),
        pytest.param(date(2024, 9, 8), id="a Sunday"),
        pytest.param(date(2024, 1, 1), id="New Year's Day"),
        pytest.param(date(2024, 1, 6), id="Epiphany"),
        pytest.param(date(2025, 1, 6), id="Epiphany on a Monday"),
        pytest.param(date(2024, 3, 29), id="Good Friday"),
        pytest.param(date(2024, 4, 1), id="Easter Monday"),
        pytest.param(date(2024, 5, 1), id="May Day"),
        pytest.param(date(2024, 5, 9), id="Ascension Day"),
        pytest.param(date(2024, 6, 6), id="National Day"),
        pytest.param(date(2024, 6, 21), id="midsommarafton"),
        pytest.param(date(2024, 6, 22), id="midsommardagen"),
        pytest.param(date(2025, 6, 20), id="midsommarafton 2025"),
        pytest.param(date(2024, 12, 24), id="julafton"),
        pytest.param(date(2024, 12, 25), id="Christmas Day"),
        pytest.param(date(2024, 12, 26), id="Boxing Day"),
        pytest.param(date(2024, 12, 31), id="nyårsafton"),
    ],
)
def test_is_a_non_working_day(day: date) -> None:
    assert is_non_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2024, 6, 10), id="an ordinary Monday"),
        pytest.param(date(2024, 3, 28), id="Maundy Thursday"),
        pytest.param(date(2024, 4, 30), id="Walpurgis night"),
        pytest.param(date(2024, 5, 10), id="the squeeze day after Ascension"),
        pytest.param(date(2024, 6, 20), id="the day before midsommarafton"),
        pytest.param(date(2024, 11, 1), id="All Saints' Eve"),
        pytest.param(date(2024, 12, 23), id="the day before julafton"),
        pytest.param(date(2024, 12, 27), id="the Friday after Christmas"),
    ],
)
def test_is_a_working_day(day: date) -> None:
    assert not is_non_working_day(day)


def test_the_next_working_day_of_a_working_day_is_that_day() -> None:
    assert next_working_day(date(2024, 6, 10)) == date(2024, 6, 10)


def test_the_next_working_day_after_christmas_eve_is_27_december() -> None:
    assert next_working_day(date(2024, 12, 24)) == date(2024, 12, 27)


# Adjustment and notice.


def test_minutes_may_be_adjusted_up_to_14_days_after_the_meeting() -> None:
    assert adjustment_deadline(date(2024, 5, 30), PARAMS) == date(2024, 6, 13)


def test_ornskoldsvik_minutes_signed_11_days_after_the_meeting_are_on_time() -> None:
    assert not is_adjustment_late(date(2024, 5, 30), date(2024, 6, 10), PARAMS)


def test_adjustment_on_the_14th_day_is_on_time() -> None:
    assert not is_adjustment_late(date(2024, 5, 30), date(2024, 6, 13), PARAMS)


def test_adjustment_on_the_15th_day_is_late() -> None:
    assert is_adjustment_late(date(2024, 5, 30), date(2024, 6, 14), PARAMS)


def test_adjustment_on_the_meeting_day_is_on_time() -> None:
    assert not is_adjustment_late(date(2024, 1, 26), date(2024, 1, 26), PARAMS)


def test_adjustment_before_the_meeting_is_refused_as_in_the_kramfors_header() -> None:
    with pytest.raises(AdjustmentRuleViolation, match="före sammanträdet 2024-01-26"):
        is_adjustment_late(date(2024, 1, 26), date(2022, 2, 5), PARAMS)


def test_the_adjustment_deadline_follows_the_parameters() -> None:
    shorter = StatutoryParameters(effective_from=date(2030, 1, 1), adjustment_days=7)
    assert adjustment_deadline(date(2030, 3, 4), shorter) == date(2030, 3, 11)


# Lag 1930:173 moves every statutory last day, the adjustment's and the posting's too.


def test_an_adjustment_deadline_on_midsommarafton_moves_to_the_monday() -> None:
    assert adjustment_deadline(date(2024, 6, 7), PARAMS) == date(2024, 6, 24)


def test_adjustment_on_the_monday_after_a_14th_day_on_midsommarafton_is_on_time() -> None:
    assert not is_adjustment_late(date(2024, 6, 7), date(2024, 6, 24), PARAMS)
    assert is_adjustment_late(date(2024, 6, 7), date(2024, 6, 25), PARAMS)


def test_an_adjustment_deadline_on_a_saturday_moves_to_the_monday() -> None:
    assert adjustment_deadline(date(2024, 5, 4), PARAMS) == date(2024, 5, 20)  # 18 May is a Saturday


def test_a_notice_deadline_on_julafton_moves_past_christmas_to_27_december() -> None:
    assert notice_deadline(date(2024, 12, 22), PARAMS) == date(2024, 12, 27)


def test_a_notice_deadline_on_a_sunday_moves_to_the_monday() -> None:
    assert notice_deadline(date(2024, 2, 2), PARAMS) == date(2024, 2, 5)
    assert not is_notice_late(date(2024, 2, 2), date(2024, 2, 5), PARAMS)


def test_every_statutory_last_day_moves_by_the_same_rule() -> None:
    for day in (date(2024, 6, 21), date(2024, 12, 24), date(2024, 12, 31), date(2024, 3, 29), date(2024, 6, 8)):
        assert statutory_last_day(day) == next_working_day(day)
    assert statutory_last_day(date(2024, 6, 21)) == date(2024, 6, 24)


def test_the_notice_is_due_the_second_day_after_adjustment() -> None:
    assert notice_deadline(date(2024, 2, 5), PARAMS) == date(2024, 2, 7)


def test_a_notice_on_the_second_day_is_on_time() -> None:
    assert not is_notice_late(date(2024, 2, 5), date(2024, 2, 7), PARAMS)


def test_a_notice_on_the_third_day_is_late() -> None:
    assert is_notice_late(date(2024, 2, 5), date(2024, 2, 8), PARAMS)


def test_a_notice_before_the_adjustment_is_refused() -> None:
    with pytest.raises(NoticeRuleViolation, match="före justeringen 2024-02-05"):
        is_notice_late(date(2024, 2, 5), date(2024, 2, 4), PARAMS)


# Appeal period: three weeks, moved past non-working days.


def test_the_appeal_period_ends_on_the_same_weekday_three_weeks_later() -> None:
    assert appeal_period_end(date(2024, 6, 10), PARAMS) == date(2024, 7, 1)


def test_an_appeal_period_ending_on_julafton_moves_to_27_december() -> None:
    assert appeal_period_end(date(2024, 12, 3), PARAMS) == date(2024, 12, 27)


def test_an_appeal_period_ending_on_nyarsafton_moves_past_new_years_day() -> None:
    assert appeal_period_end(date(2024, 12, 10), PARAMS) == date(2025, 1, 2)


def test_an_appeal_period_ending_on_midsommarafton_moves_to_the_monday() -> None:
    assert appeal_period_end(date(2024, 5, 31), PARAMS) == date(2024, 6, 24)


def test_an_appeal_period_ending_on_good_friday_moves_past_easter_monday() -> None:
    assert appeal_period_end(date(2024, 3, 8), PARAMS) == date(2024, 4, 2)


def test_an_appeal_period_ending_on_ascension_day_moves_to_the_squeeze_day() -> None:
    assert appeal_period_end(date(2024, 4, 18), PARAMS) == date(2024, 5, 10)


def test_an_appeal_period_ending_on_national_day_moves_to_the_next_day() -> None:
    assert appeal_period_end(date(2024, 5, 16), PARAMS) == date(2024, 6, 7)


def test_an_appeal_period_ending_on_may_day_moves_to_the_next_day() -> None:
    assert appeal_period_end(date(2024, 4, 10), PARAMS) == date(2024, 5, 2)


def test_an_appeal_period_ending_on_epiphany_moves_to_the_next_day() -> None:
    assert appeal_period_end(date(2024, 12, 16), PARAMS) == date(2025, 1, 7)


def test_an_appeal_period_ending_on_a_saturday_moves_to_the_monday() -> None:
    assert appeal_period_end(date(2024, 9, 7), PARAMS) == date(2024, 9, 30)


def test_an_appeal_period_ending_on_a_sunday_moves_to_the_monday() -> None:
    assert appeal_period_end(date(2024, 9, 8), PARAMS) == date(2024, 9, 30)


def test_an_appeal_period_ending_on_walpurgis_night_does_not_move() -> None:
    assert appeal_period_end(date(2024, 4, 9), PARAMS) == date(2024, 4, 30)


# Months, annual report, leaving a förbund, leaving NNS.


def test_adding_months_keeps_the_day() -> None:
    assert add_months(date(2024, 9, 30), 3) == date(2024, 12, 30)


def test_adding_months_to_a_long_month_ends_on_the_shorter_months_last_day() -> None:
    assert add_months(date(2023, 8, 31), 3) == date(2023, 11, 30)


def test_adding_months_crosses_the_year() -> None:
    assert add_months(date(2024, 10, 1), 3) == date(2025, 1, 1)


def test_the_annual_report_is_due_31_march() -> None:
    assert annual_report_deadline(2023, PARAMS) == date(2024, 3, 31)


def test_a_member_leaves_three_years_after_the_notice() -> None:
    assert member_exit_date(date(2024, 5, 30), 3) == date(2027, 5, 30)


def test_a_charter_may_set_a_shorter_notice_period() -> None:
    assert member_exit_date(date(2024, 5, 30), 1) == date(2025, 5, 30)


def test_a_notice_on_29_february_ends_on_28_february() -> None:
    assert member_exit_date(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_a_negative_member_notice_period_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Uppsägningstiden för en medlem"):
        member_exit_date(date(2024, 5, 30), -1)


def test_nns_withdrawal_noticed_on_30_september_takes_effect_that_year_end() -> None:
    assert nns_withdrawal_effective(date(2024, 9, 30)) == date(2024, 12, 31)


def test_nns_withdrawal_noticed_on_1_october_takes_effect_the_next_year_end() -> None:
    assert nns_withdrawal_effective(date(2024, 10, 1)) == date(2025, 12, 31)


def test_nns_withdrawal_noticed_in_january_takes_effect_that_year_end() -> None:
    assert nns_withdrawal_effective(date(2024, 1, 15)) == date(2024, 12, 31)


def test_kramfors_deciding_by_13_september_can_leave_nns_from_2025() -> None:
    assert nns_withdrawal_effective(date(2024, 9, 13)) == date(2024, 12, 31)


def test_nns_withdrawal_uses_the_given_notice_period() -> None:
    assert nns_withdrawal_effective(date(2024, 6, 30), months=6) == date(2024, 12, 31)


def test_nns_withdrawal_with_a_longer_notice_period_moves_a_year() -> None:
    assert nns_withdrawal_effective(date(2024, 7, 1), months=6) == date(2025, 12, 31)


def test_a_negative_nns_notice_period_is_refused() -> None:
    with pytest.raises(InvalidInput, match="utträde ur NNS"):
        nns_withdrawal_effective(date(2024, 7, 1), months=-1)


# NNS: "minst tre månader i förväg", read as docs/rules.md states: the last day to give notice for
# a year end is the day three months before 31 December (30 September), counted as add_months does.


def test_the_last_day_to_leave_nns_at_the_end_of_2024_is_30_september() -> None:
    assert nns_last_notice_day(2024) == date(2024, 9, 30)


def test_a_notice_exactly_three_months_before_the_year_end_is_in_time() -> None:
    assert nns_withdrawal_effective(nns_last_notice_day(2024)) == date(2024, 12, 31)


def test_a_notice_a_day_later_than_three_months_before_the_year_end_waits_a_year() -> None:
    assert nns_withdrawal_effective(nns_last_notice_day(2024) + timedelta(days=1)) == date(2025, 12, 31)


@pytest.mark.parametrize("months", [1, 2, 3, 6, 10, 12, 15])
def test_every_notice_takes_effect_at_the_first_year_end_whose_last_notice_day_it_meets(months: int) -> None:
    day = date(2023, 1, 1)
    while day < date(2025, 1, 1):
        effective = nns_withdrawal_effective(day, months)
        assert day <= nns_last_notice_day(effective.year, months)
        assert day > nns_last_notice_day(effective.year - 1, months)
        day += timedelta(days=1)
