"""Events with hostile text in the store, recorded below every check the commands make.

The edge refuses NUL and other control characters, and the library's commands check their input,
but the views must accept whatever the store holds (events recorded before a check existed, by
another client of the library, or crafted). :class:`CraftingFinsam` records real events through
the real commands with placeholders in the text, then stores each placeholder as the raw JSON
text given for it: the stored event is exactly what the store would hold had the command accepted
the hostile text. Raw JSON text also lets a test store what no command can produce, such as a
lone surrogate escape that no longer decodes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.transcoding import MsgspecMapper, MsgspecTranscoder
from finsam_core.values import Ballot

__all__ = ["CraftingFinsam", "MeetingTexts", "json_text", "record_meeting"]


def json_text(text: str) -> bytes:
    """How ``text`` is written inside a JSON string (msgspec's escapes, no quotes)."""
    return msgspec.json.encode(text)[1:-1]


class _CraftingMapper(MsgspecMapper[UUID]):
    crafted: Mapping[bytes, bytes] = {}

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        stored = super().to_stored_event(domain_event)
        state = stored.state
        for placeholder, raw in self.crafted.items():
            state = state.replace(placeholder, raw)
        return dataclasses.replace(stored, state=state)


class CraftingFinsam(Finsam):
    """Stores every placeholder in ``crafted`` as its raw JSON text (see the module's docstring)."""

    name = "finsam"  # The same store's tables (eventsourcing names them after the class otherwise).

    def __init__(self, store_url: str, crafted: Mapping[str, bytes]) -> None:
        self._crafted = {placeholder.encode(): raw for placeholder, raw in crafted.items()}
        super().__init__(store_url=store_url)

    def construct_mapper(self) -> Mapper[UUID]:
        mapper = self.factory.mapper(transcoder=MsgspecTranscoder(), mapper_class=_CraftingMapper)
        assert isinstance(mapper, _CraftingMapper)
        mapper.crafted = self._crafted
        return mapper


@dataclasses.dataclass(frozen=True)
class MeetingTexts:
    """The texts of a meeting that the records views show."""

    reference: str = "2024-3"
    place: str = "Kommunhuset"
    title: str = "Budget"
    body: str = "Förslag till budget."
    clause: str = "att anta budgeten"
    motivation: str = "Budgeten är för stor."


KRAMFORS_BOARD = ("Thomas Näsholm", "Johanna Zidén", "Stefan Hedenström", "Cecilia Sparf")


def record_meeting(
    app: Finsam, texts: MeetingTexts, held_on: date = date(2024, 3, 1), *, one_write: bool = True
) -> tuple[int, int]:
    """A Kramfors meeting with one paragraph, a vote, its decision and a reservation; returns its § number and the
    log position it reached. Kramfors must be registered. ``one_write=False`` saves each command on its own."""
    org, ref = testing.KRAMFORS, texts.reference

    def record(app: Finsam) -> int:
        app.convene_meeting(org, ref, held_on, texts.place)
        app.record_attendance(
            org,
            ref,
            tuple(Attendee(name, Capacity.BOARD_MEMBER) for name in KRAMFORS_BOARD),
            chair=KRAMFORS_BOARD[0],
            secretary="Förbundschefen",
        )
        number = app.add_paragraph(org, ref, texts.title, texts.body)
        ballots: dict[str, Any] = dict.fromkeys(KRAMFORS_BOARD[:3], Ballot.YES)
        app.vote(org, ref, number, texts.clause, {**ballots, KRAMFORS_BOARD[3]: Ballot.NO})
        app.decide(org, ref, number, (texts.clause,))
        app.enter_reservation(org, ref, number, KRAMFORS_BOARD[3], texts.motivation)
        return number

    if one_write:
        return app.run(record)
    return record(app), app.recorder.max_notification_id() or 0
