"""Schema evolution on a real event: ``Meeting.VoteTaken`` gained ``rule`` in class version 2.

A version-1 vote, stored as it was written before the field existed, must load on every store and
come back with the rule the upcaster derives from the stored explanation.
"""

from __future__ import annotations

import json
from datetime import date

from eventsourcing.persistence import StoredEvent

from finsam_core.application import Finsam
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import Attendee, Capacity, Meeting, meeting_id
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS,
    ORNSKOLDSVIK,
    record_ornskoldsvik_2024_05_30,
    register_karlskoga_degerfors,
    register_ornskoldsvik,
)
from finsam_core.values import Ballot

VOTE_TOPIC = "finsam_core.domain.meeting:Meeting.VoteTaken"


def _as_version_1(stored: StoredEvent) -> StoredEvent:
    """The stored vote as version 1 wrote it: no ``rule``, no ``class_version``."""
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    del state["rule"]
    return StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state, ensure_ascii=False).encode("utf-8"),
    )


def _copy_meeting_with_old_votes(source: Finsam, target: Finsam, org_nr: str, reference: str) -> int:
    stream = meeting_id(forbund_id(org_nr), reference)
    events = [_as_version_1(e) if e.topic == VOTE_TOPIC else e for e in source.recorder.select_events(stream)]
    target.recorder.insert_events(events)
    return sum(1 for e in events if e.topic == VOTE_TOPIC)


def test_a_version_1_simple_majority_vote_loads_with_its_rule(store_url: str) -> None:
    source = Finsam(store_url="memory:")
    register_ornskoldsvik(source)
    record_ornskoldsvik_2024_05_30(source)
    target = Finsam(store_url=store_url)
    assert _copy_meeting_with_old_votes(source, target, ORNSKOLDSVIK, "2024-05-30") == 1

    meeting = target.meeting(ORNSKOLDSVIK, "2024-05-30")
    assert isinstance(meeting, Meeting)
    assert meeting.paragraphs[43].votes[0].rule == "enkel majoritet"
    assert meeting.canonical_sha256() == source.meeting(ORNSKOLDSVIK, "2024-05-30").canonical_sha256()
    assert meeting.is_final


def test_a_version_1_qualified_majority_vote_gets_the_fraction_back(store_url: str) -> None:
    source = Finsam(store_url="memory:")
    register_karlskoga_degerfors(source)
    source.convene_meeting(KARLSKOGA_DEGERFORS, "2023-5", date(2023, 11, 13), "Karlskoga")
    board = [f"Ledamot {i} {k}" for i, k in enumerate(["FK", "AF", "RÖL", "KK", "DK"], 1)]
    source.record_attendance(
        KARLSKOGA_DEGERFORS, "2023-5", tuple(Attendee(n, Capacity.BOARD_MEMBER) for n in board), board[0], "Sekr"
    )
    n = source.add_paragraph(KARLSKOGA_DEGERFORS, "2023-5", "Verksamhets- och budgetplan 2024", number=54)
    source.vote(KARLSKOGA_DEGERFORS, "2023-5", n, "att anta planen", dict.fromkeys(board, Ballot.YES))
    target = Finsam(store_url=store_url)
    _copy_meeting_with_old_votes(source, target, KARLSKOGA_DEGERFORS, "2023-5")

    vote = target.meeting(KARLSKOGA_DEGERFORS, "2023-5").paragraphs[54].votes[0]
    assert vote.rule == "kvalificerad majoritet 2/3"
