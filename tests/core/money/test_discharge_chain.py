"""Auditors, the audit report and each member's discharge chain, from the facts of `001_*`.

Karlskoga/Degerfors' annual report 2020 was audited by the state's authorised auditor Nils Nordqvist
and the lay auditors Gunilla Carlsson (region), Annica Blomgren (Degerfors) and Marie-Louise Naucler
(Karlskoga), signed "KARLSKOGA DEN 16 APRIL 2021". On 2021-06-01 Region Örebro län's
regionstyrelsens arbetsutskott proposed (dnr 21RS3479), for four förbund at once, that the region
board propose that the regional council grant discharge "i enlighet med revisorernas tillstyrkan".
"""

from __future__ import annotations

from datetime import date

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.charter import DecisionRef
from finsam_core.errors import DischargeRuleViolation, InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.rules.discharge import AuditorKind, BodyKind, StepKind
from finsam_core.testing import KARLSKOGA_DEGERFORS, TERM_2019, events_recorded, refused, register_karlskoga_degerfors
from finsam_core.testing.discharge import (
    KARLSKOGA_AUDITORS_2020,
    SYDNARKE,
    appoint_auditors,
    approve_report_2020,
    audit_2020,
    register_sydnarke,
)

REGION = "Region Örebro län"
COMMITTEE_21RS3479 = DecisionRef(
    body="Regionstyrelsens arbetsutskott, Region Örebro län", reference="21RS3479", decided_on=date(2021, 6, 1)
)
REGION_BOARD = DecisionRef(
    body="Regionstyrelsen", reference="RS 2021-06-16", decided_on=date(2021, 6, 16)
)  # FICTITIOUS
REGION_COUNCIL = DecisionRef(
    body="Regionfullmäktige", reference="RF 2021-06-22", decided_on=date(2021, 6, 22)
)  # FICTITIOUS
FK_DECISION = DecisionRef(
    body="Försäkringskassan", reference="FK 2021-05-20", decided_on=date(2021, 5, 20)
)  # FICTITIOUS


@pytest.fixture
def approved(app: Finsam) -> Finsam:
    register_karlskoga_degerfors(app)
    approve_report_2020(app)
    appoint_auditors(app)
    return app


@pytest.fixture
def audited(approved: Finsam) -> Finsam:
    audit_2020(approved)
    return approved


# --- auditors --------------------------------------------------------------------------------


def test_the_four_auditors_of_2020_are_appointed_by_their_members(approved: Finsam) -> None:
    auditors = approved.auditors(KARLSKOGA_DEGERFORS, 2020)
    assert [(a.name, a.member_name, a.kind) for a in auditors] == [
        ("Nils Nordqvist", "Försäkringskassan", AuditorKind.AUTHORISED),
        ("Gunilla Carlsson", "Region Örebro län", AuditorKind.LAY),
        ("Annica Blomgren", "Degerfors kommun", AuditorKind.LAY),
        ("Marie-Louise Naucler", "Karlskoga kommun", AuditorKind.LAY),
    ]
    assert approved.auditors(KARLSKOGA_DEGERFORS, 2023) == ()


def test_the_state_must_have_an_authorised_auditor(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        DischargeRuleViolation,
        "Försäkringskassan utser en auktoriserad revisor, inte en förtroendevald revisor",
        lambda: app.appoint_auditor(KARLSKOGA_DEGERFORS, "FK", "Nils Nordqvist", AuditorKind.LAY, *TERM_2019),
    )


def test_a_kommun_elects_lay_auditors(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        DischargeRuleViolation,
        "Karlskoga kommun utser en förtroendevald revisor",
        lambda: app.appoint_auditor(
            KARLSKOGA_DEGERFORS, "KK", "Marie-Louise Naucler", AuditorKind.AUTHORISED, *TERM_2019
        ),
    )


