"""Annual report, auditors' recommendation and each member organisation's discharge decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.charter import DecisionRef
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.rules.discharge import BodyKind
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS,
    TERM_2019,
    appoint_board,
    record_board_decision,
    refused,
    register_karlskoga_degerfors,
)
from finsam_core.testing.discharge import KARLSKOGA_AUDITORS_2020, appoint_auditors

REPORT_2020 = dict(income=7_078_387, costs=6_550_801, depreciation=39_986, result=487_600, equity_at_year_end=1_313_302)
"""Annual report 2020 of Karlskoga/Degerfors (`001_*`)."""

COUNCIL = BodyKind.COUNCIL

REGION_COUNCIL = DecisionRef(
    body="Regionfullmäktige Region Örebro län",
    reference="RF 2021-06 § 12",  # FICTITIOUS reference; `001_*` is the committee's proposal of 2021-06-01
    decided_on=date(2021, 6, 15),
)


@pytest.fixture
def approved(app: Finsam) -> Finsam:
    register_karlskoga_degerfors(app)
    appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    ref = record_board_decision(
        app,
        KARLSKOGA_DEGERFORS,
        "2021-2",
        date(2021, 3, 15),
        "Årsredovisning 2020",
        ("att godkänna årsredovisningen för 2020",),
    )  # FICTITIOUS meeting
    assert app.approve_annual_report(KARLSKOGA_DEGERFORS, 2020, authorised_by=ref, **REPORT_2020) == ()
    appoint_auditors(app)
    return app


def audit(app: Finsam, recommends: bool = True) -> None:
    app.record_audit_report(
        KARLSKOGA_DEGERFORS,
        2020,
        recommends_discharge=recommends,
        auditors=tuple(name for name, _, _ in KARLSKOGA_AUDITORS_2020[:2]),
        reported_on=date(2021, 4, 1),
    )


def test_the_2020_report_result_is_income_less_costs_and_depreciation(approved: Finsam) -> None:
    report = approved.annual_report(KARLSKOGA_DEGERFORS, 2020)
    assert (report.figures.result, report.figures.equity_at_year_end) == (Decimal(487_600), Decimal(1_313_302))


def test_a_result_that_does_not_add_up_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    ref = record_board_decision(app, KARLSKOGA_DEGERFORS, "2021-2", date(2021, 3, 15), "ÅR", ("att godkänna",))
    figures = {**REPORT_2020, "result": 527_586}
    refused(
        app,
        MoneyRuleViolation,
        "blir 487 600 kr, men årets resultat anges till 527 586 kr",
        lambda: app.approve_annual_report(KARLSKOGA_DEGERFORS, 2020, authorised_by=ref, **figures),
    )


def test_approval_must_reference_a_decision_in_the_minutes(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        MoneyRuleViolation,
        "hänvisa till sammanträdet",
        lambda: app.approve_annual_report(KARLSKOGA_DEGERFORS, 2020, authorised_by=REGION_COUNCIL, **REPORT_2020),
    )


def test_approval_later_than_three_months_after_year_end_is_flagged(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    ref = record_board_decision(app, KARLSKOGA_DEGERFORS, "2021-3", date(2021, 4, 20), "ÅR", ("att godkänna",))
    warnings = app.approve_annual_report(KARLSKOGA_DEGERFORS, 2020, authorised_by=ref, **REPORT_2020)
    assert warnings == ("Årsredovisningen för 2020 godkändes 2021-04-20, efter 2021-03-31.",)
    assert app.discharge_status(KARLSKOGA_DEGERFORS, 2020).late


def test_status_shows_which_members_have_decided_and_which_have_not(approved: Finsam) -> None:
    audit(approved)
    approved.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_COUNCIL, body_kind=COUNCIL)
    status = approved.discharge_status(KARLSKOGA_DEGERFORS, 2020)
    assert status.auditors_recommend is True
    assert status.undecided == ("FK", "AF", "KK", "DK")
    region = next(m for m in status.members if m.member_key == "RÖL")
    assert (region.granted, region.decided_on) == (True, date(2021, 6, 15))
    assert region.decision == "Regionfullmäktige Region Örebro län RF 2021-06 § 12 (2021-06-15)"
    assert not status.complete


def test_every_member_deciding_completes_the_year(approved: Finsam) -> None:
    """Försäkringskassan decides for the state: Arbetsförmedlingen needs no decision of its own."""
    audit(approved)
    for key in ("FK", "RÖL", "KK", "DK"):
        approved.decide_discharge(
            KARLSKOGA_DEGERFORS,
            2020,
            key,
            key != "DK",
            DecisionRef(key, f"{key} beslut", date(2021, 5, 1)),
            body_kind=BodyKind.AGENCY if key == "FK" else COUNCIL,
        )
    status = approved.discharge_status(KARLSKOGA_DEGERFORS, 2020)
    assert status.complete
    assert [m.granted for m in status.members if m.member_key == "DK"] == [False]
    assert not status.fully_discharged


def test_discharge_by_an_organisation_that_is_not_a_member_is_refused(approved: Finsam) -> None:
    audit(approved)
    refused(
        approved,
        MembershipRuleViolation,
        "XK var inte medlem i förbundet 2020",
        lambda: approved.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "XK", True, REGION_COUNCIL, body_kind=COUNCIL),
    )


def test_discharge_before_the_auditors_report_is_refused(approved: Finsam) -> None:
    refused(
        approved,
        MoneyRuleViolation,
        "Revisionsberättelsen är inte registrerad",
        lambda: approved.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_COUNCIL, body_kind=COUNCIL),
    )


def test_a_member_decides_on_discharge_once(approved: Finsam) -> None:
    audit(approved)
    approved.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_COUNCIL, body_kind=COUNCIL)
    refused(
        approved,
        MoneyRuleViolation,
        "redan beslutat",
        lambda: approved.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", False, REGION_COUNCIL, body_kind=COUNCIL),
    )


def test_an_audit_report_without_auditors_is_refused(approved: Finsam) -> None:
    refused(
        approved,
        InvalidInput,
        "Ange revisorerna",
        lambda: approved.record_audit_report(
            KARLSKOGA_DEGERFORS, 2020, recommends_discharge=True, auditors=(), reported_on=date(2021, 4, 1)
        ),
    )


def test_negative_income_is_refused(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    ref = record_board_decision(app, KARLSKOGA_DEGERFORS, "2021-2", date(2021, 3, 15), "ÅR", ("att godkänna",))
    figures = {**REPORT_2020, "income": -1, "result": -6_590_788}
    refused(
        app,
        InvalidInput,
        "Intäkterna kan inte vara negativa",
        lambda: app.approve_annual_report(KARLSKOGA_DEGERFORS, 2020, authorised_by=ref, **figures),
    )
