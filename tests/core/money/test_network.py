"""NNS: the fee policy over time, the service fee, membership, withdrawal and the roster."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from finsam_core.application import Finsam
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation, NotFound
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS,
    KRAMFORS,
    fictitious_org_nr,
    record_karlskoga_allocation,
    record_kramfors_allocation,
    refused,
    register_fictitious_network,
    register_karlskoga_degerfors,
    register_kramfors,
    register_nns,
)


@pytest.fixture
def nns(app: Finsam) -> Finsam:
    register_nns(app)
    register_kramfors(app)
    app.join_network(KRAMFORS, date(2010, 1, 1))
    return app


def test_the_fee_policy_history_is_2_per_mille_to_2023_and_3_5_capped_from_2024(nns: Finsam) -> None:
    network = nns.network()
    assert network.policy_for(2023).per_mille == 2  # type: ignore[union-attr]
    assert network.policy_for(2023).cap is None  # type: ignore[union-attr]
    assert network.policy_for(2024).per_mille == Decimal("3.5")  # type: ignore[union-attr]
    assert network.policy_for(2030).cap == 30_000  # type: ignore[union-attr]


def test_kramfors_fee_rises_from_about_5000_to_about_9000_kr(nns: Finsam) -> None:
    record_kramfors_allocation(nns, 2023)
    record_kramfors_allocation(nns, 2024)
    assert nns.service_fee(KRAMFORS, 2023).fee == 5_172
    fee_2024 = nns.service_fee(KRAMFORS, 2024)
    assert (fee_2024.allocation, fee_2024.per_mille, fee_2024.fee, fee_2024.capped) == (
        Decimal(2_586_000),
        Decimal("3.5"),
        Decimal(9_051),
        False,
    )


def test_the_fee_is_capped_at_30000_kr_for_a_large_forbund(nns: Finsam) -> None:
    nns.join_network(fictitious_org_nr(1), date(2010, 1, 1), name="Fiktivt förbund 01")
    register_karlskoga_degerfors(nns)
    nns.join_network(KARLSKOGA_DEGERFORS, date(2010, 1, 1))
    record_karlskoga_allocation(nns, 2024)
    big = {key: value * 2 for key, value in {"FK": 2_787_000, "RÖL": 1_393_500, "DK": 348_375, "KK": 1_045_125}.items()}
    nns.record_allocation(KARLSKOGA_DEGERFORS, 2024, big)
    fee = nns.service_fee(KARLSKOGA_DEGERFORS, 2024)
    assert (fee.fee, fee.capped) == (Decimal(30_000), True)


def test_the_fee_list_shows_every_member_with_allocation_rate_fee_and_cap(nns: Finsam) -> None:
    register_karlskoga_degerfors(nns)
    nns.join_network(KARLSKOGA_DEGERFORS, date(2010, 1, 1))
    nns.join_network(fictitious_org_nr(1), date(2010, 1, 1), name="Fiktivt förbund 01")
    record_kramfors_allocation(nns, 2024)
    record_karlskoga_allocation(nns, 2024)
    fees = nns.fee_list(2024)
    by_org = {entry.org_nr: entry for entry in fees.entries}
    assert by_org[KRAMFORS].fee == 9_051
    assert by_org[KARLSKOGA_DEGERFORS].fee == 19_509  # 3.5 per mille of 5 574 000
    assert by_org[fictitious_org_nr(1)].fee is None  # no allocation recorded
    assert (fees.total, fees.missing_allocation, fees.per_mille, fees.cap) == (
        Decimal(28_560),
        1,
        Decimal("3.5"),
        Decimal(30_000),
    )


def test_the_fee_list_leaves_out_a_forbund_that_has_left(nns: Finsam) -> None:
    record_kramfors_allocation(nns, 2025)
    nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13))
    assert nns.fee_list(2025).entries == ()
    assert len(nns.fee_list(2024).entries) == 1


def test_a_fee_policy_with_a_negative_rate_is_refused(nns: Finsam) -> None:
    refused(nns, InvalidInput, "promillesats kan inte vara negativ", lambda: nns.set_fee_policy(2026, "-1", 30_000))


def test_a_fee_policy_with_a_cap_below_zero_is_refused(nns: Finsam) -> None:
    refused(
        nns, InvalidInput, "Taket för serviceavgiften kan inte vara under noll", lambda: nns.set_fee_policy(2026, 3, -5)
    )


def test_two_fee_policies_from_the_same_year_are_refused(nns: Finsam) -> None:
    refused(nns, MoneyRuleViolation, "redan en avgiftsmodell från 2024", lambda: nns.set_fee_policy(2024, 4, None))


def test_withdrawal_takes_effect_at_the_first_year_end_three_months_after_the_notice(nns: Finsam) -> None:
    assert nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13)) == date(2024, 12, 31)
    roster_end = nns.network_roster(date(2024, 12, 31))
    roster_next = nns.network_roster(date(2025, 1, 1))
    assert roster_end.entries[0].member and not roster_next.entries[0].member
    assert roster_next.entries[0].leaves_after == date(2024, 12, 31)


def test_a_notice_later_than_30_september_takes_effect_a_year_later(nns: Finsam) -> None:
    assert nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 10, 1)) == date(2025, 12, 31)


def test_a_notice_at_23_30_swedish_time_on_30_september_is_in_time(nns: Finsam) -> None:
    received = datetime(2024, 9, 30, 21, 30, tzinfo=UTC)  # 23:30 CEST
    assert nns.give_network_withdrawal_notice(KRAMFORS, received) == date(2024, 12, 31)


def test_a_notice_at_00_30_swedish_time_on_1_october_waits_a_year(nns: Finsam) -> None:
    received = datetime(2024, 9, 30, 22, 30, tzinfo=UTC)  # 00:30 CEST on 1 October
    assert nns.give_network_withdrawal_notice(KRAMFORS, received) == date(2025, 12, 31)


def test_a_withdrawal_notice_must_be_written(nns: Finsam) -> None:
    refused(
        nns,
        MembershipRuleViolation,
        "skriftligt",
        lambda: nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13), written=False),
    )


def test_a_withdrawal_notice_may_be_revoked_before_it_takes_effect(nns: Finsam) -> None:
    nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13))
    nns.revoke_network_withdrawal(KRAMFORS, date(2024, 12, 1))
    assert nns.network_roster(date(2025, 6, 1)).entries[0].member


def test_a_withdrawal_cannot_be_revoked_after_it_took_effect(nns: Finsam) -> None:
    nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13))
    refused(
        nns,
        MembershipRuleViolation,
        "kan inte återkallas",
        lambda: nns.revoke_network_withdrawal(KRAMFORS, date(2025, 1, 2)),
    )


def test_a_forbund_that_left_may_join_again(nns: Finsam) -> None:
    nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13))
    nns.join_network(KRAMFORS, date(2026, 1, 1))
    assert not nns.network_roster(date(2025, 6, 1)).entries[0].member
    assert nns.network_roster(date(2026, 1, 1)).entries[0].member


def test_a_second_notice_while_one_is_pending_is_refused(nns: Finsam) -> None:
    nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13))
    refused(
        nns,
        MembershipRuleViolation,
        "redan sagt upp",
        lambda: nns.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 20)),
    )


def test_a_withdrawal_notice_from_a_forbund_that_is_not_a_member_is_refused(nns: Finsam) -> None:
    nns.list_in_network(fictitious_org_nr(2), "Fiktivt förbund 02")
    refused(
        nns,
        MembershipRuleViolation,
        "är inte medlem i NNS",
        lambda: nns.give_network_withdrawal_notice(fictitious_org_nr(2), date(2024, 9, 13)),
    )


def test_a_withdrawal_notice_dated_before_the_forbund_joined_is_refused(nns: Finsam) -> None:
    refused(
        nns,
        MembershipRuleViolation,
        "innan Samordningsförbundet Kramfors gick med i NNS",
        lambda: nns.give_network_withdrawal_notice(KRAMFORS, date(2009, 6, 1)),
    )


def test_the_roster_shows_68_of_72_forbund_as_members(nns: Finsam) -> None:
    register_fictitious_network(nns, known=71, members=67)
    roster = nns.network_roster(date(2024, 1, 26))
    assert (roster.members, roster.total) == (68, 72)
    assert str(roster) == "68 av 72 förbund är medlemmar i NNS 2024-01-26."
    assert sum(1 for entry in roster.entries if entry.name.startswith("Fiktivt förbund")) == 71


def test_the_roster_as_of_a_date_before_a_forbund_joined(nns: Finsam) -> None:
    register_fictitious_network(nns, known=3, members=3, joined_on=date(2020, 1, 1))
    assert nns.network_roster(date(2019, 12, 31)).members == 1
    assert nns.network_roster(date(2020, 1, 1)).members == 4


def test_the_fee_for_a_year_without_a_policy_is_not_found(app: Finsam) -> None:
    app.found_network()
    register_kramfors(app)
    app.join_network(KRAMFORS, date(2010, 1, 1))
    record_kramfors_allocation(app, 2024)
    refused(app, NotFound, "ingen avgiftsmodell som gäller 2024", lambda: app.service_fee(KRAMFORS, 2024))
