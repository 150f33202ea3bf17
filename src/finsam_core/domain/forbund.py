"""The förbund (samordningsförbund): its members, its charter over time and its board.

One aggregate per förbund, identified by its org nr. It is also the index of the förbund's
meetings, so that the minutes of every year can be found without scanning the log.
"""

from __future__ import annotations

from bisect import insort
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import msgspec
from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import Charter, DecisionRef
from finsam_core.domain.copying import copy_aggregate
from finsam_core.errors import (
    BoardRuleViolation,
    Conflict,
    InvalidInput,
    MembershipRuleViolation,
)
from finsam_core.rules.parameters import check_charter_limits
from finsam_core.values import BoardRole, MemberKind, MemberOrganisation, Value, validate_org_nr

__all__ = [
    "Appointment",
    "CharterVersion",
    "Forbund",
    "LiquidationFlag",
    "MeetingEntry",
    "Membership",
    "Office",
    "OfficeHolding",
    "forbund_id",
]

FINSAM_NAMESPACE = uuid5(NAMESPACE_URL, "https://finsam.se/ns")


def forbund_id(org_nr: str) -> UUID:
    """The identity of the förbund with this org nr (derived, so it can never be registered twice)."""
    # "association:" is the word of the first version: identities are stored, so it stays.
    return uuid5(FINSAM_NAMESPACE, f"association:{org_nr}")


class Office(StrEnum):
    CHAIR = "ordforande"
    VICE_CHAIR = "vice_ordforande"


class Appointment(Value, frozen=True):
    """A person appointed by a member organisation to a seat on the board for a term."""

    person: str
    member_key: str
    role: BoardRole
    term_from: date
    term_to: date

    def holds_on(self, day: date) -> bool:
        return self.term_from <= day <= self.term_to


class OfficeHolding(Value, frozen=True):
    person: str
    office: Office
    term_from: date
    term_to: date


class CharterVersion(Value, frozen=True):
    charter: Charter
    effective_from: date
    authorised_by: DecisionRef | None


class Membership(Value, frozen=True):
    """A member organisation's time in the förbund."""

    member: MemberOrganisation
    joined_on: date
    notice_received: date | None = None
    leaves_on: date | None = None
    """The first day the organisation is no longer a member."""
    admitted_by: DecisionRef | None = None
    """The decision that admitted the organisation (None for a founding member)."""
    notice_by: DecisionRef | None = None
    """The decision that recorded its notice to leave."""

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.leaves_on is None or day < self.leaves_on)


class LiquidationFlag(Value, frozen=True):
    """A notice after which the förbund would lack a kind of member the law requires.

    The notice is recorded all the same: the law lets a kommun or region leave, and the förbund is
    then liquidated unless the others carry on (with a new member before ``leaves_on``).
    """

    member_key: str
    member_name: str
    leaves_on: date
    missing: tuple[MemberKind, ...]

    @property
    def message(self) -> str:
        kinds = ", ".join(kind.label for kind in self.missing)
        return (
            f"När {self.member_name} lämnar {self.leaves_on.isoformat()} saknar förbundet {kinds}: "
            "förbundet ska likvideras om inte övriga medlemmar beslutar att fortsätta med en ny medlem "
            "(lag 2003:1210)."
        )


class MeetingEntry(Value, frozen=True):
    meeting_id: UUID
    reference: str
    held_on: date


REQUIRED_KINDS = (
    MemberKind.FORSAKRINGSKASSAN,
    MemberKind.ARBETSFORMEDLINGEN,
    MemberKind.REGION,
    MemberKind.KOMMUN,
)


def _missing_kinds(members: list[MemberOrganisation]) -> list[MemberKind]:
    present = {member.kind for member in members}
    return [kind for kind in REQUIRED_KINDS if kind not in present]


