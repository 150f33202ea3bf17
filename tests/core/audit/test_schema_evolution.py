"""An event that changed shape: an old stored payload is upcast on every store, and still verifies.

The case: a recorded vote first stored only the counts; version 2 also records whether the chair's
casting vote decided it. A v1 payload written before the change is put in the store as it was
written then, and must load as a v2 event with ``casting_vote=False``.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent

from finsam_core.application import Finsam
from finsam_core.audit.verify import verify_store


class VoteRecord(Aggregate):
    """A minimal aggregate whose event evolved, standing in for a domain event that gains a field."""

    @event("Opened")
    def __init__(self, proposal: str) -> None:
        self.proposal = proposal
        self.votes: list[tuple[int, int, bool]] = []

    class Counted(Aggregate.Event):
        class_version = 2
        yes: int
        no: int
        casting_vote: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["casting_vote"] = False

        def apply(self, aggregate: Aggregate) -> None:
            aggregate.votes.append((self.yes, self.no, self.casting_vote))  # type: ignore[attr-defined]

    def count(self, yes: int, no: int, casting_vote: bool) -> None:
        self.trigger_event(self.Counted, yes=yes, no=no, casting_vote=casting_vote)


def test_an_old_version_payload_is_upcast_and_still_verifies(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    record = VoteRecord(proposal="att delta i följeforskningsprojektet")
    record.count(yes=2, no=2, casting_vote=True)
    app.save(record)
    [v2] = [e for e in app.recorder.select_events(record.id) if e.originator_version == 2]
    assert b'"class_version":2' in v2.state
    old = VoteRecord(proposal="äldre förslag")
    app.save(old)
    v1_state = b'{"timestamp":"2024-05-30T10:00:00+00:00","yes":3,"no":1}'
    app.recorder.insert_events([StoredEvent(old.id, 2, v2.topic, v1_state)])

    reloaded = Finsam(store_url=store_url) if not store_url.startswith("memory") else app
    loaded: VoteRecord = reloaded.repository.get(old.id)
    assert loaded.votes == [(3, 1, False)]
    assert reloaded.repository.get(record.id).votes == [(2, 2, True)]
    assert verify_store(reloaded).ok
