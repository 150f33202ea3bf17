"""The finsam application: the commands that record a förbund's board work, and its queries.

Each command loads the aggregates it needs, lets them check the rules and emit events, and saves
them in one atomic write: a command records all of its events or none. :meth:`Finsam.batch`
widens that to many commands (a whole imported meeting): nothing is written unless every command in
the block succeeds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Mapper, Recording

from finsam_core.audit.actor import Actor
from finsam_core.audit.recording import WriteHook, audited_recorder
from finsam_core.domain.association import Association, MeetingEntry, Office, association_id
from finsam_core.domain.charter import Charter, DecisionRef
from finsam_core.domain.imported_file import ImportedFile, imported_file_id
from finsam_core.domain.meeting import Attendee, BallotCast, Meeting, meeting_id
from finsam_core.domain.minute_book import MinuteBook, minute_book_id
from finsam_core.domain.minutes import render_minutes
from finsam_core.errors import Conflict, InvalidInput, NotFound
from finsam_core.limits import check_event
from finsam_core.money_application import MoneyCommands
from finsam_core.projections.registers import (
    AssignmentEntry,
    DecisionEntry,
    decision_register,
    open_assignments,
)
from finsam_core.rules import calendar
from finsam_core.rules.majority import VoteOutcome
from finsam_core.stores import environment_for
from finsam_core.transcoding import construct_msgspec_mapper
from finsam_core.values import (
    Ballot,
    BoardRole,
    MatterKind,
    MemberOrganisation,
    validate_org_nr,
)

__all__ = ["Finsam"]

A = TypeVar("A", bound=Aggregate)

DEFAULT_SETTINGS = {
    # Keep recently used aggregates in memory (the repository deep-copies them out of the cache,
    # so a refused command cannot leave a half-changed aggregate behind) and fast-forward them
    # from the store before use, so several processes writing one store stay correct.
    "AGGREGATE_CACHE_MAXSIZE": "5000",
    "AGGREGATE_CACHE_FASTFORWARD": "y",
}


class Finsam(MoneyCommands, Application[UUID]):
    """Records and reads the board work of any number of förbund in one event store."""

    name = "finsam"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        store_url: str | None = None,
        actor: Actor | None = None,
        require_actor: bool = False,
    ) -> None:
        """``actor`` records this application's writes unless :meth:`acting_as` names another;
        without one, a write is recorded as the operating-system user's, from Python, unless
        ``require_actor`` refuses it."""
        settings = dict(DEFAULT_SETTINGS)
        settings.update(env or {})
        if store_url is not None:
            settings.update(environment_for(store_url))
        super().__init__(settings)
        self._local = threading.local()
        self.actor = actor
        self.require_actor = require_actor

    def construct_mapper(self) -> Mapper[UUID]:
        return construct_msgspec_mapper(self.factory)

    def construct_recorder(self) -> ApplicationRecorder:
        """The store's recorder, extended to hash-chain and sign every write (finsam_core.audit)."""
        return audited_recorder(self.factory, self.env)

    # --- units of work -----------------------------------------------------------------------

    @contextmanager
    def acting_as(self, actor: Actor) -> Iterator[None]:
        """Record every write in the block (in this thread) as made by ``actor``.

        The actor is stored beside the write and covered by the hash chain (finsam_core.audit.actor);
        no command and no rule ever reads it.
        """
        previous = getattr(self._local, "actor", None)
        self._local.actor = actor
        try:
            yield
        finally:
            self._local.actor = previous

    @contextmanager
    def recording_also(self, hook: WriteHook) -> Iterator[None]:
        """Run ``hook(cursor, positions)`` inside the transaction of every write in the block (this thread).

        For a caller that must know, atomically with the events, that a write happened: the service
        marks an ``Idempotency-Key`` claim with the write's position this way, so a claim left by a
        crash tells a retry whether the write was recorded. PostgreSQL stores only.
        """
        previous: tuple[WriteHook, ...] = getattr(self._local, "also", ())
        self._local.also = (*previous, hook)
        try:
            yield
        finally:
            self._local.also = previous

    def current_actor(self) -> Actor:
        """Who the next write in this thread is recorded as."""
        actor: Actor | None = getattr(self._local, "actor", None) or self.actor
        if actor is None:
            if self.require_actor:
                raise InvalidInput(
                    "Ange vem som registrerar: skrivningar i den här tillämpningen kräver en aktör (acting_as)."
                )
            actor = Actor.python()
        return actor

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """eventsourcing's save, with the current actor handed to the recorder."""
        if "actor" not in kwargs:
            kwargs["actor"] = self.current_actor()
        also: tuple[WriteHook, ...] = getattr(self._local, "also", ())
        if also:
            kwargs["also"] = also
        return super().save(*objs, **kwargs)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Record every command in the block in one atomic write, or nothing if any fails."""
        if getattr(self._local, "pending", None) is not None:
            yield
            return
        self._local.pending = {}
        try:
            yield
            pending = list(self._local.pending.values())
        finally:
            self._local.pending = None
        self._commit(*pending)

    def _get(self, aggregate_id: UUID, cls: type[A], missing: str) -> A:
        pending: dict[UUID, Aggregate] | None = getattr(self._local, "pending", None)
        if pending is not None and aggregate_id in pending:
            found = pending[aggregate_id]
        else:
            try:
                found = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                raise NotFound(missing) from None
            if pending is not None:
                pending[aggregate_id] = found
        if not isinstance(found, cls):
            raise NotFound(missing)
        return found

    def _find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        """The aggregate, or ``None`` when it is not recorded (one read)."""
        try:
            return self._get(aggregate_id, cls, "")
        except NotFound:
            return None

    def _has(self, aggregate_id: UUID) -> bool:
        """Whether anything is recorded under ``aggregate_id``: reads one stored event, not the aggregate."""
        pending: dict[UUID, Aggregate] | None = getattr(self._local, "pending", None)
        if pending is not None and aggregate_id in pending:
            return True
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def _stage(self, *aggregates: Aggregate) -> None:
        pending: dict[UUID, Aggregate] | None = getattr(self._local, "pending", None)
        if pending is not None:
            for aggregate in aggregates:
                pending[aggregate.id] = aggregate
            return
        self._commit(*aggregates)

    def _commit(self, *aggregates: Aggregate) -> None:
        if not aggregates:
            return
        for aggregate in aggregates:
            for event in aggregate.pending_events:
                check_event(event)
        try:
            self.save(*aggregates)
        except IntegrityError as exc:
            raise Conflict(
                "Någon annan registrerade en ändring samtidigt; läs in uppgifterna igen och försök på nytt."
            ) from exc

    # --- förbund, charter, members, board ----------------------------------------------------

    def register_association(
        self,
        org_nr: str,
        name: str,
        members: tuple[MemberOrganisation, ...],
        charter: Charter,
        founded_on: date,
    ) -> UUID:
        org_nr = validate_org_nr(org_nr)
        if self._has(association_id(org_nr)):
            raise Conflict(f"Förbundet med org nr {org_nr} är redan registrerat.")
        association = Association.register(
            org_nr=org_nr, name=name, members=members, charter=charter, founded_on=founded_on
        )
        self._stage(association)
        return association.id

    def association(self, org_nr: str) -> Association:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            association_id(org_nr),
            Association,
            f"Inget förbund med org nr {org_nr} är registrerat.",
        )

    def amend_charter(self, org_nr: str, charter: Charter, effective_from: date, authorised_by: DecisionRef) -> None:
        association = self.association(org_nr)
        self._check_decision(association, authorised_by)
        association.amend_charter(charter, effective_from, authorised_by)
        self._stage(association)

    def admit_member(
        self,
        org_nr: str,
        member: MemberOrganisation,
        effective_from: date,
        authorised_by: DecisionRef,
    ) -> None:
        association = self.association(org_nr)
        self._check_decision(association, authorised_by)
        association.admit_member(member, effective_from, authorised_by)
        self._stage(association)

    def give_member_notice(
        self, org_nr: str, member_key: str, notice_received: date, authorised_by: DecisionRef
    ) -> date:
        """A kommun or region gives notice; returns the first day it is no longer a member."""
        association = self.association(org_nr)
        self._check_decision(association, authorised_by)
        years = association.charter_on(notice_received).member_notice_years
        leaves_on = calendar.member_exit_date(notice_received, years)
        association.give_notice(member_key, notice_received, leaves_on, authorised_by)
        self._stage(association)
        return leaves_on

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
        association = self.association(org_nr)
        association.appoint(person, member_key, role, term_from, term_to, authorised_by)
        self._stage(association)

    def end_appointment(self, org_nr: str, person: str, member_key: str, ended_on: date) -> None:
        association = self.association(org_nr)
        association.end_appointment(person, member_key, ended_on)
        self._stage(association)

    def elect_officer(self, org_nr: str, person: str, office: Office, term_from: date, term_to: date) -> None:
        association = self.association(org_nr)
        association.elect_officer(person, office, term_from, term_to)
        self._stage(association)

    def _check_decision(self, association: Association, ref: DecisionRef) -> None:
        """A reference to this förbund's own minutes must point at a recorded decision."""
        if ref.meeting is None:
            return
        meeting = self.meeting(association.org_nr, ref.meeting)
        paragraph = meeting.paragraphs.get(ref.paragraph or -1)
        if paragraph is None or not paragraph.decisions:
            raise NotFound(
                f"Det finns inget beslut i § {ref.paragraph} i protokollet {ref.meeting}; "
                "hänvisa till den paragraf där beslutet fattades."
            )

    # --- meetings ----------------------------------------------------------------------------

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
        association = self.association(org_nr)
        if not reference.strip():
            raise InvalidInput("Sammanträdet behöver en beteckning, till exempel 2023-5 eller datumet.")
        meeting = Meeting(
            association_id=association.id,
            association_name=association.name,
            org_nr=association.org_nr,
            reference=reference.strip(),
            held_on=held_on,
            place=place.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            agenda=agenda,
            charter=association.charter_on(held_on),
        )
        association.enter_meeting(meeting.id, meeting.reference, held_on)
        book = self._find(minute_book_id(association.id, held_on.year), MinuteBook)
        if book is None:
            book = MinuteBook(association_id=association.id, year=held_on.year)
        book.enter_meeting(meeting.id, held_on)
        self._stage(association, meeting, book)
        return meeting.id

    def meeting(self, org_nr: str, reference: str) -> Meeting:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            meeting_id(association_id(org_nr), reference),
            Meeting,
            f"Sammanträdet {reference} finns inte för förbundet {org_nr}.",
        )

    def meetings(self, org_nr: str) -> list[MeetingEntry]:
        return list(self.association(org_nr).meetings)

    def record_attendance(
        self,
        org_nr: str,
        reference: str,
        attendees: tuple[Attendee, ...],
        chair: str,
        secretary: str,
    ) -> None:
        association = self.association(org_nr)
        meeting = self.meeting(org_nr, reference)
        meeting.record_attendance(attendees, chair, secretary, association.board_on(meeting.held_on))
        self._stage(meeting)

    def elect_adjusters(self, org_nr: str, reference: str, names: tuple[str, ...]) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.elect_adjusters(names)
        self._stage(meeting)

    def add_paragraph(self, org_nr: str, reference: str, title: str, body: str = "", number: int | None = None) -> int:
        """Add a paragraph; its number follows the year's previous one unless given. Returns the number."""
        meeting = self.meeting(org_nr, reference)
        book = self._get(minute_book_id(meeting.association_id, meeting.held_on.year), MinuteBook, "protokollbok")
        if number is None:
            number = book.next_number(meeting.id)
        meeting.open_paragraph(number, title, body)
        book.take(meeting.id, number)
        self._stage(meeting, book)
        return number

    def note_information(self, org_nr: str, reference: str, number: int, text: str) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.note_information(number, text)
        self._stage(meeting)

    def declare_conflict(self, org_nr: str, reference: str, number: int, name: str) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.declare_conflict(number, name)
        self._stage(meeting)

    def vote(
        self,
        org_nr: str,
        reference: str,
        number: int,
        proposal: str,
        ballots: Mapping[str, Ballot] | tuple[BallotCast, ...],
        matter: MatterKind = MatterKind.GENERAL,
    ) -> VoteOutcome:
        meeting = self.meeting(org_nr, reference)
        if isinstance(ballots, Mapping):
            ballots = tuple(BallotCast(name=name, ballot=Ballot(b)) for name, b in ballots.items())
        outcome = meeting.vote(number, proposal, ballots, matter)
        self._stage(meeting)
        return outcome

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

    def complete_assignment(self, org_nr: str, reference: str, number: int, assignee: str, completed_on: date) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.complete_assignment(number, assignee, completed_on)
        self._stage(meeting)

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

    def correct(self, org_nr: str, reference: str, number: int, text: str, reason: str, recorded_on: date) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.correct(number, text, reason, recorded_on)
        self._stage(meeting)

    def post_notice(self, org_nr: str, reference: str, posted_on: date, place: str) -> date:
        """Post the notice of adjusted minutes; returns the last day to appeal."""
        meeting = self.meeting(org_nr, reference)
        last_day = meeting.post_notice(posted_on, place)
        self._stage(meeting)
        return last_day

    def take_down_notice(self, org_nr: str, reference: str, taken_down_on: date) -> None:
        meeting = self.meeting(org_nr, reference)
        meeting.take_down_notice(taken_down_on)
        self._stage(meeting)

    # --- imported files ------------------------------------------------------------------------

    def imported_file(self, kind: str, identity: str) -> ImportedFile | None:
        """The record of the file a document was imported from, if it was imported."""
        return self._find(imported_file_id(kind, identity), ImportedFile)

    def record_imported_file(self, kind: str, identity: str, sha256: str, file_name: str) -> None:
        """Note that a document was imported from a file with this SHA-256 (inside the import's batch)."""
        self._stage(ImportedFile(kind=kind, identity=identity, sha256=sha256, file_name=file_name))

    def is_registered(self, org_nr: str) -> bool:
        return self._has(association_id(validate_org_nr(org_nr)))

    def has_meeting(self, org_nr: str, reference: str) -> bool:
        return self._has(meeting_id(association_id(validate_org_nr(org_nr)), reference))

    # --- read models -------------------------------------------------------------------------

    def minutes_text(self, org_nr: str, reference: str) -> str:
        return render_minutes(self.meeting(org_nr, reference))

    def decision_register(self, org_nr: str) -> list[DecisionEntry]:
        return decision_register(self._meetings_of(org_nr))

    def open_assignments(self, org_nr: str, as_of: date | None = None) -> list[AssignmentEntry]:
        return open_assignments(self._meetings_of(org_nr), as_of)

    def _meetings_of(self, org_nr: str) -> list[Meeting]:
        return [self.meeting(org_nr, entry.reference) for entry in self.meetings(org_nr)]
