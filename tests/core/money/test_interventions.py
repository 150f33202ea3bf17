"""Interventions and aggregate participant figures: counts only, never a person."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.interventions import ExitOutcome, FundingSource, InterventionKind, ParticipantCounts
from finsam_core.domain.participant_breakdowns import Dimension, Population
from finsam_core.errors import InvalidInput, MoneyRuleViolation, PrivacyViolation
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS,
    KRAMFORS,
    refused,
    register_karlskoga_degerfors,
    register_kramfors,
    register_nns,
)

KRAMFORS_2023 = {"participants": 101, "exited": 57, "exits": {"arbete": 15, "studier": 22}}
"""Kramfors 2023 (`003_*`): 101 participants, 57 exited, 15 to work, 22 to studies."""


@pytest.fixture
def kramfors(app: Finsam) -> Finsam:
    register_kramfors(app)
    return app


def test_kramfors_2023_has_101_participants_57_exited_15_to_work_22_to_studies(kramfors: Finsam) -> None:
    kramfors.report_participants(KRAMFORS, 2023, KRAMFORS_2023, reported_on=date(2024, 1, 26))
    counts = kramfors.participant_figures(KRAMFORS, 2023)
    assert (counts.participants, counts.exited) == (101, 57)
    assert (counts.exits_to(ExitOutcome.WORK), counts.exits_to(ExitOutcome.STUDIES)) == (15, 22)


def test_a_later_report_replaces_the_years_figures(kramfors: Finsam) -> None:
    kramfors.report_participants(KRAMFORS, 2023, KRAMFORS_2023, reported_on=date(2024, 1, 26))
    kramfors.report_participants(KRAMFORS, 2023, {**KRAMFORS_2023, "participants": 102}, reported_on=date(2024, 2, 1))
    assert kramfors.participant_figures(KRAMFORS, 2023).participants == 102


def test_exits_that_exceed_participants_are_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "58 avslutade är fler än de 57 deltagarna",
        lambda: kramfors.report_participants(KRAMFORS, 2023, {"participants": 57, "exited": 58}),
    )


def test_exits_by_outcome_that_exceed_the_exited_are_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        r"Avsluten per utfall \(60\) är fler än antalet avslutade \(57\)",
        lambda: kramfors.report_participants(
            KRAMFORS, 2023, {"participants": 101, "exited": 57, "exits": {"arbete": 38, "studier": 22}}
        ),
    )


def test_women_and_men_cannot_outnumber_the_participants(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "Kvinnor och män",
        lambda: kramfors.report_participants(
            KRAMFORS, 2020, ParticipantCounts(participants=203, exited=73, women=106, men=98)
        ),
    )


def test_figures_that_name_a_participant_are_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        PrivacyViolation,
        "aldrig uppgifter om enskilda personer",
        lambda: kramfors.report_participants(KRAMFORS, 2023, {**KRAMFORS_2023, "namn": "Anna Andersson"}),
    )


def test_a_comment_with_a_personal_number_is_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        PrivacyViolation,
        "personnummer",
        lambda: kramfors.report_participants(KRAMFORS, 2023, KRAMFORS_2023, comment="Gäller 850101-1234"),
    )


def test_unknown_fields_are_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "Okända fält",
        lambda: kramfors.report_participants(KRAMFORS, 2023, {**KRAMFORS_2023, "snitt": 3}),
    )


def test_figures_are_summed_over_the_network(app: Finsam) -> None:
    register_nns(app)
    register_kramfors(app)
    register_karlskoga_degerfors(app)
    app.join_network(KRAMFORS, date(2010, 1, 1))
    app.join_network(KARLSKOGA_DEGERFORS, date(2010, 1, 1))
    app.report_participants(KRAMFORS, 2020, {"participants": 56, "exited": 6, "exits": {"arbete": 0}})
    app.report_participants(  # Karlskoga/Degerfors 2020 (`001_*`)
        KARLSKOGA_DEGERFORS, 2020, {"participants": 203, "exited": 73, "women": 106, "men": 97}
    )
    total = app.network_participant_figures(2020)
    assert {entry.org_nr for entry in total.entries} == {KRAMFORS, KARLSKOGA_DEGERFORS}
    assert total.reporting == 2
    women = total.total.cell(Dimension.GENDER, Population.PARTICIPANTS, "kvinnor")
    assert (total.total.participants, total.total.exited, women) == (259, 79, 106)


def test_an_intervention_records_its_kind_owner_period_and_funding(kramfors: Finsam) -> None:
    kramfors.register_intervention(
        KRAMFORS,
        "MISAM",
        InterventionKind.INDIVIDUAL,
        "Kramfors kommun",
        date(2024, 1, 1),
        date(2026, 12, 31),
        funding={"finsam": 1_200_000, "esf": 800_000},
    )
    misam = kramfors.intervention(KRAMFORS, "MISAM")
    assert (misam.kind, misam.owner, misam.ends_on) == (
        InterventionKind.INDIVIDUAL,
        "Kramfors kommun",
        date(2026, 12, 31),
    )
    assert (misam.funded_by(FundingSource.FINSAM), misam.funded_by(FundingSource.ESF)) == (
        Decimal(1_200_000),
        Decimal(800_000),
    )


def test_an_intervention_with_negative_funding_is_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "Finansieringen kan inte vara negativ",
        lambda: kramfors.register_intervention(
            KRAMFORS, "MISAM", InterventionKind.INDIVIDUAL, "Kramfors kommun", date(2024, 1, 1), funding={"esf": -1}
        ),
    )


def test_an_intervention_ending_before_it_starts_is_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "sluta innan den börjar",
        lambda: kramfors.register_intervention(
            KRAMFORS, "MISAM", InterventionKind.STRUCTURAL, "Kramfors kommun", date(2024, 1, 1), date(2023, 1, 1)
        ),
    )


def test_an_intervention_is_registered_once(kramfors: Finsam) -> None:
    kramfors.register_intervention(KRAMFORS, "MISAM", InterventionKind.INDIVIDUAL, "Kramfors kommun", date(2024, 1, 1))
    refused(
        kramfors,
        MoneyRuleViolation,
        "redan registrerad",
        lambda: kramfors.register_intervention(
            KRAMFORS, "MISAM", InterventionKind.INDIVIDUAL, "Kramfors kommun", date(2024, 1, 1)
        ),
    )
