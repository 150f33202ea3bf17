"""The base of a qualified majority is charter data with the date it takes effect from (issue 15)."""

from __future__ import annotations

from datetime import date

import msgspec

from finsam_core.application import Finsam
from finsam_core.domain.charter import Charter, DecisionRef
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.rules.majority import Tally, VoteOutcome, count_qualified
from finsam_core.testing import KARLSKOGA_DEGERFORS as KD
from finsam_core.testing import register_karlskoga_degerfors
from finsam_core.values import Ballot, MajorityBase, Ratio

MEMBERS_DECISION = DecisionRef(body="Medlemmarna", reference="beslut 2024", decided_on=date(2024, 3, 1))
KD_BOARD = [f"Ledamot {i} {k}" for i, k in enumerate(["FK", "AF", "RÖL", "KK", "DK"], 1)]
THREE_YES_ONE_NO_ONE_ABSTAINS = dict(zip(KD_BOARD, [Ballot.YES] * 3 + [Ballot.NO, Ballot.ABSTAIN], strict=True))


def _vote_on(app: Finsam, reference: str, held_on: date) -> VoteOutcome:
    app.convene_meeting(KD, reference, held_on, "Karlskoga")
    app.record_attendance(
        KD,
        reference,
        tuple(Attendee(n, Capacity.BOARD_MEMBER) for n in KD_BOARD),
        chair=KD_BOARD[0],
        secretary="Sekreterare",
    )
    number = app.add_paragraph(KD, reference, "Beslut")
    return app.vote(KD, reference, number, "att anta planen", THREE_YES_ONE_NO_ONE_ABSTAINS).outcome


def test_two_thirds_of_the_members_present_counts_an_abstention_against_the_bar() -> None:
    result = count_qualified(Tally(3, 1, 1), at_least=Ratio(2, 3), voters=5, base=MajorityBase.PRESENT_VOTERS)
    assert result.outcome is VoteOutcome.REJECTED


def test_two_thirds_of_the_votes_cast_leaves_an_abstention_out() -> None:
    result = count_qualified(Tally(3, 1, 1), at_least=Ratio(2, 3), voters=5, base=MajorityBase.VOTES_CAST)
    assert result.outcome is VoteOutcome.ADOPTED
    assert "avgivna röster" in result.explanation


def test_karlskoga_degerfors_counts_two_thirds_of_the_members_present() -> None:
    app = Finsam()
    register_karlskoga_degerfors(app)
    assert app.forbund(KD).charter_on(date(2023, 11, 7)).qualified_base is MajorityBase.PRESENT_VOTERS


def test_a_charter_changing_the_base_applies_from_its_date() -> None:
    app = Finsam()
    register_karlskoga_degerfors(app)
    before = app.forbund(KD).charter_on(date(2024, 1, 1))
    amended = msgspec.structs.replace(before, qualified_base=MajorityBase.VOTES_CAST)
    app.amend_charter(KD, amended, date(2024, 7, 1), MEMBERS_DECISION)
    assert _vote_on(app, "2024-3", date(2024, 6, 30)) is VoteOutcome.REJECTED
    assert _vote_on(app, "2024-4", date(2024, 7, 1)) is VoteOutcome.ADOPTED


def test_a_charter_stored_before_the_base_existed_reads_as_members_present() -> None:
    old = msgspec.json.encode(
        {"seats": [{"member_key": "FK"}], "qualified_majority": {"numerator": 2, "denominator": 3}}
    )
    assert msgspec.json.decode(old, type=Charter).qualified_base is MajorityBase.PRESENT_VOTERS
