"""Request and response bodies for förbund: registering one, reading it, its charter and its members."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.domain.charter import Charter, KommunShare, SeatAllocation
from finsam_core.values import MajorityBase, MatterKind, MemberKind, MemberOrganisation, Ratio
from finsam_service.budgets.schemas import DecisionRefIn
from finsam_service.inputs import Amount, Body, Count, Items, Line, OrgNr

__all__ = [
    "CharterAmendment",
    "CharterIn",
    "Forbund",
    "ForbundCreate",
    "ForbundWritten",
    "Member",
    "MemberAdmit",
    "MemberCreate",
    "MemberNotice",
    "MemberNoticeWritten",
    "RatioIn",
    "SeatIn",
]


class MemberCreate(Body, frozen=True):
    key: Line
    name: Line
    kind: MemberKind
    board_members: Count = 1
    deputies: Count = 1


class ForbundCreate(Body, frozen=True):
    """A förbund to register; the charter gets one seat allocation per member and default rules."""

    org_nr: OrgNr
    name: Line
    founded_on: date
    members: Annotated[list[MemberCreate], Items]


class ForbundWritten(msgspec.Struct, frozen=True):
    org_nr: str
    position: int


class Member(msgspec.Struct, frozen=True):
    key: str
    name: str
    kind: str
    joined_on: date
    leaves_on: date | None
    liquidation: str | None = None
    """Set when this member's notice leaves the förbund without a region or a kommun (issue 15)."""


class Forbund(msgspec.Struct, frozen=True):
    org_nr: str
    name: str
    founded_on: date
    members: list[Member]


class SeatIn(Body, frozen=True, forbid_unknown_fields=True):
    member_key: Line
    board_members: Count = 1
    deputies: Count = 1


class RatioIn(Body, frozen=True, forbid_unknown_fields=True):
    numerator: Count
    denominator: Count


class CharterIn(Body, frozen=True, forbid_unknown_fields=True):
    """The charter's rules; left-out fields take the law's defaults, as in :class:`Charter`."""

    seats: Annotated[list[SeatIn], Items]
    quorum_more_than: RatioIn = msgspec.field(default_factory=lambda: RatioIn(1, 2))
    qualified_majority: RatioIn | None = None
    qualified_for_all: bool = False
    qualified_matters: Annotated[list[MatterKind], Items] = msgspec.field(default_factory=list)
    qualified_base: MajorityBase = MajorityBase.PRESENT_VOTERS
    chair_casting_vote: bool = True
    term_start_month: int = 1
    term_start_day: int = 1
    term_years: int = 4
    member_notice_years: int = 3
    kallelse_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 7
    """The kallelse is sent at least this many days before a meeting."""
    kommun_key: Annotated[dict[Line, Amount], Items] = msgspec.field(default_factory=dict)
    per_capsulam: bool = False
    """The board may decide per capsulam while this charter is in force (from its date)."""

    def to_domain(self) -> Charter:
        """The domain's charter (a ratio outside 0–1 is refused here, as ``InvalidInput``)."""
        majority = self.qualified_majority
        return Charter(
            seats=tuple(SeatAllocation(s.member_key, s.board_members, s.deputies) for s in self.seats),
            quorum_more_than=Ratio(self.quorum_more_than.numerator, self.quorum_more_than.denominator),
            qualified_majority=None if majority is None else Ratio(majority.numerator, majority.denominator),
            qualified_for_all=self.qualified_for_all,
            qualified_matters=tuple(self.qualified_matters),
            qualified_base=self.qualified_base,
            chair_casting_vote=self.chair_casting_vote,
            term_start_month=self.term_start_month,
            term_start_day=self.term_start_day,
            term_years=self.term_years,
            member_notice_years=self.member_notice_years,
            kallelse_days=self.kallelse_days,
            kommun_key=tuple(KommunShare(key, weight) for key, weight in self.kommun_key.items()),
            per_capsulam=self.per_capsulam,
        )


class CharterAmendment(Body, frozen=True, forbid_unknown_fields=True):
    """An amended charter in force from ``effective_from``, by the decision ``authorised_by``."""

    charter: CharterIn
    effective_from: date
    authorised_by: DecisionRefIn


class MemberAdmit(Body, frozen=True, forbid_unknown_fields=True):
    """A kommun or region joins the förbund."""

    key: Line
    name: Line
    kind: MemberKind
    effective_from: date
    authorised_by: DecisionRefIn

    def member(self) -> MemberOrganisation:
        return MemberOrganisation(self.key, self.name, self.kind)


class MemberNotice(Body, frozen=True, forbid_unknown_fields=True):
    """A kommun's or region's notice to leave, received on ``notice_received``."""

    notice_received: date
    authorised_by: DecisionRefIn


class MemberNoticeWritten(msgspec.Struct, frozen=True):
    leaves_on: date
    """The first day the organisation is no longer a member (the charter's notice period)."""
    position: int
