"""Money arithmetic: NNS fee, allocation split, budget follow-up and equity, from the seeds."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest

from finsam_core.errors import InvalidInput
from finsam_core.rules.money import (
    AllocationSplit,
    FeeResult,
    budget_deadline,
    budget_deviation,
    budget_is_late,
    budget_used_share,
    check_allocation,
    equity_above_cap,
    equity_after,
    equity_ratio,
    format_kronor,
    period_benchmark,
    period_budget,
    service_fee,
    statutory_split,
    statutory_split_from_state,
)
from finsam_core.rules.parameters import parameters_on
from finsam_core.values import MemberKind

PARAMS = parameters_on(date(2024, 1, 1))
CAP = Decimal("30000")
KRAMFORS_ALLOCATION = Decimal("2586000")

FK = MemberKind.FORSAKRINGSKASSAN
AF = MemberKind.ARBETSFORMEDLINGEN
REGION = MemberKind.REGION
KOMMUN = MemberKind.KOMMUN


def karlskoga_degerfors(**changes: Decimal) -> dict[str, tuple[MemberKind, Decimal]]:
    """The allocation of Karlskoga/Degerfors 2020 and 2022 (seeds 001_*, 004_*), with changes."""
    contributions = {
        "Försäkringskassan": (FK, Decimal("2787000")),
        "Arbetsförmedlingen": (AF, Decimal("0")),
        "Region Örebro län": (REGION, Decimal("1393500")),
        "Degerfors kommun": (KOMMUN, Decimal("348375")),
        "Karlskoga kommun": (KOMMUN, Decimal("1045125")),
    }
    for name, amount in changes.items():
        kind = contributions[name][0]
        contributions[name] = (kind, amount)
    return contributions


KEY_25_75 = {"Degerfors kommun": Decimal(25), "Karlskoga kommun": Decimal(75)}


# Service fee to NNS (seed 003_*, Kramfors).


def test_kramfors_paid_5172_kr_at_2_per_mille() -> None:
    assert service_fee(KRAMFORS_ALLOCATION, Decimal("2"), None) == FeeResult(Decimal(5172), False)


def test_kramfors_pays_9051_kr_at_3_5_per_mille() -> None:
    assert service_fee(KRAMFORS_ALLOCATION, Decimal("3.5"), CAP).fee == Decimal(9051)


def test_kramfors_is_not_affected_by_the_cap() -> None:
    assert not service_fee(KRAMFORS_ALLOCATION, Decimal("3.5"), CAP).capped


def test_the_fee_just_below_the_cap_rounds_to_30000_uncapped() -> None:
    assert service_fee(Decimal("8571428.57"), Decimal("3.5"), CAP) == FeeResult(Decimal(30000), False)


def test_the_fee_is_capped_just_above_8571428_57() -> None:
    assert service_fee(Decimal("8571428.58"), Decimal("3.5"), CAP) == FeeResult(Decimal(30000), True)


def test_a_large_forbund_pays_only_the_cap() -> None:
    assert service_fee(Decimal("20000000"), Decimal("3.5"), CAP).fee == CAP


def test_without_a_cap_a_large_forbund_pays_the_full_rate() -> None:
    assert service_fee(Decimal("20000000"), Decimal("3.5"), None).fee == Decimal(70000)


def test_the_fee_rounds_half_a_krona_up() -> None:
    assert service_fee(Decimal("1000"), Decimal("0.5"), None).fee == Decimal(1)


def test_the_fee_rounds_less_than_half_a_krona_down() -> None:
    assert service_fee(Decimal("999"), Decimal("0.5"), None).fee == Decimal(0)


def test_the_fee_is_whole_kronor() -> None:
    assert service_fee(KRAMFORS_ALLOCATION, Decimal("3.5"), CAP).fee.as_tuple().exponent == 0


def test_a_negative_rate_is_refused() -> None:
    with pytest.raises(InvalidInput, match="promillesats kan inte vara negativ"):
        service_fee(KRAMFORS_ALLOCATION, Decimal("-2"), None)


def test_a_negative_cap_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Taket för serviceavgiften"):
        service_fee(KRAMFORS_ALLOCATION, Decimal("2"), Decimal("-1"))


def test_a_negative_allocation_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Tilldelningen kan inte vara negativ"):
        service_fee(Decimal("-1"), Decimal("2"), None)


def test_a_float_allocation_is_refused() -> None:
    with pytest.raises(InvalidInput, match="exakt belopp"):
        service_fee(2586000.0, Decimal("2"), None)  # type: ignore[arg-type]


# The statutory split.


def test_a_total_of_5574000_splits_into_2787000_1393500_1393500() -> None:
    assert statutory_split(Decimal("5574000"), PARAMS) == AllocationSplit(
        Decimal("2787000"), Decimal("1393500"), Decimal("1393500")
    )


def test_state_money_of_2787000_gives_a_total_of_5574000() -> None:
    assert statutory_split_from_state(Decimal("2787000"), PARAMS).total == Decimal("5574000")


def test_region_and_kommuner_each_match_half_the_state_money() -> None:
    split = statutory_split_from_state(Decimal("2787000"), PARAMS)
    assert (split.regions, split.kommuner) == (Decimal("1393500"), Decimal("1393500"))


def test_a_negative_total_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Tilldelningen kan inte vara negativ"):
        statutory_split(Decimal("-1"), PARAMS)


def test_karlskoga_degerfors_allocation_follows_the_law() -> None:
    assert check_allocation(karlskoga_degerfors(), KEY_25_75, PARAMS) == []


def test_the_kommun_key_may_be_given_as_shares() -> None:
    key = {"Degerfors kommun": Decimal("0.25"), "Karlskoga kommun": Decimal("0.75")}
    assert check_allocation(karlskoga_degerfors(), key, PARAMS) == []


def test_without_a_key_only_the_kommuner_total_is_checked() -> None:
    contributions = karlskoga_degerfors(
        **{"Degerfors kommun": Decimal("696750"), "Karlskoga kommun": Decimal("696750")}
    )
    assert check_allocation(contributions, None, PARAMS) == []


def test_a_kommun_paying_off_the_key_is_named() -> None:
    contributions = karlskoga_degerfors(
        **{"Degerfors kommun": Decimal("696750"), "Karlskoga kommun": Decimal("696750")}
    )
    assert check_allocation(contributions, KEY_25_75, PARAMS) == [
        "Degerfors kommun ska enligt fördelningsnyckeln betala 348 375 kr (25 % av kommunernas "
        "andel), men betalar 696 750 kr.",
        "Karlskoga kommun ska enligt fördelningsnyckeln betala 1 045 125 kr (75 % av kommunernas "
        "andel), men betalar 696 750 kr.",
    ]


def test_a_region_paying_too_little_is_the_only_deviation() -> None:
    contributions = karlskoga_degerfors(**{"Region Örebro län": Decimal("1300000")})
    assert check_allocation(contributions, KEY_25_75, PARAMS) == [
        "Regionerna ska tillsammans betala 25 % av tilldelningen, 1 393 500 kr, men betalar 1 300 000 kr."
    ]


def test_arbetsformedlingen_paying_its_own_share_is_a_deviation() -> None:
    contributions = karlskoga_degerfors(
        **{"Försäkringskassan": Decimal("1393500"), "Arbetsförmedlingen": Decimal("1393500")}
    )
    assert check_allocation(contributions, KEY_25_75, PARAMS) == [
        "Arbetsförmedlingen betalar 1 393 500 kr, men Försäkringskassan ska betala hela statens "
        "andel, även Arbetsförmedlingens."
    ]


def test_a_difference_under_one_krona_is_rounding() -> None:
    contributions = karlskoga_degerfors(**{"Degerfors kommun": Decimal("348375.60")})
    assert check_allocation(contributions, KEY_25_75, PARAMS) == []


def test_a_difference_of_one_krona_is_a_deviation() -> None:
    contributions = karlskoga_degerfors(**{"Region Örebro län": Decimal("1393501")})
    assert len(check_allocation(contributions, KEY_25_75, PARAMS)) == 1


def test_a_missing_forsakringskassan_is_a_deviation() -> None:
    contributions = karlskoga_degerfors()
    del contributions["Försäkringskassan"]
    assert "Bidrag från Försäkringskassan saknas; den betalar statens andel." in check_allocation(
        contributions, KEY_25_75, PARAMS
    )


def test_a_missing_region_is_a_deviation() -> None:
    contributions = karlskoga_degerfors()
    del contributions["Region Örebro län"]
    assert check_allocation(contributions, KEY_25_75, PARAMS) == [
        "Bidrag från en region saknas; minst en region ska vara medlem."
    ]


def test_a_missing_kommun_is_a_deviation() -> None:
    contributions = karlskoga_degerfors()
    del contributions["Degerfors kommun"]
    del contributions["Karlskoga kommun"]
    assert check_allocation(contributions, None, PARAMS) == [
        "Bidrag från en kommun saknas; minst en kommun ska vara medlem."
    ]


def test_a_kommun_missing_from_the_key_is_a_deviation() -> None:
    key = {"Karlskoga kommun": Decimal(75)}
    assert "Kommunen Degerfors kommun saknas i fördelningsnyckeln." in check_allocation(
        karlskoga_degerfors(), key, PARAMS
    )


def test_a_key_naming_an_unknown_kommun_is_a_deviation() -> None:
    key = {**KEY_25_75, "Storfors kommun": Decimal(0)}
    assert check_allocation(karlskoga_degerfors(), key, PARAMS) == [
        "Fördelningsnyckeln nämner Storfors kommun, som inte finns bland kommunernas bidrag."
    ]


def test_a_key_of_zeros_is_refused() -> None:
    key = {"Degerfors kommun": Decimal(0), "Karlskoga kommun": Decimal(0)}
    with pytest.raises(InvalidInput, match="Fördelningsnyckeln"):
        check_allocation(karlskoga_degerfors(), key, PARAMS)


def test_a_negative_contribution_is_refused() -> None:
    contributions = karlskoga_degerfors(**{"Degerfors kommun": Decimal("-1")})
    with pytest.raises(InvalidInput, match="Bidraget från Degerfors kommun kan inte vara negativt"):
        check_allocation(contributions, KEY_25_75, PARAMS)


# Budget follow-up (seed 000_*, § 51).


def test_the_period_benchmark_after_october_is_ten_twelfths() -> None:
    assert period_benchmark(10) == Decimal(10) / Decimal(12)


def test_the_period_benchmark_after_october_reads_83_3_percent() -> None:
    assert period_benchmark(10).quantize(Decimal("0.001")) == Decimal("0.833")


def test_the_period_benchmark_after_december_is_the_whole_budget() -> None:
    assert period_benchmark(12) == 1


def test_a_thirteenth_month_is_refused() -> None:
    with pytest.raises(InvalidInput, match="mellan 0 och 12"):
        period_benchmark(13)


def test_a_negative_month_count_is_refused() -> None:
    with pytest.raises(InvalidInput, match="mellan 0 och 12"):
        period_benchmark(-1)


def test_5418_used_of_6088_after_october_is_344_67_over_the_period_budget() -> None:
    deviation = budget_deviation(Decimal(6088), Decimal(5418), 10)
    assert deviation == Decimal("-344.67")


def test_the_deviation_is_rounded_once_to_the_ore() -> None:
    assert budget_deviation(Decimal(6_088_000), Decimal(5_418_000), 10) == Decimal("-344666.67")
    assert period_budget(Decimal(4_400_000), 10) == Decimal("3666666.67")


def test_the_october_deviation_rounds_to_minus_345_tkr() -> None:
    deviation = budget_deviation(Decimal(6088), Decimal(5418), 10)
    assert deviation.quantize(Decimal(1), rounding=ROUND_HALF_UP) == Decimal(-345)


def test_the_seeds_minus_344_tkr_is_the_deviation_cut_to_whole_tkr() -> None:
    deviation = budget_deviation(Decimal(6088), Decimal(5418), 10)
    assert deviation.quantize(Decimal(1), rounding=ROUND_DOWN) == Decimal(-344)


def test_spending_below_the_period_budget_is_a_positive_deviation() -> None:
    assert budget_deviation(Decimal(1200), Decimal(500), 6) == Decimal(100)


def test_5418_of_6088_is_89_percent_of_the_year_budget() -> None:
    assert budget_used_share(Decimal(5418), Decimal(6088)).quantize(Decimal("0.01")) == Decimal("0.89")


def test_a_share_of_a_zero_budget_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Årsbudgeten"):
        budget_used_share(Decimal(5418), Decimal(0))


# Equity.


def test_kramfors_equity_of_330_tkr_is_12_76_percent_of_its_allocation() -> None:
    ratio = equity_ratio(Decimal("330000"), KRAMFORS_ALLOCATION)
    assert ratio.quantize(Decimal("0.0001")) == Decimal("0.1276")


def test_kramfors_equity_is_not_above_the_20_percent_cap() -> None:
    assert not equity_above_cap(Decimal("330000"), KRAMFORS_ALLOCATION, PARAMS.equity_cap)


def test_equity_exactly_at_the_cap_is_not_above_it() -> None:
    assert not equity_above_cap(Decimal("517200"), KRAMFORS_ALLOCATION, Decimal("0.20"))


def test_equity_one_krona_over_the_cap_is_above_it() -> None:
    assert equity_above_cap(Decimal("517201"), KRAMFORS_ALLOCATION, Decimal("0.20"))


def test_equity_against_a_zero_allocation_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Tilldelningen måste vara större än noll"):
        equity_ratio(Decimal("330000"), Decimal(0))


def test_the_forecast_lines_add_up_to_a_400_tkr_deficit() -> None:
    assert sum((Decimal(-500), Decimal(50), Decimal(50)), Decimal(0)) == Decimal(-400)


def test_karlskoga_degerfors_has_590_tkr_left_at_the_end_of_2023() -> None:
    assert equity_after(Decimal(1518), Decimal(-528), Decimal(-400)) == Decimal(590)


# Budget deadline.


def test_the_budget_for_2024_is_due_on_30_november_2023() -> None:
    assert budget_deadline(2024, PARAMS) == date(2023, 11, 30)


def test_a_budget_adopted_on_30_november_is_on_time() -> None:
    assert not budget_is_late(date(2023, 11, 30), 2024, PARAMS)


def test_a_budget_adopted_on_1_december_is_late() -> None:
    assert budget_is_late(date(2023, 12, 1), 2024, PARAMS)


def test_a_budget_adopted_in_the_budget_year_is_late() -> None:
    assert budget_is_late(date(2024, 1, 15), 2024, PARAMS)


# Formatting.


def test_whole_kronor_are_written_with_spaces_between_thousands() -> None:
    assert format_kronor(Decimal("2787000")) == "2 787 000 kr"


def test_ore_are_written_after_a_decimal_comma() -> None:
    assert format_kronor(Decimal("1393500.5")) == "1 393 500,50 kr"
