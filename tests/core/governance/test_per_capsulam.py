"""Per capsulam: allowed by the charter from a date, answers by ledamot, the charter's majority, reporting."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from finsam_core.application import Finsam
from finsam_core.errors import DelegationRuleViolation, InvalidInput, NotQuorate
from finsam_core.rules.delegation import ReportState
from finsam_core.rules.majority import VoteOutcome
from finsam_core.testing import KARLSKOGA_DEGERFORS as KD
from finsam_core.testing import ORNSKOLDSVIK as OVIK
from finsam_core.testing import record_board_decision, refused, register_karlskoga_degerfors, register_ornskoldsvik
from finsam_core.values import Ballot

OVIK_BOARD = ["Jan-Olov Häggström", "Fredrik Berglund", "Camilla Steen", "Zenitha Nordfjell"]


def _allow(app: Finsam, org_nr: str, from_day: date) -> None:
    """The board amends the charter to allow per capsulam from ``from_day``."""
    ref = record_board_decision(app, org_nr, "2024-1", date(2024, 2, 9), "Förbundsordning", ("att ändra",))
    charter = msgspec.structs.replace(app.forbund(org_nr).charter_on(from_day), per_capsulam=True)
    app.amend_charter(org_nr, charter, from_day, ref)


@pytest.fixture
def ovik() -> Finsam:
    app = Finsam(store_url="memory:")
    register_ornskoldsvik(app)
    _allow(app, OVIK, date(2024, 3, 1))
    return app


def test_per_capsulam_is_refused_unless_the_charter_allows_it_on_the_day(ovik: Finsam) -> None:
    refused(
        ovik,
        DelegationRuleViolation,
        "Förbundsordningen som gällde 2024-02-20 medger inte beslut per capsulam",
        lambda: ovik.propose_per_capsulam(OVIK, "PC 2024:1", "att anta yttrandet", date(2024, 2, 20)),
    )
    ovik.propose_per_capsulam(OVIK, "PC 2024:1", "att anta yttrandet", date(2024, 3, 10))
    assert [p.reference for p in ovik.per_capsulam_decisions(OVIK)] == ["PC 2024:1"]


def test_the_outcome_follows_the_charters_simple_majority(app: Finsam) -> None:
    register_ornskoldsvik(app)
    _allow(app, OVIK, date(2024, 3, 1))
    app.propose_per_capsulam(OVIK, "PC 2024:1", "att anta yttrandet", date(2024, 3, 10))
    for name, ballot in zip(OVIK_BOARD, [Ballot.YES, Ballot.YES, Ballot.NO, Ballot.YES], strict=True):
        app.answer_per_capsulam(OVIK, "PC 2024:1", name, ballot, date(2024, 3, 12))
    assert app.close_per_capsulam(OVIK, "PC 2024:1", date(2024, 3, 15)) is VoteOutcome.ADOPTED
    [row] = app.per_capsulam_decisions(OVIK)
    assert row.outcome == "bifall"
    assert row.explanation.startswith("3 ja, 1 nej, 0 avstår")
    assert row.state is ReportState.UNREPORTED


def test_a_tie_goes_the_chairs_way(ovik: Finsam) -> None:
    ovik.propose_per_capsulam(OVIK, "PC 1", "att delta", date(2024, 3, 10))
    for name, ballot in zip(OVIK_BOARD, [Ballot.NO, Ballot.YES, Ballot.YES, Ballot.NO], strict=True):
        ovik.answer_per_capsulam(OVIK, "PC 1", name, ballot, date(2024, 3, 11))
    assert ovik.close_per_capsulam(OVIK, "PC 1", date(2024, 3, 12)) is VoteOutcome.REJECTED


def test_too_few_answers_decide_nothing(ovik: Finsam) -> None:
    ovik.propose_per_capsulam(OVIK, "PC 1", "att delta", date(2024, 3, 10))
    ovik.answer_per_capsulam(OVIK, "PC 1", "Camilla Steen", Ballot.YES, date(2024, 3, 11))
    ovik.answer_per_capsulam(OVIK, "PC 1", "Fredrik Berglund", Ballot.YES, date(2024, 3, 11))
    refused(
        ovik,
        NotQuorate,
        "Bara 2 av 4 ledamöter har svarat på PC 1; minst 3 krävs",
        lambda: ovik.close_per_capsulam(OVIK, "PC 1", date(2024, 3, 12)),
    )


def test_only_ledamoter_answer_once_each(ovik: Finsam) -> None:
    ovik.propose_per_capsulam(OVIK, "PC 1", "att delta", date(2024, 3, 10))
    refused(
        ovik,
        DelegationRuleViolation,
        "Mats Helli var inte ledamot",
        lambda: ovik.answer_per_capsulam(OVIK, "PC 1", "Mats Helli", Ballot.YES, date(2024, 3, 11)),
    )
    ovik.answer_per_capsulam(OVIK, "PC 1", "camilla steen", Ballot.YES, date(2024, 3, 11))
    refused(
        ovik,
        DelegationRuleViolation,
        "Camilla Steen har redan svarat",
        lambda: ovik.answer_per_capsulam(OVIK, "PC 1", "Camilla Steen", Ballot.NO, date(2024, 3, 11)),
    )
    refused(
        ovik,
        InvalidInput,
        "före förslaget",
        lambda: ovik.answer_per_capsulam(OVIK, "PC 1", "Fredrik Berglund", Ballot.NO, date(2024, 3, 9)),
    )


def test_a_qualified_majority_charter_counts_two_thirds_of_those_answering() -> None:
    app = Finsam(store_url="memory:")
    register_karlskoga_degerfors(app)
    _allow(app, KD, date(2024, 3, 1))
    app.propose_per_capsulam(KD, "PC 1", "att anta yttrandet", date(2024, 3, 10))
    ballots = [Ballot.YES, Ballot.YES, Ballot.YES, Ballot.NO, Ballot.NO]
    for index, (key, ballot) in enumerate(zip(["FK", "AF", "RÖL", "KK", "DK"], ballots, strict=True), 1):
        app.answer_per_capsulam(KD, "PC 1", f"Ledamot {index} {key}", ballot, date(2024, 3, 11))
    assert app.close_per_capsulam(KD, "PC 1", date(2024, 3, 12)) is VoteOutcome.REJECTED
    assert "4 av 5" in app.per_capsulam_decisions(KD)[0].explanation


def test_the_decision_is_reported_at_the_next_meeting_or_flagged(ovik: Finsam) -> None:
    for ref in ("PC 1", "PC 2"):
        ovik.propose_per_capsulam(OVIK, ref, "att delta", date(2024, 3, 10))
        for name in OVIK_BOARD[:3]:
            ovik.answer_per_capsulam(OVIK, ref, name, Ballot.YES, date(2024, 3, 11))
    refused(
        ovik,
        DelegationRuleViolation,
        "PC 1 är inte avslutat",
        lambda: ovik.report_per_capsulam(OVIK, "2024-1", 1, "PC 1"),
    )
    ovik.close_per_capsulam(OVIK, "PC 1", date(2024, 3, 12))
    ovik.close_per_capsulam(OVIK, "PC 2", date(2024, 3, 12))
    record_board_decision(ovik, OVIK, "2024-2", date(2024, 4, 19), "Föregående protokoll", ("att lägga",))
    number = ovik.add_paragraph(OVIK, "2024-2", "Anmälan av beslut per capsulam")
    ovik.report_per_capsulam(OVIK, "2024-2", number, "PC 1")
    first, second = ovik.per_capsulam_decisions(OVIK)
    assert (first.state, first.reported_in, first.flag) == (ReportState.REPORTED, "2024-2", None)
    assert second.state is ReportState.OVERDUE
    assert second.flag is not None and "2024-2 (2024-04-19)" in second.flag
    assert "Beslut per capsulam PC 1 (2024-03-12). Förslag: att delta. Utfall: bifall" in ovik.minutes_text(
        OVIK, "2024-2"
    )
    refused(
        ovik,
        DelegationRuleViolation,
        "avslutades 2024-03-12, efter sammanträdet 2024-02-09",
        lambda: ovik.report_per_capsulam(OVIK, "2024-1", 1, "PC 2"),
    )