def test_an_organisation_that_is_not_a_member_appoints_no_auditor(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(
        app,
        MembershipRuleViolation,
        "XK är inte medlem i förbundet",
        lambda: app.appoint_auditor(KARLSKOGA_DEGERFORS, "XK", "Någon", AuditorKind.LAY, *TERM_2019),
    )


def test_the_same_auditor_is_not_appointed_twice_for_overlapping_terms(approved: Finsam) -> None:
    refused(
        approved,
        DischargeRuleViolation,
        "Annica Blomgren är redan utsedd till revisor 2019-01-01–2022-12-31",
        lambda: approved.appoint_auditor(
            KARLSKOGA_DEGERFORS, "DK", "Annica Blomgren", AuditorKind.LAY, date(2022, 1, 1), date(2026, 12, 31)
        ),
    )


# --- the audit report ------------------------------------------------------------------------


def test_the_audit_report_of_2020_is_signed_by_the_four_and_recommends_discharge(audited: Finsam) -> None:
    status = audited.discharge_status(KARLSKOGA_DEGERFORS, 2020)
    assert status.audit_signed_by == tuple(name for name, _, _ in KARLSKOGA_AUDITORS_2020)
    assert status.audit_reported_on == date(2021, 4, 16)
    assert status.auditors_recommend is True
    assert [a.name for a in status.auditors] == list(status.audit_signed_by)


def test_only_an_auditor_appointed_for_the_year_signs(approved: Finsam) -> None:
    """`001_*` §1.2.1 spells the region's auditor "Gunilla Karlsson"; the signature says Carlsson."""
    refused(
        approved,
        DischargeRuleViolation,
        "Gunilla Karlsson är inte utsedd till revisor för förbundet 2020",
        lambda: approved.record_audit_report(
            KARLSKOGA_DEGERFORS,
            2020,
            recommends_discharge=True,
            auditors=("Nils Nordqvist", "Gunilla Karlsson"),
            reported_on=date(2021, 4, 16),
        ),
    )


def test_an_auditor_whose_term_has_ended_does_not_sign(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    approve_report_2020(app)
    app.appoint_auditor(
        KARLSKOGA_DEGERFORS, "FK", "Nils Nordqvist", AuditorKind.AUTHORISED, date(2015, 1, 1), date(2018, 12, 31)
    )
    refused(
        app,
        DischargeRuleViolation,
        "Nils Nordqvist är inte utsedd till revisor för förbundet 2020",
        lambda: app.record_audit_report(
            KARLSKOGA_DEGERFORS,
            2020,
            recommends_discharge=True,
            auditors=("Nils Nordqvist",),
            reported_on=date(2021, 4, 16),
        ),
    )


# --- a member's chain --------------------------------------------------------------------------


def test_the_region_committees_proposal_leaves_the_region_waiting_for_its_council(audited: Finsam) -> None:
    audited.propose_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, COMMITTEE_21RS3479, body_kind=BodyKind.COMMITTEE)
    region = next(m for m in audited.discharge_status(KARLSKOGA_DEGERFORS, 2020).members if m.member_key == "RÖL")
    assert not region.decided
    assert [(s.step, s.body_kind, s.reference, s.decided_on) for s in region.steps] == [
        ("forslag", "utskott", "21RS3479", date(2021, 6, 1))
    ]
    assert region.waiting_for == "fullmäktiges beslut"


def test_committee_board_and_council_make_the_regions_chain(audited: Finsam) -> None:
    audited.propose_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, COMMITTEE_21RS3479, body_kind=BodyKind.COMMITTEE)
    audited.propose_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_BOARD, body_kind=BodyKind.BOARD)
    audited.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_COUNCIL, body_kind=BodyKind.COUNCIL)
    region = next(m for m in audited.discharge_status(KARLSKOGA_DEGERFORS, 2020).members if m.member_key == "RÖL")
    assert [s.step for s in region.steps] == ["forslag", "forslag", "beslut"]
    assert (region.decided, region.granted, region.decided_on, region.waiting_for) == (
        True,
        True,
        date(2021, 6, 22),
        None,
    )


def test_forsakringskassan_decides_for_both_state_members(audited: Finsam) -> None:
    audited.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "FK", True, FK_DECISION, body_kind=BodyKind.AGENCY)
    status = audited.discharge_status(KARLSKOGA_DEGERFORS, 2020)
    af = next(m for m in status.members if m.member_key == "AF")
    assert (af.decided, af.granted, af.decided_through) == (True, True, "FK")
    assert status.waiting_on == ("Region Örebro län", "Karlskoga kommun", "Degerfors kommun")


