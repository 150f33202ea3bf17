"""Request and response bodies for the board, the charter, members and the content of paragraphs."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.domain.association import Office
from finsam_core.domain.charter import Charter, KommunShare, SeatAllocation
from finsam_core.values import BoardRole, MatterKind, MemberKind, MemberOrganisation, Ratio
from finsam_service.budgets.schemas import DecisionRefIn
from finsam_service.inputs import Amount, Body, Count, Items, Line, Text

__all__ = [
    "AppointmentCreate",
    "AppointmentEnd",
    "Assignment",
    "AssignmentComplete",
    "AssignmentCreate",
    "CharterAmendment",
    "CharterIn",
    "ConflictDeclare",
    "CorrectionCreate",
    "DocumentReceive",
    "InformationNote",
    "MemberAdmit",
    "MemberNotice",
    "MemberNoticeWritten",
    "NoticeTakeDown",
    "OfficerElect",
    "RatioIn",
    "SeatIn",
    "TablingCreate",
]


class AppointmentCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A member organisation appoints a ledamot or ersättare for a term."""

    person: Line
    member_key: Line
    role: BoardRole
    term_from: date
    term_to: date
    authorised_by: DecisionRefIn | None = None


class AppointmentEnd(Body, frozen=True, forbid_unknown_fields=True):
    """A ledamot or ersättare leaves the board before the term ends."""

    person: Line
    member_key: Line
    ended_on: date


class OfficerElect(Body, frozen=True, forbid_unknown_fields=True):
    """The board elects its chair (``ordforande``) or vice chair (``vice_ordforande``) among its ledamöter."""

    person: Line
    office: Office
    term_from: date
    term_to: date


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
    chair_casting_vote: bool = True
    term_start_month: int = 1
    term_start_day: int = 1
    term_years: int = 4
    member_notice_years: int = 3
    kommun_key: Annotated[dict[Line, Amount], Items] = msgspec.field(default_factory=dict)

    def to_domain(self) -> Charter:
        """The domain's charter (a ratio outside 0–1 is refused here, as ``InvalidInput``)."""
        majority = self.qualified_majority
        return Charter(
            seats=tuple(SeatAllocation(s.member_key, s.board_members, s.deputies) for s in self.seats),
            quorum_more_than=Ratio(self.quorum_more_than.numerator, self.quorum_more_than.denominator),
            qualified_majority=None if majority is None else Ratio(majority.numerator, majority.denominator),
            qualified_for_all=self.qualified_for_all,
            qualified_matters=tuple(self.qualified_matters),
            chair_casting_vote=self.chair_casting_vote,
            term_start_month=self.term_start_month,
            term_start_day=self.term_start_day,
            term_years=self.term_years,
            member_notice_years=self.member_notice_years,
            kommun_key=tuple(KommunShare(key, weight) for key, weight in self.kommun_key.items()),
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


class InformationNote(Body, frozen=True, forbid_unknown_fields=True):
    text: Text


class ConflictDeclare(Body, frozen=True, forbid_unknown_fields=True):
    """Jäv: ``name`` takes no part in the paragraph."""

    name: Line


class TablingCreate(Body, frozen=True, forbid_unknown_fields=True):
    item: Line
    reason: Text
    to_meeting: Line | None = None


class AssignmentCreate(Body, frozen=True, forbid_unknown_fields=True):
    assignee: Line
    task: Text
    due_on: date | None = None


class AssignmentComplete(Body, frozen=True, forbid_unknown_fields=True):
    assignee: Line
    completed_on: date


class DocumentReceive(Body, frozen=True, forbid_unknown_fields=True):
    """An incoming document (inkommande handling) reported to the board."""

    registry_number: Line
    sender: Line
    title: Line
    received_on: date


class CorrectionCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A correction of adjusted minutes: the signed text stays, the correction is shown beside it."""

    text: Text
    reason: Text
    recorded_on: date


class NoticeTakeDown(Body, frozen=True, forbid_unknown_fields=True):
    taken_down_on: date


class Assignment(msgspec.Struct, frozen=True):
    """An assignment (uppdrag) not yet reported done."""

    meeting: str
    paragraph: int
    assignee: str
    task: str
    due_on: date | None
    overdue: bool
    final: bool
    """Whether the minutes that gave it are adjusted (only these are public)."""
