"""The minute book of one förbund and year: paragraph numbers run on through the year.

Numbers never repeat and never go backwards: every number of a meeting is greater than every number
of the year's earlier meetings and smaller than every number of its later ones. Meetings may be
entered out of order (an archive imported late), so the check is by meeting date, not by the order
of entry.

The book answers in time that does not grow with the year: the numbers taken are kept sorted, and
because of the rule above the numbers of the meetings up to any meeting form a prefix of that list,
found by one binary search over the meetings' order (:meth:`MinuteBook._split`). Only a refusal
walks the whole year, to name the number that stands in the way exactly as it always has.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.copying import copy_aggregate
from finsam_core.domain.versions import association_to_forbund
from finsam_core.errors import ParagraphNumberingViolation

__all__ = ["MinuteBook", "minute_book_id"]


def minute_book_id(forbund_id: UUID, year: int) -> UUID:
    return uuid5(forbund_id, f"minute-book:{year}")


class MinuteBook(Aggregate):
    def __deepcopy__(self, memo: dict[int, Any]) -> MinuteBook:
        return copy_aggregate(self, memo, "meetings", "numbers", "_entered", "_sorted_numbers")

    @staticmethod
    def create_id(forbund_id: UUID, year: int) -> UUID:
        return minute_book_id(forbund_id, year)

    class Opened(Aggregate.Created):
        """Version 2 names the förbund ``forbund_id``; version 1 said ``association_id``."""

        class_version = 2
        forbund_id: UUID
        year: int
        upcast_v1_v2 = staticmethod(association_to_forbund)

    @event(Opened)
    def __init__(self, forbund_id: UUID, year: int) -> None:
        self.forbund_id = forbund_id
        self.year = year
        self.meetings: dict[UUID, date] = {}
        self.numbers: dict[int, UUID] = {}
        self._init_indexes()

    def _init_indexes(self) -> None:
        # In-memory indexes only (derived from the events above, never stored): each meeting's
        # place in the order of entry, and every number taken, ascending.
        self._entered: dict[UUID, int] = {}
        self._sorted_numbers: list[int] = []

    def enter_meeting(self, meeting_id: UUID, held_on: date) -> None:
        if held_on.year != self.year:
            raise ParagraphNumberingViolation(
                f"Sammanträdet {held_on.isoformat()} hör inte till protokollboken för {self.year}."
            )
        self._meeting_entered(meeting_id=meeting_id, held_on=held_on)

    @event("MeetingEntered")
    def _meeting_entered(self, meeting_id: UUID, held_on: date) -> None:
        self.meetings[meeting_id] = held_on
        self._entered.setdefault(meeting_id, len(self._entered))

    def _order(self, meeting_id: UUID) -> tuple[date, int]:
        """Meetings are ordered by date, then (two on one day) by the order they were entered."""
        return self.meetings[meeting_id], self._entered[meeting_id]

    def _split(self, meeting_id: UUID) -> int:
        """How many of the numbers taken belong to this meeting or an earlier one.

        They are the first ones of ``_sorted_numbers``: every number of a meeting is greater than
        every number of the earlier meetings (the rule :meth:`take` enforces), so the owners of the
        sorted numbers run in meeting order and a binary search finds where this meeting ends.
        """
        order = self._order(meeting_id)
        return bisect_right(self._sorted_numbers, order, key=lambda number: self._order(self.numbers[number]))

    def next_number(self, meeting_id: UUID) -> int:
        """The number the next paragraph of this meeting gets unless one is given."""
        split = self._split(meeting_id)
        return self._sorted_numbers[split - 1] + 1 if split else 1

    def take(self, meeting_id: UUID, number: int) -> None:
        """Record that ``number`` is used by this meeting; refuse repeats and backward steps."""
        if number < 1:
            raise ParagraphNumberingViolation("Paragrafnummer börjar på 1.")
        if number in self.numbers:
            raise ParagraphNumberingViolation(
                f"§ {number} finns redan i protokollboken för {self.year}; paragrafnumren löper "
                "vidare genom året och får inte upprepas."
            )
        split = self._split(meeting_id)
        after_earlier = split == 0 or self._sorted_numbers[split - 1] < number
        before_later = split == len(self._sorted_numbers) or number < self._sorted_numbers[split]
        if not (after_earlier and before_later):
            self._refuse(meeting_id, number)  # raises: the rule above makes the two checks agree
        self._taken(meeting_id=meeting_id, number=number)

    def _refuse(self, meeting_id: UUID, number: int) -> None:
        """Name the first number taken (in the order taken) that ``number`` would step back from."""
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

    @event("NumberTaken")
    def _taken(self, meeting_id: UUID, number: int) -> None:
        self.numbers[number] = meeting_id
        insort(self._sorted_numbers, number)