class Forbund(Aggregate):
    """A samordningsförbund."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Forbund:
        return copy_aggregate(
            self,
            memo,
            "memberships",
            "charters",
            "appointments",
            "appointed_by",
            "offices",
            "meetings",
            "_references",
            "liquidation_flags",
        )

    @staticmethod
    def create_id(org_nr: str) -> UUID:
        return forbund_id(org_nr)

    @classmethod
    def register(
        cls,
        *,
        org_nr: str,
        name: str,
        members: tuple[MemberOrganisation, ...],
        charter: Charter,
        founded_on: date,
    ) -> Forbund:
        """Register a förbund with its members and charter; refuses a member set the law does not allow."""
        org_nr = validate_org_nr(org_nr)
        if not name.strip():
            raise InvalidInput("Förbundet måste ha ett namn.")
        keys = [member.key for member in members]
        if len(set(keys)) != len(keys):
            raise InvalidInput("Varje medlem måste ha en egen kortform (till exempel FK, AF, RVN).")
        missing = _missing_kinds(list(members))
        if missing:
            raise MembershipRuleViolation(
                "Ett samordningsförbund måste ha Försäkringskassan, Arbetsförmedlingen, minst en "
                "region och minst en kommun som medlemmar; saknas: " + ", ".join(kind.label for kind in missing) + "."
            )
        _check_charter(charter, set(keys), founded_on)
        return cls._create(
            cls.Registered,
            id=forbund_id(org_nr),
            org_nr=org_nr,
            name=name.strip(),
            members=members,
            charter=charter,
            founded_on=founded_on,
        )

    class Registered(Aggregate.Created):
        org_nr: str
        name: str
        members: tuple[MemberOrganisation, ...]
        charter: Charter
        founded_on: date

    @event(Registered)
    def __init__(
        self,
        org_nr: str,
        name: str,
        members: tuple[MemberOrganisation, ...],
        charter: Charter,
        founded_on: date,
    ) -> None:
        self.org_nr = org_nr
        self.name = name
        self.founded_on = founded_on
        self.memberships: list[Membership] = [Membership(member=member, joined_on=founded_on) for member in members]
        self.charters: list[CharterVersion] = [
            CharterVersion(charter=charter, effective_from=founded_on, authorised_by=None)
        ]
        self.appointments: list[Appointment] = []
        self.appointed_by: list[DecisionRef | None] = []  # the decision behind each appointment, in step
        self.offices: list[OfficeHolding] = []
        self.meetings: list[MeetingEntry] = []  # by date, then reference: kept sorted as entered
        self._references: set[str] = set()  # an in-memory index of the references in self.meetings
        self.liquidation_flags: list[LiquidationFlag] = []

    # --- members -------------------------------------------------------------------------

    def members_on(self, day: date) -> list[MemberOrganisation]:
        return [m.member for m in self.memberships if m.is_member_on(day)]

    def member(self, key: str) -> MemberOrganisation:
        for membership in self.memberships:
            if membership.member.key == key:
                return membership.member
        raise InvalidInput(f"{key} är inte medlem i {self.name}.")

    def admit_member(self, member: MemberOrganisation, effective_from: date, authorised_by: DecisionRef) -> None:
        if any(m.member.key == member.key for m in self.memberships):
            raise MembershipRuleViolation(f"{member.name} ({member.key}) är redan medlem.")
        if member.kind not in (MemberKind.KOMMUN, MemberKind.REGION):
            raise MembershipRuleViolation(
                "Bara en kommun eller en region kan tillkomma som ny medlem; staten företräds "
                "redan av Försäkringskassan och Arbetsförmedlingen."
            )
        self._member_admitted(member=member, effective_from=effective_from, authorised_by=authorised_by)

    @event("MemberAdmitted")
    def _member_admitted(self, member: MemberOrganisation, effective_from: date, authorised_by: DecisionRef) -> None:
        self.memberships.append(Membership(member=member, joined_on=effective_from, admitted_by=authorised_by))

    def give_notice(self, member_key: str, notice_received: date, leaves_on: date, authorised_by: DecisionRef) -> None:
        """A kommun or region gives notice to leave; ``leaves_on`` is computed from the charter's notice period."""
        membership = self._membership(member_key)
        if membership.member.kind not in (MemberKind.KOMMUN, MemberKind.REGION):
            raise MembershipRuleViolation(
                f"{membership.member.name} kan inte lämna förbundet: bara en kommun eller en region "
                "kan säga upp sitt medlemskap."
            )
        if membership.notice_received is not None:
            raise MembershipRuleViolation(f"{membership.member.name} har redan sagt upp sitt medlemskap.")
        if notice_received < membership.joined_on:
            raise MembershipRuleViolation("Uppsägningen kan inte vara daterad innan medlemskapet började.")
        remaining = [
            m.member
            for m in self.memberships
            if m.member.key != member_key and (m.leaves_on is None or m.leaves_on > leaves_on)
        ]
        missing = _missing_kinds(remaining)
        self._notice_given(
            member_key=member_key,
            notice_received=notice_received,
            leaves_on=leaves_on,
            authorised_by=authorised_by,
        )
        if missing:
            self._liquidation_flagged(
                flag=LiquidationFlag(
                    member_key=member_key,
                    member_name=membership.member.name,
                    leaves_on=leaves_on,
                    missing=tuple(missing),
                )
            )

    @event("NoticeGiven")
    def _notice_given(
        self, member_key: str, notice_received: date, leaves_on: date, authorised_by: DecisionRef
    ) -> None:
        self.memberships = [
            msgspec.structs.replace(m, notice_received=notice_received, leaves_on=leaves_on, notice_by=authorised_by)
            if m.member.key == member_key
            else m
            for m in self.memberships
        ]

    @event("LiquidationFlagged")
    def _liquidation_flagged(self, flag: LiquidationFlag) -> None:
        self.liquidation_flags = [*self.liquidation_flags, flag]

    def _membership(self, member_key: str) -> Membership:
        for membership in self.memberships:
            if membership.member.key == member_key:
                return membership
        raise InvalidInput(f"{member_key} är inte medlem i {self.name}.")

    # --- charter -------------------------------------------------------------------------

    def charter_on(self, day: date) -> Charter:
        """The charter in force on ``day`` (the founding charter before the first amendment)."""
        current = self.charters[0]
        for version in self.charters:
            if version.effective_from <= day:
                current = version
        return current.charter

    def amend_charter(self, charter: Charter, effective_from: date, authorised_by: DecisionRef) -> None:
        _check_charter(charter, {m.member.key for m in self.memberships}, effective_from)
        if effective_from < self.charters[-1].effective_from:
            raise InvalidInput(
                "En ändring av förbundsordningen kan inte gälla från ett tidigare datum än den "
                f"senaste ändringen ({self.charters[-1].effective_from.isoformat()})."
            )
        self._charter_amended(charter=charter, effective_from=effective_from, authorised_by=authorised_by)

    @event("CharterAmended")
    def _charter_amended(self, charter: Charter, effective_from: date, authorised_by: DecisionRef) -> None:
        self.charters.append(
            CharterVersion(charter=charter, effective_from=effective_from, authorised_by=authorised_by)
        )

    # --- board ---------------------------------------------------------------------------

    def appoint(
        self,
        person: str,
        member_key: str,
        role: BoardRole,
        term_from: date,
        term_to: date,
        authorised_by: DecisionRef | None = None,
    ) -> None:
        """A member organisation appoints a ledamot or ersättare for a term."""
        if not person.strip():
            raise InvalidInput("Ange namnet på den som utses.")
        if term_to < term_from:
            raise BoardRuleViolation("Mandatperioden kan inte sluta innan den börjar.")
        membership = self._membership(member_key)
        if not membership.is_member_on(term_from):
            raise BoardRuleViolation(
                f"{membership.member.name} är inte medlem {term_from.isoformat()} och kan inte utse ledamöter då."
            )
        seat = self.charter_on(term_from).seat_for(member_key)
        allowed = 0 if seat is None else (seat.board_members if role == BoardRole.BOARD_MEMBER else seat.deputies)
        overlapping = [
            a
            for a in self.appointments
            if a.member_key == member_key and a.role == role and a.term_from <= term_to and term_from <= a.term_to
        ]
        if any(a.person == person.strip() for a in overlapping):
            raise BoardRuleViolation(f"{person} är redan utsedd för samma period.")
        if len(overlapping) >= allowed:
            role_word = "ledamöter" if role == BoardRole.BOARD_MEMBER else "ersättare"
            raise BoardRuleViolation(
                f"{membership.member.name} utser enligt förbundsordningen {allowed} {role_word}; "
                f"platsen är redan tillsatt för perioden ({', '.join(a.person for a in overlapping)})."
            )
        self._appointed(
            appointment=Appointment(
                person=person.strip(),
                member_key=member_key,
                role=role,
                term_from=term_from,
                term_to=term_to,
            ),
            authorised_by=authorised_by,
        )

    @event("Appointed")
    def _appointed(self, appointment: Appointment, authorised_by: DecisionRef | None) -> None:
        self.appointments.append(appointment)
        self.appointed_by.append(authorised_by)

    def end_appointment(self, person: str, member_key: str, ended_on: date) -> None:
        """A ledamot or ersättare leaves the board before the term ends (the seat is then free)."""
        current = [
            a for a in self.appointments if a.person == person and a.member_key == member_key and a.holds_on(ended_on)
        ]
        if not current:
            raise BoardRuleViolation(f"{person} har inget uppdrag för {member_key} {ended_on.isoformat()}.")
        self._appointment_ended(person=person, member_key=member_key, ended_on=ended_on)

    @event("AppointmentEnded")
    def _appointment_ended(self, person: str, member_key: str, ended_on: date) -> None:
        self.appointments = [
            msgspec.structs.replace(a, term_to=ended_on)
            if a.person == person and a.member_key == member_key and a.holds_on(ended_on)
            else a
            for a in self.appointments
        ]

    def elect_officer(self, person: str, office: Office, term_from: date, term_to: date) -> None:
        """The board elects its chair or vice chair among its ledamöter."""
        if not any(
            a.person == person and a.role == BoardRole.BOARD_MEMBER and a.holds_on(term_from) for a in self.appointments
        ):
            raise BoardRuleViolation(
                f"{person} är inte ledamot {term_from.isoformat()}; ordförande och vice ordförande "
                "väljs bland styrelsens ledamöter."
            )
        if term_to < term_from:
            raise BoardRuleViolation("Mandatperioden kan inte sluta innan den börjar.")
        self._officer_elected(holding=OfficeHolding(person=person, office=office, term_from=term_from, term_to=term_to))

    @event("OfficerElected")
    def _officer_elected(self, holding: OfficeHolding) -> None:
        self.offices.append(holding)

    def board_on(self, day: date) -> list[Appointment]:
        """Who held which seat on ``day``."""
        return [a for a in self.appointments if a.holds_on(day)]

    def officer_on(self, office: Office, day: date) -> str | None:
        holders = [h for h in self.offices if h.office == office and h.term_from <= day <= h.term_to]
        return holders[-1].person if holders else None

    # --- meetings index ------------------------------------------------------------------

    def enter_meeting(self, meeting_id: UUID, reference: str, held_on: date) -> None:
        if reference in self._references:
            raise Conflict(f"Sammanträdet {reference} finns redan registrerat; välj en annan beteckning.")
        self._meeting_entered(meeting_id=meeting_id, reference=reference, held_on=held_on)

    @event("MeetingEntered")
    def _meeting_entered(self, meeting_id: UUID, reference: str, held_on: date) -> None:
        # insort puts an equal key after the ones already there, as appending and a stable sort did.
        insort(self.meetings, MeetingEntry(meeting_id=meeting_id, reference=reference, held_on=held_on), key=_by_date)
        self._references.add(reference)


def _by_date(entry: MeetingEntry) -> tuple[date, str]:
    return entry.held_on, entry.reference


def _check_charter(charter: Charter, member_keys: set[str], effective_from: date) -> None:
    check_charter_limits(
        member_notice_years=charter.member_notice_years,
        quorum_more_than=charter.quorum_more_than,
        effective_from=effective_from,
    )
    unknown = [seat.member_key for seat in charter.seats if seat.member_key not in member_keys]
    if unknown:
        raise InvalidInput(
            "Förbundsordningen ger platser åt organisationer som inte är medlemmar: " + ", ".join(unknown) + "."
        )
    for share in charter.kommun_key:
        if share.member_key not in member_keys:
            raise InvalidInput(f"Kommunnyckeln nämner {share.member_key}, som inte är medlem.")
        if share.weight < 0:
            raise InvalidInput(f"Kommunnyckelns andel för {share.member_key} kan inte vara negativ.")
    if charter.board_seats < 1:
        raise InvalidInput("Förbundsordningen måste ge styrelsen minst en ledamot.")
    if any(seat.board_members < 1 for seat in charter.seats):
        raise BoardRuleViolation("Varje medlem utser minst en ledamot i styrelsen.")
