"""Governance: the förbund, its charter, members and board; its meetings and their minutes.

The commands load the aggregates they need through the unit of work they run in
(:mod:`finsam_core.application.base`), let them check the rules and emit events, and stage them;
the unit saves them in one atomic write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from uuid import UUID

from finsam_core.application.base import FinsamBase, command
from finsam_core.domain.charter import Charter, DecisionRef
from finsam_core.domain.forbund import Forbund, MeetingEntry, Office, forbund_id
from finsam_core.domain.imported_file import ImportedFile, imported_file_id
from finsam_core.domain.meeting import Attendee, BallotCast, Meeting, VoteRecord, meeting_id
from finsam_core.domain.minute_book import MinuteBook, minute_book_id
from finsam_core.domain.minutes import render_minutes
from finsam_core.errors import Conflict, InvalidInput, NotFound
from finsam_core.projections.registers import (
    AssignmentEntry,
    DecisionEntry,
    decision_register,
    open_assignments,
)
from finsam_core.rules import calendar
from finsam_core.values import (
    Ballot,
    BoardRole,
    MatterKind,
    MemberOrganisation,
    validate_org_nr,
)

__all__ = ["GovernanceCommands"]


class GovernanceCommands(FinsamBase):
    """Commands and reads of a förbund's governance: registration, charter, members, board, meetings, minutes."""

    # --- förbund, charter, members, board ----------------------------------------------------

    @command
    def register_forbund(
        self,
        org_nr: str,
        name: str,
        members: tuple[MemberOrganisation, ...],
        charter: Charter,
        founded_on: date,
    ) -> UUID:
        org_nr = validate_org_nr(org_nr)
        if self._has(forbund_id(org_nr)):
            raise Conflict(f"Förbundet med org nr {org_nr} är redan registrerat.")
        forbund = Forbund.register(org_nr=org_nr, name=name, members=members, charter=charter, founded_on=founded_on)
        self._stage(forbund)
        return forbund.id

    def forbund(self, org_nr: str) -> Forbund:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            forbund_id(org_nr),
            Forbund,
            f"Inget förbund med org nr {org_nr} är registrerat.",
        )

    @command
    def amend_charter(self, org_nr: str, charter: Charter, effective_from: date, authorised_by: DecisionRef) -> None:
        forbund = self.forbund(org_nr)
        self._check_decision(forbund, authorised_by)
        forbund.amend_charter(charter, effective_from, authorised_by)
        self._stage(forbund)

    @command
    def admit_member(
        self,
        org_nr: str,
        member: MemberOrganisation,
        effective_from: date,
        authorised_by: DecisionRef,
    ) -> None:
        forbund = self.forbund(org_nr)
        self._check_decision(forbund, authorised_by)
        forbund.admit_member(member, effective_from, authorised_by)
        self._stage(forbund)

    @command
    def give_member_notice(
        self, org_nr: str, member_key: str, notice_received: date, authorised_by: DecisionRef
    ) -> date:
        """A kommun or region gives notice; returns the first day it is no longer a member."""
        notice_received = calendar.swedish_date(notice_received)
        forbund = self.forbund(org_nr)
        self._check_decision(forbund, authorised_by)
        years = forbund.charter_on(notice_received).member_notice_years
        leaves_on = calendar.member_exit_date(notice_received, years)
        forbund.give_notice(member_key, notice_received, leaves_on, authorised_by)
        self._stage(forbund)
        return leaves_on

    @command
    def appoint(
        self,
        org_nr: str,
        person: str,
        member_key: str,
        role: BoardRole,
        term_from: date,
        term_to: date,
        authorised_by: DecisionRef | None = None,
    ) -> None:
        forbund = self.forbund(org_nr)
        forbund.appoint(person, member_key, role, term_from, term_to, authorised_by)
        self._stage(forbund)

    @command
    def end_appointment(self, org_nr: str, person: str, member_key: str, ended_on: date) -> None:
        forbund = self.forbund(org_nr)
        forbund.end_appointment(person, member_key, ended_on)
        self._stage(forbund)

    @command
    def elect_officer(self, org_nr: str, person: str, office: Office, term_from: date, term_to: date) -> None:
        forbund = self.forbund(org_nr)
        forbund.elect_officer(person, office, term_from, term_to)
        self._stage(forbund)

    def _check_decision(self, forbund: Forbund, ref: DecisionRef) -> None:
        """A reference to this förbund's own minutes must point at a recorded decision."""
        if ref.meeting is None:
            return
        meeting = self.meeting(forbund.org_nr, ref.meeting)
        paragraph = meeting.paragraphs.get(ref.paragraph or -1)
        if paragraph is None or not paragraph.decisions:
            raise NotFound(
                f"Det finns inget beslut i § {ref.paragraph} i protokollet {ref.meeting}; "
                "hänvisa till den paragraf där beslutet fattades."
            )

    # --- meetings ----------------------------------------------------------------------------

    @command
    def convene_meeting(
        self,
        org_nr: str,
        reference: str,
        held_on: date,
        place: str,
        *,
        opens_at: time | None = None,
        closes_at: time | None = None,
        agenda: tuple[str, ...] = (),
    ) -> UUID:
        forbund = self.forbund(org_nr)
        if not reference.strip():
            raise InvalidInput("Sammanträdet behöver en beteckning, till exempel 2023-5 eller datumet.")
        meeting = Meeting(
            forbund_id=forbund.id,
            forbund_name=forbund.name,
            org_nr=forbund.org_nr,
            reference=reference.strip(),
            held_on=held_on,
            place=place.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            agenda=agenda,
            charter=forbund.charter_on(held_on),
        )
        forbund.enter_meeting(meeting.id, meeting.reference, held_on)
        book = self._find(minute_book_id(forbund.id, held_on.year), MinuteBook)
        if book is None:
            book = MinuteBook(forbund_id=forbund.id, year=held_on.year)
        book.enter_meeting(meeting.id, held_on)
        self._stage(forbund, meeting, book)
        return meeting.id

    def meeting(self, org_nr: str, reference: str) -> Meeting:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            meeting_id(forbund_id(org_nr), reference),
            Meeting,
            f"Sammanträdet {reference} finns inte för förbundet {org_nr}.",
        )

    def meetings(self, org_nr: str) -> list[MeetingEntry]:
        return list(self.forbund(org_nr).meetings)

    @command
    def record_attendance(
        self,
        org_nr: str,
        reference: str,
        attendees: tuple[Attendee, ...],
        chair: str,
        secretary: str,
    ) -> None:
        forbund = self.forbund(org_nr)
        meeting = self.meeting(org_nr, reference)
        meeting.record_attendance(attendees, chair, secretary, forbund.board_on(meeting.held_on))
        self._stage(meeting)

    @command
    def elect_adjusters(self, org_nr: str, reference: str, names: tuple[str, ...]) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.elect_adjusters(names)
        self._stage(meeting)

    @command
    def add_paragraph(self, org_nr: str, reference: str, title: str, body: str = "", number: int | None = None) -> int:
        """Add a paragraph; its number follows the year's previous one unless given. Returns the number."""
        meeting = self.meeting(org_nr, reference)
        book = self._get(minute_book_id(meeting.forbund_id, meeting.held_on.year), MinuteBook, "protokollbok")
        if number is None:
            number = book.next_number(meeting.id)
        meeting.open_paragraph(number, title, body)
        book.take(meeting.id, number)
        self._stage(meeting, book)
        return number

    @command
    def note_information(self, org_nr: str, reference: str, number: int, text: str) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.note_information(number, text)
        self._stage(meeting)

    @command
    def declare_conflict(self, org_nr: str, reference: str, number: int, name: str) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.declare_conflict(number, name)
        self._stage(meeting)

    @command
    def vote(
        self,
        org_nr: str,
        reference: str,
        number: int,
        proposal: str,
        ballots: Mapping[str, Ballot] | tuple[BallotCast, ...],
        matter: MatterKind = MatterKind.GENERAL,
    ) -> VoteRecord:
        """An open vote in § ``number``; returns what was recorded: the outcome, its explanation and rule."""
        meeting = self.meeting(org_nr, reference)
        if isinstance(ballots, Mapping):
            ballots = tuple(BallotCast(name=name, ballot=Ballot(b)) for name, b in ballots.items())
        record = meeting.vote(number, proposal, ballots, matter)
        self._stage(meeting)
        return record

    @command
    def decide(
        self,
        org_nr: str,
        reference: str,
        number: int,
        clauses: tuple[str, ...],
        matter: MatterKind = MatterKind.GENERAL,
    ) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.decide(number, clauses, matter)
        self._stage(meeting)

    @command
    def enter_reservation(
        self,
        org_nr: str,
        reference: str,
        number: int,
        name: str,
        motivation: str,
        on_behalf_of: str | None = None,
    ) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.enter_reservation(number, name, motivation, on_behalf_of)
        self._stage(meeting)

    @command
    def table(
        self,
        org_nr: str,
        reference: str,
        number: int,
        item: str,
        reason: str,
        to_meeting: str | None = None,
    ) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.table(number, item, reason, to_meeting)
        self._stage(meeting)

    @command
    def assign(
        self,
        org_nr: str,
        reference: str,
        number: int,
        assignee: str,
        task: str,
        due_on: date | None,
    ) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.assign(number, assignee, task, due_on)
        self._stage(meeting)

    @command
    def complete_assignment(self, org_nr: str, reference: str, number: int, assignee: str, completed_on: date) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.complete_assignment(number, assignee, completed_on)
        self._stage(meeting)

    @command
    def receive_document(
        self,
        org_nr: str,
        reference: str,
        number: int,
        registry_number: str,
        sender: str,
        title: str,
        received_on: date,
    ) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.receive_document(number, registry_number, sender, title, received_on)
        self._stage(meeting)

    @command
    def sign_minutes(
        self,
        org_nr: str,
        reference: str,
        name: str,
        signed_at: datetime,
        sha256: str | None = None,
        document_sha256: str | None = None,
    ) -> bool:
        """Sign the minutes; returns True once the chair and every adjuster have signed (final)."""
        meeting = self.meeting(org_nr, reference)
        final = meeting.sign(name, signed_at, sha256, document_sha256)
        self._stage(meeting)
        return final

    @command
    def correct(self, org_nr: str, reference: str, number: int, text: str, reason: str, recorded_on: date) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.correct(number, text, reason, recorded_on)
        self._stage(meeting)

    @command
    def post_notice(self, org_nr: str, reference: str, posted_on: date, place: str) -> date:
        """Post the notice of adjusted minutes; returns the last day to appeal."""
        meeting = self.meeting(org_nr, reference)
        last_day = meeting.post_notice(posted_on, place)
        self._stage(meeting)
        return last_day

    @command
    def send_kallelse(
        self, org_nr: str, reference: str, sent_on: date, recipients: Sequence[str], documents: Sequence[str] = ()
    ) -> bool:
        """Record the kallelse to a meeting; returns whether it was late (recorded and flagged)."""
        meeting = self.meeting(org_nr, reference)
        late = meeting.send_kallelse(sent_on, tuple(recipients), tuple(documents))
        self._stage(meeting)
        return late

    @command
    def take_down_notice(self, org_nr: str, reference: str, taken_down_on: date) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.take_down_notice(taken_down_on)
        self._stage(meeting)

    # --- imported files ------------------------------------------------------------------------

    def imported_file(self, kind: str, identity: str) -> ImportedFile | None:
        """The record of the file a document was imported from, if it was imported."""
        return self._find(imported_file_id(kind, identity), ImportedFile)

    @command
    def record_imported_file(self, kind: str, identity: str, sha256: str, file_name: str) -> None:
        """Note that a document was imported from a file with this SHA-256 (inside the import's batch)."""
        self._stage(ImportedFile(kind=kind, identity=identity, sha256=sha256, file_name=file_name))

    def is_registered(self, org_nr: str) -> bool:
        return self._has(forbund_id(validate_org_nr(org_nr)))

    def has_meeting(self, org_nr: str, reference: str) -> bool:
        return self._has(meeting_id(forbund_id(validate_org_nr(org_nr)), reference))

    # --- read models -------------------------------------------------------------------------

    def minutes_text(self, org_nr: str, reference: str) -> str:
        return render_minutes(self.meeting(org_nr, reference))

    def decision_register(self, org_nr: str) -> list[DecisionEntry]:
        return decision_register(self._meetings_of(org_nr))

    def open_assignments(self, org_nr: str, as_of: date | None = None) -> list[AssignmentEntry]:
        return open_assignments(self._meetings_of(org_nr), as_of)

    def _meetings_of(self, org_nr: str) -> list[Meeting]:
        return [self.meeting(org_nr, entry.reference) for entry in self.meetings(org_nr)]
