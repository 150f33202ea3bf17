"""Allocation (tilldelning): each member's contribution, checked against the statutory split."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finsam_core.application import Finsam
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.testing import (
    KARLSKOGA_ALLOCATION,
    KARLSKOGA_DEGERFORS,
    record_karlskoga_allocation,
    refused,
    register_karlskoga_degerfors,
)


def test_karlskoga_allocation_2022_follows_the_statutory_split(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    record_karlskoga_allocation(app, 2022)
    allocation = app.allocation(KARLSKOGA_DEGERFORS, 2022)
    assert allocation.total == Decimal(5_574_000)
    amounts = {c.member_key: c.amount for c in allocation.current.contributions}
    assert amounts == {"FK": 2_787_000, "RÖL": 1_393_500, "DK": 348_375, "KK": 1_045_125}
    assert allocation.current.deviations == ()


def test_a_contribution_that_breaks_the_split_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    message = refused(
        app,
        MoneyRuleViolation,
        "lagstadgade fördelningen",
        lambda: app.record_allocation(KARLSKOGA_DEGERFORS, 2022, {**KARLSKOGA_ALLOCATION, "RÖL": 1_300_000}),
    )
    assert "Regionerna ska tillsammans betala 25 %" in message


def test_a_kommun_share_that_breaks_the_charter_key_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        MoneyRuleViolation,
        "Degerfors kommun ska enligt fördelningsnyckeln betala 348 375 kr",
        lambda: app.record_allocation(
            KARLSKOGA_DEGERFORS,
            2022,
            {**KARLSKOGA_ALLOCATION, "DK": 696_750, "KK": 696_750},
            kommun_key={"DK": 25, "KK": 75},
        ),
    )


def test_without_a_key_given_the_charters_kommun_key_applies(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        MoneyRuleViolation,
        "Degerfors kommun ska enligt fördelningsnyckeln betala 348 375 kr",
        lambda: app.record_allocation(
            KARLSKOGA_DEGERFORS, 2022, {**KARLSKOGA_ALLOCATION, "DK": 696_750, "KK": 696_750}
        ),
    )


def test_a_deviation_with_a_reason_is_recorded_with_its_departures(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    app.record_allocation(
        KARLSKOGA_DEGERFORS,
        2022,
        {**KARLSKOGA_ALLOCATION, "RÖL": 1_300_000},
        deviation_reason="Regionen betalar mindre enligt särskilt beslut",
    )
    version = app.allocation(KARLSKOGA_DEGERFORS, 2022).current
    assert version.deviation_reason == "Regionen betalar mindre enligt särskilt beslut"
    assert any("Regionerna" in d for d in version.deviations)


def test_a_second_record_revises_and_keeps_the_history(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    record_karlskoga_allocation(app, 2022)
    doubled = {key: 2 * value for key, value in KARLSKOGA_ALLOCATION.items()}
    app.record_allocation(KARLSKOGA_DEGERFORS, 2022, doubled, recorded_on=date(2022, 3, 1))
    allocation = app.allocation(KARLSKOGA_DEGERFORS, 2022)
    assert allocation.total == 2 * 5_574_000
    assert allocation.on(date(2022, 1, 1)).total == 5_574_000  # type: ignore[union-attr]


def test_a_negative_contribution_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        InvalidInput,
        "kan inte vara negativt",
        lambda: app.record_allocation(KARLSKOGA_DEGERFORS, 2022, {**KARLSKOGA_ALLOCATION, "KK": -1_045_125}),
    )


def test_contributions_that_do_not_add_up_to_the_stated_total_are_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        MoneyRuleViolation,
        "summerar till 5 574 000 kr, men totalen anges till 5 600 000 kr",
        lambda: app.record_allocation(KARLSKOGA_DEGERFORS, 2022, KARLSKOGA_ALLOCATION, total=5_600_000),
    )


def test_a_contribution_from_an_organisation_that_is_not_a_member_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        MembershipRuleViolation,
        "XK är inte medlem",
        lambda: app.record_allocation(KARLSKOGA_DEGERFORS, 2022, {**KARLSKOGA_ALLOCATION, "XK": 1}),
    )


def test_an_amount_given_as_a_float_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        InvalidInput,
        "aldrig som flyttal",
        lambda: app.record_allocation(KARLSKOGA_DEGERFORS, 2022, {**KARLSKOGA_ALLOCATION, "FK": 2787000.0}),  # type: ignore[dict-item]
    )
