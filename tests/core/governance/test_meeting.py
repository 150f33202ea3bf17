"""Meetings: attendance and quorum, votes, reservations, conflicts of interest, tabling, numbering."""

from __future__ import annotations

from datetime import date

from finsam_core.application import Finsam
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.errors import (
    InvalidInput,
    NotQuorate,
    ParagraphNumberingViolation,
    ReservationNotAllowed,
    VotingRuleViolation,
)
from finsam_core.rules.majority import VoteOutcome
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS as KD,
)
from finsam_core.testing import (
    KRAMFORS,
    TERM_2023,
    record_ornskoldsvik_2024_05_30,
    refused,
    register_karlskoga_degerfors,
    register_kramfors,
    register_ornskoldsvik,
)
from finsam_core.testing import (
    ORNSKOLDSVIK as OVIK,
)
from finsam_core.values import Ballot, MatterKind

KD_BOARD = [f"Ledamot {i} {k}" for i, k in enumerate(["FK", "AF", "RÖL", "KK", "DK"], 1)]


def _kd_meeting(app: Finsam, present: list[str] | None = None) -> int:
    register_karlskoga_degerfors(app)
    app.convene_meeting(KD, "2023-5", date(2023, 11, 7), "Karlskoga")
    names = present if present is not None else KD_BOARD
    app.record_attendance(
        KD,
        "2023-5",
        tuple(Attendee(n, Capacity.BOARD_MEMBER) for n in names),
        chair=names[0],
        secretary="Sekreterare",
    )
    return app.add_paragraph(KD, "2023-5", "Beslut", number=47)


def _kramfors_meeting(app: Finsam, present: list[str]) -> int:
    register_kramfors(app)
    app.convene_meeting(KRAMFORS, "2024-01-26", date(2024, 1, 26), "AME folkets park, Kramfors")
    app.record_attendance(
        KRAMFORS,
        "2024-01-26",
        (
            *tuple(Attendee(n, Capacity.BOARD_MEMBER) for n in present),
            Attendee("Jerker Byström", Capacity.OTHER, title="förbundschef"),
        ),
        chair=present[0],
        secretary="Jerker Byström",
    )
    return app.add_paragraph(KRAMFORS, "2024-01-26", "Mötets öppnande", number=1)


