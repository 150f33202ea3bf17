"""The parts a board meeting's record is made of: attendees, ballots, votes, paragraphs, signatures.

Values and small structures the :class:`~finsam_core.domain.meeting.Meeting` aggregate holds and
its events carry, and the check of an attendee's seat on the board. Both the aggregate and the
rendering of its minutes (:mod:`finsam_core.domain.minutes`) use them; neither is needed here, so
the two do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import msgspec

from finsam_core.domain.forbund import Appointment
from finsam_core.errors import VotingRuleViolation
from finsam_core.rules.majority import VoteOutcome
from finsam_core.rules.spending import AmountPeriod
from finsam_core.values import Ballot, BoardRole, MatterKind, Value

__all__ = [
    "Attendee",
    "BallotCast",
    "Capacity",
    "Paragraph",
    "Signature",
    "SignerRole",
    "VoteRecord",
    "check_seat",
    "same_person",
]


def same_person(a: str, b: str) -> bool:
    """Names as written in minutes and on signatures: case, hyphens and spacing do not matter."""
    return " ".join(a.replace("-", " ").casefold().split()) == " ".join(b.replace("-", " ").casefold().split())


class Capacity(StrEnum):
    """In what capacity someone is at the meeting."""

    BOARD_MEMBER = "ledamot"
    SERVING_DEPUTY = "tjanstgorande_ersattare"
    DEPUTY = "ersattare"
    """A deputy who does not serve: may speak, may not vote."""
    OTHER = "ovrig"


class Attendee(Value, frozen=True):
    name: str
    capacity: Capacity
    member_key: str | None = None
    stands_in_for: str | None = None
    title: str = ""
    paragraphs: tuple[int, ...] = ()
    """Present only for these paragraphs; empty means the whole meeting."""

    @property
    def votes(self) -> bool:
        return self.capacity in (Capacity.BOARD_MEMBER, Capacity.SERVING_DEPUTY)

    def present_at(self, number: int) -> bool:
        return not self.paragraphs or number in self.paragraphs


class BallotCast(Value, frozen=True):
    name: str
    ballot: Ballot


class SignerRole(StrEnum):
    CHAIR = "ordforande"
    ADJUSTER = "justerare"
    SECRETARY = "sekreterare"


class Signature(Value, frozen=True):
    name: str
    role: SignerRole
    signed_at: datetime
    sha256: str
    document_sha256: str | None = None


@dataclass(frozen=True)
class VoteRecord:
    proposal: str
    matter: MatterKind
    ballots: tuple[BallotCast, ...]
    outcome: VoteOutcome
    explanation: str
    rule: str

    def __deepcopy__(self, memo: dict[int, Any]) -> VoteRecord:
        return self  # immutable


@dataclass
class Paragraph:
    """A paragraph (§) as the minutes show it, built from its events in order."""

    number: int
    title: str
    body: str
    entries: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    votes: list[VoteRecord] = field(default_factory=list)
    decisions: list[tuple[tuple[str, ...], MatterKind]] = field(default_factory=list)
    reservations: list[tuple[str, str]] = field(default_factory=list)
    corrections: list[tuple[str, str, date]] = field(default_factory=list)
    amounts: dict[int, tuple[Decimal, AmountPeriod]] = field(default_factory=dict)
    """Decision index -> the amount it carries and its period (:mod:`finsam_core.rules.spending`)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Paragraph:
        """The lists are copied; what they hold (tuples, values, entry dicts) is never changed in place."""
        return Paragraph(
            self.number,
            self.title,
            self.body,
            list(self.entries),
            list(self.conflicts),
            list(self.votes),
            list(self.decisions),
            list(self.reservations),
            list(self.corrections),
            dict(self.amounts),
        )


def check_seat(attendee: Attendee, attendees: tuple[Attendee, ...], board: list[Appointment], day: date) -> Attendee:
    """Check the attendee's seat on the board that day; returns it with the member filled in."""
    if attendee.capacity == Capacity.OTHER:
        return attendee
    role = BoardRole.BOARD_MEMBER if attendee.capacity == Capacity.BOARD_MEMBER else BoardRole.DEPUTY
    seat = next(
        (a for a in board if same_person(a.person, attendee.name) and a.role == role),
        None,
    )
    word = "ledamot" if role == BoardRole.BOARD_MEMBER else "ersättare"
    if seat is None:
        raise VotingRuleViolation(
            f"{attendee.name} är inte {word} i styrelsen {day.isoformat()} enligt registrerade förordnanden."
        )
    if attendee.member_key is not None and attendee.member_key != seat.member_key:
        raise VotingRuleViolation(f"{attendee.name} är {word} för {seat.member_key}, inte för {attendee.member_key}.")
    if attendee.capacity == Capacity.SERVING_DEPUTY:
        replaced = attendee.stands_in_for
        if replaced is None:
            raise VotingRuleViolation(f"Ange vilken ledamot ersättaren {attendee.name} tjänstgör för.")
        ledamot = next(
            (a for a in board if same_person(a.person, replaced) and a.role == BoardRole.BOARD_MEMBER),
            None,
        )
        if ledamot is None or ledamot.member_key != seat.member_key:
            raise VotingRuleViolation(
                f"{attendee.name} kan bara tjänstgöra för en ledamot från samma medlem ({seat.member_key})."
            )
        if any(same_person(a.name, replaced) and a.votes for a in attendees):
            raise VotingRuleViolation(f"{replaced} är själv närvarande och tjänstgör; ersättaren får inte rösta.")
    return msgspec.structs.replace(attendee, member_key=seat.member_key)
