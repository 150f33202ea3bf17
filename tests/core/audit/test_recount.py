"""An auditor's what-if: the same ballots under another decision rule, both outcomes shown, nothing recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.recount import RecountRule, recount, recount_text
from finsam_core.cli import main
from finsam_core.errors import InvalidInput, NotFound
from finsam_core.rules.majority import VoteOutcome
from finsam_core.values import Ballot

ORG, REF = testing.ORNSKOLDSVIK, "2024-05-30"


@pytest.fixture
def app(app: Finsam) -> Finsam:
    """Örnsköldsvik's meeting, not yet signed, with a tied vote (the chair for) and one with an abstention."""
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, sign=False)
    tied = app.add_paragraph(ORG, REF, "Omröstning med lika röstetal")
    app.vote(
        ORG,
        REF,
        tied,
        "att anta förslaget",
        {
            "Jan-Olov Häggström": Ballot.YES,
            "Fredrik Berglund": Ballot.YES,
            "Zenitha Nordfjell": Ballot.NO,
            "Camilla Steen": Ballot.NO,
        },
    )
    abstained = app.add_paragraph(ORG, REF, "Omröstning där en avstod")
    app.vote(
        ORG,
        REF,
        abstained,
        "att anta förslaget",
        {
            "Jan-Olov Häggström": Ballot.YES,
            "Fredrik Berglund": Ballot.YES,
            "Zenitha Nordfjell": Ballot.ABSTAIN,
            "Camilla Steen": Ballot.NO,
        },
    )
    return app


def _last_two(app: Finsam) -> tuple[int, int]:
    numbers = sorted(app.meeting(ORG, REF).paragraphs)
    return numbers[-2], numbers[-1]


def test_a_tie_decided_by_the_chair_fails_without_the_casting_vote(app: Finsam) -> None:
    tied, _ = _last_two(app)
    meeting = app.meeting(ORG, REF)
    assert recount(meeting, tied, RecountRule.SIMPLE).recounted.outcome is VoteOutcome.ADOPTED
    found = recount(meeting, tied, "simple-no-casting-vote")
    assert found.recorded.outcome is VoteOutcome.ADOPTED and found.recounted.outcome is VoteOutcome.REJECTED
    assert found.differs and "Utfallet blir ett annat." in recount_text(found)


def test_two_thirds_of_votes_cast_and_of_those_present_differ_when_someone_abstains(app: Finsam) -> None:
    _, abstained = _last_two(app)
    meeting = app.meeting(ORG, REF)
    of_cast = recount(meeting, abstained, RecountRule.TWO_THIRDS_OF_CAST)  # 2 of 3 cast: enough.
    of_present = recount(meeting, abstained, RecountRule.TWO_THIRDS_OF_PRESENT)  # 2 of 4 present: not.
    assert of_cast.recounted.outcome is VoteOutcome.ADOPTED
    assert of_present.recounted.outcome is VoteOutcome.REJECTED and of_present.voters == 4


def test_a_recount_records_nothing(app: Finsam) -> None:
    tied, _ = _last_two(app)
    before = testing.events_recorded(app)
    recount(app.meeting(ORG, REF), tied, RecountRule.TWO_THIRDS_OF_PRESENT)
    assert testing.events_recorded(app) == before


def test_an_unknown_rule_or_a_paragraph_without_a_vote_is_refused(app: Finsam) -> None:
    meeting = app.meeting(ORG, REF)
    testing.refused(app, InvalidInput, "finns inte", lambda: recount(meeting, 43, "tre fjärdedelar"))
    testing.refused(app, NotFound, "ingen omröstning", lambda: recount(meeting, 37, RecountRule.SIMPLE))


def test_finsam_recount_prints_both_outcomes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = f"sqlite:///{(tmp_path / 'r.sqlite').as_posix().lstrip('/')}"
    app = Finsam(store_url=store)
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    args = ["--store", store, "recount", "--forbund", ORG, "--meeting", REF, "--paragraph", "43"]
    assert main([*args, "--rule", "two-thirds-of-present"]) == 0
    out = capsys.readouterr().out
    assert "Som registrerat (enkel majoritet): bifall" in out and "3 av 4 krävs" in out
    assert main([*args, "--rule", "hälften"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