def test_kramfors_with_three_of_four_ledamoter_is_quorate(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"])
    assert app.meeting(KRAMFORS, "2024-01-26").is_quorate_at(n)
    app.decide(KRAMFORS, "2024-01-26", n, ("Att förklara mötet öppnat.",))


def test_two_of_four_ledamoter_cannot_decide(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén"])
    refused(
        app,
        NotQuorate,
        "2 av 4 ledamöter",
        lambda: app.decide(KRAMFORS, "2024-01-26", n, ("Att förklara mötet öppnat.",)),
    )


def test_ornskoldsvik_paragraph_43_passes_three_to_one_with_a_reservation(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    entry = next(e for e in app.decision_register(OVIK) if e.paragraph == 43)
    assert (entry.yes, entry.no, entry.abstain, entry.outcome) == (3, 1, 0, "bifall")
    assert entry.reservations == ("Camilla Steen",)
    paragraph = app.meeting(OVIK, "2024-05-30").paragraphs[43]
    name, motivation = paragraph.reservations[0]
    assert name == "Camilla Steen" and motivation.startswith("Initiativet är bra och forskningen är viktig.")


def test_three_of_five_in_favour_fails_the_two_thirds_rule(app: Finsam) -> None:
    n = _kd_meeting(app)
    ballots = dict(zip(KD_BOARD, [Ballot.YES] * 3 + [Ballot.NO] * 2, strict=True))
    assert app.vote(KD, "2023-5", n, "att anta planen", ballots).outcome is VoteOutcome.REJECTED


def test_four_of_five_in_favour_passes_the_two_thirds_rule(app: Finsam) -> None:
    n = _kd_meeting(app)
    ballots = dict(zip(KD_BOARD, [Ballot.YES] * 4 + [Ballot.NO], strict=True))
    assert app.vote(KD, "2023-5", n, "att anta planen", ballots).outcome is VoteOutcome.ADOPTED


def test_abstaining_does_not_lower_a_qualified_majority(app: Finsam) -> None:
    n = _kd_meeting(app)
    ballots = dict(zip(KD_BOARD, [Ballot.YES] * 3 + [Ballot.ABSTAIN] * 2, strict=True))
    assert app.vote(KD, "2023-5", n, "att anta planen", ballots).outcome is VoteOutcome.REJECTED


def test_a_tie_is_decided_by_the_chairs_casting_vote(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf", "Stefan Hedenström"])
    ballots = {
        "Thomas Näsholm": Ballot.YES,
        "Johanna Zidén": Ballot.NO,
        "Cecilia Sparf": Ballot.YES,
        "Stefan Hedenström": Ballot.NO,
    }
    assert app.vote(KRAMFORS, "2024-01-26", n, "att utreda utträde", ballots).outcome is VoteOutcome.ADOPTED


def test_a_vote_returns_what_it_recorded(app: Finsam) -> None:
    n = _kd_meeting(app)
    ballots = dict(zip(KD_BOARD, [Ballot.YES] * 4 + [Ballot.NO], strict=True))
    record = app.vote(KD, "2023-5", n, "att anta planen", ballots)
    assert record == app.meeting(KD, "2023-5").paragraphs[n].votes[-1]
    assert record.proposal == "att anta planen" and record.explanation and record.rule


def test_a_tied_election_is_decided_by_lot_not_by_the_chair(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf", "Stefan Hedenström"])
    ballots = {
        "Thomas Näsholm": Ballot.YES,
        "Johanna Zidén": Ballot.NO,
        "Cecilia Sparf": Ballot.YES,
        "Stefan Hedenström": Ballot.NO,
    }
    record = app.vote(KRAMFORS, "2024-01-26", n, "att välja Anna", ballots, MatterKind.ELECTION)
    assert record.outcome is VoteOutcome.BY_LOT


def test_someone_without_a_vote_cannot_vote(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"])
    refused(
        app,
        VotingRuleViolation,
        "Jerker Byström har ingen rösträtt",
        lambda: app.vote(
            KRAMFORS,
            "2024-01-26",
            n,
            "att x",
            {"Thomas Näsholm": Ballot.YES, "Jerker Byström": Ballot.YES},
        ),
    )


def test_a_ledamot_votes_only_once(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"])
    from finsam_core.domain.meeting import BallotCast

    refused(
        app,
        VotingRuleViolation,
        "redan röstat",
        lambda: app.vote(
            KRAMFORS,
            "2024-01-26",
            n,
            "att x",
            (BallotCast("Thomas Näsholm", Ballot.YES), BallotCast("thomas näsholm", Ballot.NO)),
        ),
    )


def test_a_member_who_voted_for_cannot_reserve(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    refused(
        app,
        ReservationNotAllowed,
        "röstade för beslutet",
        lambda: app.enter_reservation(OVIK, "2024-05-30", 43, "Fredrik Berglund", "Ångrar mig."),
    )


def test_a_reservation_needs_a_vote_in_the_paragraph(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    refused(
        app,
        ReservationNotAllowed,
        "Ingen omröstning",
        lambda: app.enter_reservation(OVIK, "2024-05-30", 40, "Camilla Steen", "Emot."),
    )


def test_a_member_with_a_conflict_of_interest_neither_votes_nor_counts(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"])
    app.declare_conflict(KRAMFORS, "2024-01-26", n, "Cecilia Sparf")
    meeting = app.meeting(KRAMFORS, "2024-01-26")
    assert [a.name for a in meeting.voters_at(n)] == ["Thomas Näsholm", "Johanna Zidén"]
    refused(
        app,
        NotQuorate,
        "2 av 4 ledamöter tjänstgör",
        lambda: app.decide(KRAMFORS, "2024-01-26", n, ("Att bevilja medel.",)),
    )


def test_a_serving_deputy_votes_for_the_absent_ledamot_of_the_same_member(app: Finsam) -> None:
    register_ornskoldsvik(app)
    app.convene_meeting(OVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
    app.record_attendance(
        OVIK,
        "2024-09-01",
        (
            Attendee("Mats Helli", Capacity.SERVING_DEPUTY, stands_in_for="Jan-Olov Häggström"),
            Attendee("Fredrik Berglund", Capacity.BOARD_MEMBER),
            Attendee("Camilla Steen", Capacity.BOARD_MEMBER),
        ),
        chair="Fredrik Berglund",
        secretary="Pär Eriksson",
    )
    meeting = app.meeting(OVIK, "2024-09-01")
    assert {a.name: a.member_key for a in meeting.voters_at(1)}["Mats Helli"] == "RVN"


def test_a_deputy_cannot_serve_for_another_members_ledamot(app: Finsam) -> None:
    register_ornskoldsvik(app)
    app.convene_meeting(OVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
    refused(
        app,
        VotingRuleViolation,
        "samma medlem",
        lambda: app.record_attendance(
            OVIK,
            "2024-09-01",
            (
                Attendee("Mats Helli", Capacity.SERVING_DEPUTY, stands_in_for="Camilla Steen"),
                Attendee("Fredrik Berglund", Capacity.BOARD_MEMBER),
            ),
            chair="Fredrik Berglund",
            secretary="Pär Eriksson",
        ),
    )


def test_someone_not_appointed_cannot_attend_as_ledamot(app: Finsam) -> None:
    register_ornskoldsvik(app)
    app.convene_meeting(OVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
    refused(
        app,
        VotingRuleViolation,
        "inte ledamot",
        lambda: app.record_attendance(
            OVIK,
            "2024-09-01",
            (Attendee("Okänd Person", Capacity.BOARD_MEMBER),),
            chair="Okänd Person",
            secretary="X",
        ),
    )


def test_tabling_is_refused_when_the_majority_votes_against_it(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"])
    app.vote(
        KRAMFORS,
        "2024-01-26",
        n,
        "att bordlägga ärendet",
        {"Thomas Näsholm": Ballot.NO, "Johanna Zidén": Ballot.NO, "Cecilia Sparf": Ballot.YES},
        MatterKind.TABLING,
    )
    refused(
        app,
        VotingRuleViolation,
        "Bordläggning",
        lambda: app.table(KRAMFORS, "2024-01-26", n, "Utträde ur NNS", "Minoriteten vill vänta."),
    )


def test_the_next_paragraph_number_follows_the_years_previous_meeting(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    app.convene_meeting(OVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
    assert app.add_paragraph(OVIK, "2024-09-01", "Sammanträdet öppnas") == 46


def test_paragraph_numbers_start_again_in_a_new_year(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    app.convene_meeting(OVIK, "2025-02-01", date(2025, 2, 1), "Örnsköldsvik")
    assert app.add_paragraph(OVIK, "2025-02-01", "Sammanträdet öppnas") == 1


def test_a_paragraph_number_cannot_repeat_in_a_year(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    app.convene_meeting(OVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
    refused(
        app,
        ParagraphNumberingViolation,
        "§ 45 finns redan",
        lambda: app.add_paragraph(OVIK, "2024-09-01", "Öppnande", number=45),
    )


def test_paragraph_numbers_cannot_go_backwards_after_an_earlier_meeting(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    app.convene_meeting(OVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
    refused(
        app,
        ParagraphNumberingViolation,
        "tidigare sammanträde",
        lambda: app.add_paragraph(OVIK, "2024-09-01", "Öppnande", number=12),
    )


def test_an_earlier_meeting_entered_late_must_number_below_later_ones(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    app.convene_meeting(OVIK, "2024-04-19", date(2024, 4, 19), "Örnsköldsvik")
    assert app.add_paragraph(OVIK, "2024-04-19", "Öppnande", number=30) == 30
    refused(
        app,
        ParagraphNumberingViolation,
        "senare sammanträde",
        lambda: app.add_paragraph(OVIK, "2024-04-19", "Övrigt", number=50),
    )


def test_numbers_within_a_meeting_cannot_go_backwards(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"])
    app.add_paragraph(KRAMFORS, "2024-01-26", "Tre", number=n + 2)
    refused(
        app,
        ParagraphNumberingViolation,
        "bakåt",
        lambda: app.add_paragraph(KRAMFORS, "2024-01-26", "Två", number=n + 1),
    )


def test_an_assignment_has_an_assignee_and_a_due_date(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app)
    (open_one,) = app.open_assignments(OVIK, as_of=date(2024, 7, 1))
    assert (open_one.paragraph, open_one.assignee, open_one.due_on, open_one.overdue) == (
        44,
        "Förbundschefen",
        date(2024, 7, 19),
        False,
    )
    app.complete_assignment(OVIK, "2024-05-30", 44, "Förbundschefen", date(2024, 7, 15))
    assert app.open_assignments(OVIK, as_of=date(2024, 7, 20)) == []


def test_a_deputy_who_does_not_serve_has_no_vote(app: Finsam) -> None:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    assert "Mats Helli" not in [a.name for a in app.meeting(OVIK, "2024-05-30").voters_at(43)]


def test_decision_text_is_required(app: Finsam) -> None:
    n = _kramfors_meeting(app, ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"])
    refused(app, InvalidInput, "saknar text", lambda: app.decide(KRAMFORS, "2024-01-26", n, ("  ",)))


def test_kramfors_board_is_four_ledamoter_and_four_ersattare_for_the_term(app: Finsam) -> None:
    register_kramfors(app)
    forbund = app.forbund(KRAMFORS)
    board = forbund.board_on(TERM_2023[0])
    assert sorted(a.role.value for a in board) == ["ersattare"] * 4 + ["ledamot"] * 4
    assert forbund.board_on(date(2027, 1, 1)) == []
