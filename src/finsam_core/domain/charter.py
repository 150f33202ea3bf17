"""The charter (förbundsordning): the board's seats and its rules for quorum and decisions.

A charter is data with the date it takes effect from. An amended charter applies from its date;
a meeting keeps the charter that was in force on its day (the meeting records a copy when it is
convened), so earlier votes keep the rule they were taken under.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finsam_core.values import MajorityBase, MatterKind, Ratio, Value, require_exact

__all__ = ["Charter", "DecisionRef", "KommunShare", "SeatAllocation"]


class SeatAllocation(Value, frozen=True):
    """How many ledamöter and ersättare a member organisation appoints."""

    member_key: str
    board_members: int = 1
    deputies: int = 1


class KommunShare(Value, frozen=True):
    """One kommun's weight in the charter's key for sharing the kommuner's quarter (often population)."""

    member_key: str
    weight: Decimal

    def __post_init__(self) -> None:
        require_exact(self.weight, f"Kommunnyckelns andel för {self.member_key}")


class Charter(Value, frozen=True):
    """The rules of one förbund's board, as the förbundsordning states them."""

    seats: tuple[SeatAllocation, ...]
    quorum_more_than: Ratio = Ratio(1, 2)
    """Quorate when more than this share of the ledamot seats are filled by voters present."""
    qualified_majority: Ratio | None = None
    """At least this share of the voters must vote yes for the matters below (2/3 in `004_*`)."""
    qualified_for_all: bool = False
    """The qualified majority applies to all the board's decisions (as in Karlskoga/Degerfors)."""
    qualified_matters: tuple[MatterKind, ...] = ()
    qualified_base: MajorityBase = MajorityBase.PRESENT_VOTERS
    """What the qualified majority is a share of. A charter stored before issue 15 has no base and
    reads as the members present, the rule finsam always applied; an amendment changes it from its date."""
    chair_casting_vote: bool = True
    term_start_month: int = 1
    term_start_day: int = 1
    term_years: int = 4
    member_notice_years: int = 3
    kallelse_days: int = 7
    """The kallelse is sent at least this many days before the meeting (seven is the common förbundsordning's)."""
    """Notice period for a kommun or region leaving the förbund (the law's default is three years)."""
    kommun_key: tuple[KommunShare, ...] = ()
    """How the kommuner share their quarter of the allocation; empty when there is one kommun or no key."""
    per_capsulam: bool = False
    """The board may decide per capsulam (each ledamot answering in writing, outside a meeting) while
    this charter is in force; a charter stored before issue 15 does not allow it."""

    def kommun_weights(self) -> dict[str, Decimal] | None:
        """The key as member key -> weight, or ``None`` when the charter sets none."""
        return {share.member_key: share.weight for share in self.kommun_key} or None

    @property
    def board_seats(self) -> int:
        return sum(seat.board_members for seat in self.seats)

    def seat_for(self, member_key: str) -> SeatAllocation | None:
        for seat in self.seats:
            if seat.member_key == member_key:
                return seat
        return None

    def needs_qualified_majority(self, matter: MatterKind) -> bool:
        if self.qualified_majority is None:
            return False
        return self.qualified_for_all or matter in self.qualified_matters


class DecisionRef(Value, frozen=True):
    """The decision that authorised a change.

    Either a paragraph of this förbund's own minutes (``meeting`` and ``paragraph`` set, checked
    against the ledger) or another body's decision, such as a regional council's, by its reference.
    """

    body: str
    reference: str
    decided_on: date
    meeting: str | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        return f"{self.body} {self.reference} ({self.decided_on.isoformat()})"
