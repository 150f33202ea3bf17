"""Members joining and leaving a förbund, as issue 3 states the rules (the commands are the governance core's)."""

from __future__ import annotations

from datetime import date

import msgspec

from finsam_core.application import Finsam
from finsam_core.domain.charter import DecisionRef
from finsam_core.errors import BoardRuleViolation, MembershipRuleViolation
from finsam_core.testing import (
    KARLSKOGA_ALLOCATION,
    KARLSKOGA_DEGERFORS,
    KRAMFORS,
    refused,
    register_karlskoga_degerfors,
    register_kramfors,
)
from finsam_core.values import MemberKind, MemberOrganisation, Ratio

COUNCIL = DecisionRef("Kommunfullmäktige", "KF § 1", date(2024, 3, 1))  # FICTITIOUS


def test_a_kommun_of_two_gives_notice_and_leaves_three_years_later(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    assert app.give_member_notice(KARLSKOGA_DEGERFORS, "DK", date(2024, 3, 1), COUNCIL) == date(2027, 3, 1)


def test_a_charter_with_a_shorter_notice_period_applies(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    forbund = app.forbund(KARLSKOGA_DEGERFORS)
    shorter = forbund.charter_on(date(2024, 1, 1))
    app.amend_charter(
        KARLSKOGA_DEGERFORS,
        msgspec.structs.replace(shorter, member_notice_years=1),
        date(2024, 1, 1),
        DecisionRef("Medlemmarnas fullmäktige", "beslut om ny förbundsordning", date(2023, 12, 1)),
    )
    assert app.give_member_notice(KARLSKOGA_DEGERFORS, "DK", date(2024, 3, 1), COUNCIL) == date(2025, 3, 1)


def test_the_only_region_giving_notice_is_recorded_and_flagged(app: Finsam) -> None:
    register_kramfors(app)
    assert app.give_member_notice(KRAMFORS, "RVN", date(2024, 3, 1), COUNCIL) == date(2027, 3, 1)
    forbund = app.forbund(KRAMFORS)
    assert next(m for m in forbund.memberships if m.member.key == "RVN").leaves_on == date(2027, 3, 1)
    (flag,) = forbund.liquidation_flags
    assert (flag.member_key, flag.leaves_on, flag.missing) == ("RVN", date(2027, 3, 1), (MemberKind.REGION,))
    assert "likvideras" in flag.message and "saknar förbundet region" in flag.message


def test_the_last_kommun_giving_notice_is_recorded_and_flagged(app: Finsam) -> None:
    register_kramfors(app)
    app.give_member_notice(KRAMFORS, "KRK", date(2024, 3, 1), COUNCIL)
    assert [flag.missing for flag in app.forbund(KRAMFORS).liquidation_flags] == [(MemberKind.KOMMUN,)]


def test_a_kommun_of_two_giving_notice_is_not_flagged(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    app.give_member_notice(KARLSKOGA_DEGERFORS, "DK", date(2024, 3, 1), COUNCIL)
    assert app.forbund(KARLSKOGA_DEGERFORS).liquidation_flags == []


def test_arbetsformedlingen_cannot_leave(app: Finsam) -> None:
    register_kramfors(app)
    refused(
        app,
        MembershipRuleViolation,
        "bara en kommun eller en region",
        lambda: app.give_member_notice(KRAMFORS, "AF", date(2024, 3, 1), COUNCIL),
    )


def test_a_new_kommun_may_join(app: Finsam) -> None:
    register_kramfors(app)
    app.admit_member(
        KRAMFORS, MemberOrganisation("SK", "Sollefteå kommun", MemberKind.KOMMUN), date(2025, 1, 1), COUNCIL
    )
    assert "SK" in [m.key for m in app.forbund(KRAMFORS).members_on(date(2025, 1, 1))]


def test_a_kommun_that_has_left_cannot_contribute_to_a_later_years_allocation(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    app.give_member_notice(KARLSKOGA_DEGERFORS, "DK", date(2020, 12, 31), COUNCIL)  # leaves 2023-12-31
    refused(
        app,
        MembershipRuleViolation,
        "DK är inte medlem i förbundet under året",
        lambda: app.record_allocation(KARLSKOGA_DEGERFORS, 2024, KARLSKOGA_ALLOCATION),
    )


def test_a_charter_with_a_notice_period_longer_than_the_law_allows_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    charter = app.forbund(KARLSKOGA_DEGERFORS).charter_on(date(2024, 1, 1))
    refused(
        app,
        MembershipRuleViolation,
        "högst 3 år",
        lambda: app.amend_charter(
            KARLSKOGA_DEGERFORS,
            msgspec.structs.replace(charter, member_notice_years=4),
            date(2024, 1, 1),
            DecisionRef("Medlemmarnas fullmäktige", "beslut om ny förbundsordning", date(2023, 12, 1)),
        ),
    )


def test_a_forbund_registered_with_a_notice_period_longer_than_the_law_allows_is_refused(app: Finsam) -> None:
    register_kramfors(app)
    kramfors = app.forbund(KRAMFORS)
    members = tuple(m.member for m in kramfors.memberships)
    charter = msgspec.structs.replace(kramfors.charter_on(date(2024, 1, 1)), member_notice_years=5)
    refused(
        app,
        MembershipRuleViolation,
        "högst 3 år",
        lambda: app.register_forbund("222000-2279", "Samordningsförbundet Prov", members, charter, date(2024, 1, 1)),
    )


def test_a_charter_with_a_quorum_below_the_laws_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    charter = app.forbund(KARLSKOGA_DEGERFORS).charter_on(date(2024, 1, 1))
    refused(
        app,
        BoardRuleViolation,
        "mer än hälften",
        lambda: app.amend_charter(
            KARLSKOGA_DEGERFORS,
            msgspec.structs.replace(charter, quorum_more_than=Ratio(1, 3)),
            date(2024, 1, 1),
            DecisionRef("Medlemmarnas fullmäktige", "beslut om ny förbundsordning", date(2023, 12, 1)),
        ),
    )