def test_arbetsformedlingen_does_not_decide_on_its_own(audited: Finsam) -> None:
    refused(
        audited,
        DischargeRuleViolation,
        "Arbetsförmedlingen beslutar inte själv om ansvarsfrihet: Försäkringskassan beslutar för staten",
        lambda: audited.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "AF", True, FK_DECISION, body_kind=BodyKind.AGENCY),
    )


def test_a_committee_may_not_decide_for_the_region(audited: Finsam) -> None:
    refused(
        audited,
        DischargeRuleViolation,
        "För Region Örebro län kan ett utskott eller en nämnd inte besluta om ansvarsfrihet",
        lambda: audited.decide_discharge(
            KARLSKOGA_DEGERFORS, 2020, "RÖL", True, COMMITTEE_21RS3479, body_kind=BodyKind.COMMITTEE
        ),
    )


def test_a_council_does_not_propose(audited: Finsam) -> None:
    refused(
        audited,
        DischargeRuleViolation,
        "kan fullmäktige inte föreslå ansvarsfrihet",
        lambda: audited.propose_discharge(
            KARLSKOGA_DEGERFORS, 2020, "KK", True, REGION_COUNCIL, body_kind=BodyKind.COUNCIL
        ),
    )


def test_the_board_proposes_after_the_committee_not_before(audited: Finsam) -> None:
    audited.propose_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_BOARD, body_kind=BodyKind.BOARD)
    refused(
        audited,
        DischargeRuleViolation,
        "Stegen i Region Örebro läns behandling är i fel ordning",
        lambda: audited.propose_discharge(
            KARLSKOGA_DEGERFORS, 2020, "RÖL", True, COMMITTEE_21RS3479, body_kind=BodyKind.COMMITTEE
        ),
    )


def test_a_step_dated_before_the_step_it_follows_is_refused(audited: Finsam) -> None:
    audited.propose_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, COMMITTEE_21RS3479, body_kind=BodyKind.COMMITTEE)
    early = DecisionRef(body="Regionstyrelsen", reference="RS", decided_on=date(2021, 5, 1))
    refused(
        audited,
        DischargeRuleViolation,
        r"kan inte komma före det föregående \(2021-06-01\)",
        lambda: audited.propose_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, early, body_kind=BodyKind.BOARD),
    )


def test_a_decision_dated_before_the_audit_report_is_refused(audited: Finsam) -> None:
    early = DecisionRef(body="Regionfullmäktige", reference="RF", decided_on=date(2021, 4, 15))
    refused(
        audited,
        InvalidInput,
        r"kan inte komma före revisionsberättelsen \(2021-04-16\)",
        lambda: audited.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, early, body_kind=BodyKind.COUNCIL),
    )


def test_a_proposal_before_the_audit_report_is_registered_is_refused(approved: Finsam) -> None:
    refused(
        approved,
        MoneyRuleViolation,
        "Revisionsberättelsen är inte registrerad",
        lambda: approved.propose_discharge(
            KARLSKOGA_DEGERFORS, 2020, "RÖL", True, COMMITTEE_21RS3479, body_kind=BodyKind.COMMITTEE
        ),
    )


def test_discharge_for_a_year_is_decided_once(audited: Finsam) -> None:
    audited.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_COUNCIL, body_kind=BodyKind.COUNCIL)
    refused(
        audited,
        MoneyRuleViolation,
        "Region Örebro län har redan beslutat om ansvarsfrihet för 2020",
        lambda: audited.decide_discharge(
            KARLSKOGA_DEGERFORS, 2020, "RÖL", True, REGION_COUNCIL, body_kind=BodyKind.COUNCIL
        ),
    )


def test_every_member_granting_gives_full_discharge(audited: Finsam) -> None:
    audited.decide_discharge(KARLSKOGA_DEGERFORS, 2020, "FK", True, FK_DECISION, body_kind=BodyKind.AGENCY)
    for key in ("RÖL", "KK", "DK"):
        ref = DecisionRef(body=f"Fullmäktige {key}", reference=f"{key} 2021", decided_on=date(2021, 6, 22))
        audited.decide_discharge(KARLSKOGA_DEGERFORS, 2020, key, True, ref, body_kind=BodyKind.COUNCIL)
    status = audited.discharge_status(KARLSKOGA_DEGERFORS, 2020)
    assert status.fully_discharged and status.complete and status.waiting_on == ()


# --- one member's handling of several förbund (`001_*`) ------------------------------------------


