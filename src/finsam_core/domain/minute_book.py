"""The minute book of one förbund and year: paragraph numbers run on through the year.

Numbers never repeat and never go backwards: every number of a meeting is greater than every number
of the year's earlier meetings and smaller than every number of its later ones. Meetings may be
entered out of order (an archive imported late), so the check is by meeting date, not by the order
of entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.copying import copy_aggregate
from finsam_core.domain.errors import ParagraphNumberingViolation

__all__ = ["MinuteBook", "minute_book_id"]


def minute_book_id(association_id: UUID, year: int) -> UUID:
    return uuid5(association_id, f"minute-book:{year}")


class MinuteBook(Aggregate):
    def __deepcopy__(self, memo: dict[int, Any]) -> MinuteBook:
        return copy_aggregate(self, memo, "meetings", "numbers")

    @staticmethod
    def create_id(association_id: UUID, year: int) -> UUID:
        return minute_book_id(association_id, year)

    @event("Opened")
    def __init__(self, association_id: UUID, year: int) -> None:
        self.association_id = association_id
        self.year = year
        self.meetings: dict[UUID, date] = {}
        self.numbers: dict[int, UUID] = {}

    def enter_meeting(self, meeting_id: UUID, held_on: date) -> None:
        if held_on.year != self.year:
            raise ParagraphNumberingViolation(
                f"Sammanträdet {held_on.isoformat()} hör inte till protokollboken för {self.year}."
            )
        self._meeting_entered(meeting_id=meeting_id, held_on=held_on)

    @event("MeetingEntered")
    def _meeting_entered(self, meeting_id: UUID, held_on: date) -> None:
        self.meetings[meeting_id] = held_on

    def _order(self, meeting_id: UUID) -> tuple[date, int]:
        """Meetings are ordered by date, then (two on one day) by the order they were entered."""
        return self.meetings[meeting_id], list(self.meetings).index(meeting_id)

    def next_number(self, meeting_id: UUID) -> int:
        """The number the next paragraph of this meeting gets unless one is given."""
        order = self._order(meeting_id)
        before = [number for number, owner in self.numbers.items() if owner == meeting_id or self._order(owner) < order]
        return max(before, default=0) + 1

    def take(self, meeting_id: UUID, number: int) -> None:
        """Record that ``number`` is used by this meeting; refuse repeats and backward steps."""
        if number < 1:
            raise ParagraphNumberingViolation("Paragrafnummer börjar på 1.")
        if number in self.numbers:
            raise ParagraphNumberingViolation(
                f"§ {number} finns redan i protokollboken för {self.year}; paragrafnumren löper "
                "vidare genom året och får inte upprepas."
            )
        order = self._order(meeting_id)
        for used, owner in self.numbers.items():
            owner_day = self.meetings[owner]
            if owner == meeting_id and used > number:
                raise ParagraphNumberingViolation(
                    f"§ {number} kommer efter § {used} i samma sammanträde; numren får inte gå bakåt."
                )
            if owner != meeting_id and self._order(owner) < order and used > number:
                raise ParagraphNumberingViolation(
                    f"§ {number} är lägre än § {used} från ett tidigare sammanträde "
                    f"({owner_day.isoformat()}); paragrafnumren löper vidare genom året."
                )
            if owner != meeting_id and self._order(owner) > order and used < number:
                raise ParagraphNumberingViolation(
                    f"§ {number} är högre än § {used} från ett senare sammanträde "
                    f"({owner_day.isoformat()}); paragrafnumren löper vidare genom året."
                )
        self._taken(meeting_id=meeting_id, number=number)

    @event("NumberTaken")
    def _taken(self, meeting_id: UUID, number: int) -> None:
        self.numbers[number] = meeting_id