def _audited_sydnarke(app: Finsam) -> None:
    register_sydnarke(app)
    approve_report_2020(app, SYDNARKE)
    for name, key, kind in (
        ("Revisor staten", "FK", AuditorKind.AUTHORISED),  # FICTITIOUS
        ("Revisor regionen", "ROL", AuditorKind.LAY),  # FICTITIOUS
    ):
        app.appoint_auditor(SYDNARKE, key, name, kind, *TERM_2019)
    app.record_audit_report(
        SYDNARKE, 2020, recommends_discharge=True, auditors=("Revisor staten",), reported_on=date(2021, 4, 20)
    )


def test_the_regions_committee_proposes_for_several_forbund_in_one_step(audited: Finsam) -> None:
    _audited_sydnarke(audited)
    covers = audited.record_member_discharge_step(
        REGION,
        2020,
        [SYDNARKE, KARLSKOGA_DEGERFORS],
        step=StepKind.PROPOSAL,
        body_kind=BodyKind.COMMITTEE,
        grant=True,
        ref=COMMITTEE_21RS3479,
    )
    assert covers == tuple(sorted((KARLSKOGA_DEGERFORS, SYDNARKE)))
    for org_nr, key in ((KARLSKOGA_DEGERFORS, "RÖL"), (SYDNARKE, "ROL")):
        region = next(m for m in audited.discharge_status(org_nr, 2020).members if m.member_key == key)
        assert [(s.reference, s.covers) for s in region.steps] == [("21RS3479", covers)]


def test_the_regions_council_decides_for_several_forbund_at_once(audited: Finsam) -> None:
    _audited_sydnarke(audited)
    for step, body, ref in (
        (StepKind.PROPOSAL, BodyKind.COMMITTEE, COMMITTEE_21RS3479),
        (StepKind.PROPOSAL, BodyKind.BOARD, REGION_BOARD),
        (StepKind.DECISION, BodyKind.COUNCIL, REGION_COUNCIL),
    ):
        audited.record_member_discharge_step(
            REGION, 2020, [KARLSKOGA_DEGERFORS, SYDNARKE], step=step, body_kind=body, grant=True, ref=ref
        )
    statuses = audited.network_discharge(2020, [KARLSKOGA_DEGERFORS, SYDNARKE])
    assert [(s.org_nr, "Region Örebro län" in s.waiting_on) for s in statuses] == [
        (KARLSKOGA_DEGERFORS, False),
        (SYDNARKE, False),
    ]


def test_a_step_for_a_forbund_the_member_did_not_belong_to_records_on_none(audited: Finsam) -> None:
    """Degerfors kommun is no member of Sydnärke: the step is refused for both förbund."""
    _audited_sydnarke(audited)
    before = events_recorded(audited)
    refused(
        audited,
        MembershipRuleViolation,
        f"Degerfors kommun var inte medlem i förbundet {SYDNARKE} 2020",
        lambda: audited.record_member_discharge_step(
            "Degerfors kommun",
            2020,
            [KARLSKOGA_DEGERFORS, SYDNARKE],
            step=StepKind.PROPOSAL,
            body_kind=BodyKind.COMMITTEE,
            grant=True,
            ref=COMMITTEE_21RS3479,
        ),
    )
    assert events_recorded(audited) == before
    kk = next(m for m in audited.discharge_status(KARLSKOGA_DEGERFORS, 2020).members if m.member_key == "DK")
    assert kk.steps == ()


def test_a_step_for_several_forbund_is_refused_whole_when_one_is_out_of_order(audited: Finsam) -> None:
    _audited_sydnarke(audited)
    audited.propose_discharge(SYDNARKE, 2020, "ROL", True, REGION_BOARD, body_kind=BodyKind.BOARD)
    refused(
        audited,
        DischargeRuleViolation,
        "i fel ordning",
        lambda: audited.record_member_discharge_step(
            REGION,
            2020,
            [KARLSKOGA_DEGERFORS, SYDNARKE],
            step=StepKind.PROPOSAL,
            body_kind=BodyKind.COMMITTEE,
            grant=True,
            ref=COMMITTEE_21RS3479,
        ),
    )
    region = next(m for m in audited.discharge_status(KARLSKOGA_DEGERFORS, 2020).members if m.member_key == "RÖL")
    assert region.steps == ()
