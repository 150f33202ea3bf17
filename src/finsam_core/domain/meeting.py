"""A board meeting (sammanträde): attendance, paragraphs, votes, minutes, adjustment and notice.

The meeting keeps a copy of the charter in force on its day, so quorum and majority are always
judged by the rule the board met under. Once the chair and every elected adjuster have signed the
canonical minutes, the minutes are final: the only change left is a correction.

This module is longer than 500 lines on purpose: it is one aggregate, and every one of its event
classes is stored under this module's topic (``finsam_core.domain.meeting:Meeting.Signed``, ...).
What it is made of lives in :mod:`finsam_core.domain.meeting_parts`, its text in
:mod:`finsam_core.domain.minutes`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import Charter
from finsam_core.domain.copying import copy_aggregate
from finsam_core.domain.forbund import Appointment
from finsam_core.domain.meeting_parts import (
    Attendee,
    BallotCast,
    Capacity,
    Paragraph,
    Signature,
    SignerRole,
    VoteRecord,
    check_seat,
    same_person,
)
from finsam_core.domain.minutes import canonical_minutes
from finsam_core.domain.versions import association_to_forbund
from finsam_core.errors import (
    AdjustmentRuleViolation,
    InvalidInput,
    MinutesAreFinal,
    NoticeRuleViolation,
    NotQuorate,
    ReservationNotAllowed,
    SignatureNotAllowed,
    VotingRuleViolation,
)
from finsam_core.rules import calendar
from finsam_core.rules.majority import Tally, VoteOutcome, count_qualified, count_simple
from finsam_core.rules.parameters import parameters_on
from finsam_core.rules.quorum import is_quorate, quorum_needed
from finsam_core.rules.spending import AmountPeriod, check_decision_amount
from finsam_core.values import Ballot, MajorityBase, MatterKind, require_exact

__all__ = [
    "Attendee",
    "BallotCast",
    "Capacity",
    "Meeting",
    "Paragraph",
    "Signature",
    "SignerRole",
    "VoteRecord",
    "meeting_id",
    "same_person",
]


def meeting_id(forbund_id: UUID, reference: str) -> UUID:
    return uuid5(forbund_id, f"meeting:{reference}")


SIMPLE_MAJORITY = "enkel majoritet"
_QUALIFIED_IN_EXPLANATION = re.compile(r"kvalificerad majoritet \((\d+/\d+)\)")


class Meeting(Aggregate):
    """One sammanträde of a förbund's board."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Meeting:
        return copy_aggregate(
            self, memo, "signatures", "void_signatures", "completed_assignments", deep=("paragraphs",)
        )

    @staticmethod
    def create_id(forbund_id: UUID, reference: str) -> UUID:
        return meeting_id(forbund_id, reference)

    class Convened(Aggregate.Created):
        """Version 2 names the förbund ``forbund_id``; version 1 said ``association_id``."""

        class_version = 2
        forbund_id: UUID
        forbund_name: str
        org_nr: str
        reference: str
        held_on: date
        place: str
        opens_at: time | None
        closes_at: time | None
        agenda: tuple[str, ...]
        charter: Charter
        upcast_v1_v2 = staticmethod(association_to_forbund)

    @event(Convened)
    def __init__(
        self,
        forbund_id: UUID,
        forbund_name: str,
        org_nr: str,
        reference: str,
        held_on: date,
        place: str,
        opens_at: time | None,
        closes_at: time | None,
        agenda: tuple[str, ...],
        charter: Charter,
    ) -> None:
        self.forbund_id = forbund_id
        self.forbund_name = forbund_name
        self.org_nr = org_nr
        self.reference = reference
        self.held_on = held_on
        self.place = place
        self.opens_at = opens_at
        self.closes_at = closes_at
        self.agenda = agenda
        self.charter = charter
        self.attendees: tuple[Attendee, ...] = ()
        self.chair: str | None = None
        self.secretary: str | None = None
        self.adjusters: tuple[str, ...] = ()
        self.paragraphs: dict[int, Paragraph] = {}
        self.signatures: list[Signature] = []
        self.void_signatures: list[Signature] = []
        self.notice_posted_on: date | None = None
        self.notice_place: str | None = None
        self.appeal_ends_on: date | None = None
        self.notice_taken_down_on: date | None = None
        self.adjustment_late = False
        self.posting_late = False
        self.completed_assignments: dict[tuple[int, str], date] = {}
        self.kallelse_sent_on: date | None = None
        self.kallelse_due_on: date | None = None
        self.kallelse_late = False
        self.kallelse_recipients: tuple[str, ...] = ()
        self.kallelse_documents: tuple[str, ...] = ()

    # --- state derived from the events -----------------------------------------------------

    @property
    def is_final(self) -> bool:
        """Adjusted: the chair and every elected adjuster have signed the minutes as they stand."""
        if self.chair is None or not self.adjusters:
            return False
        signed = [s.name for s in self.signatures]
        needed = [self.chair, *self.adjusters]
        return all(any(same_person(n, s) for s in signed) for n in needed)

    @property
    def adjusted_on(self) -> date | None:
        if not self.is_final:
            return None
        needed = [self.chair or "", *self.adjusters]
        times = [s.signed_at for s in self.signatures if any(same_person(s.name, n) for n in needed)]
        return calendar.swedish_date(max(times))

    def voters_at(self, number: int) -> list[Attendee]:
        """Who may vote in paragraph ``number``: voting attendees present, minus conflicts of interest."""
        paragraph = self.paragraphs.get(number)
        conflicts = paragraph.conflicts if paragraph else []
        return [
            a
            for a in self.attendees
            if a.votes and a.present_at(number) and not any(same_person(a.name, c) for c in conflicts)
        ]

    def is_quorate_at(self, number: int) -> bool:
        return is_quorate(len(self.voters_at(number)), self.charter.board_seats, self.charter.quorum_more_than)

    # --- guards ----------------------------------------------------------------------------

    def _require_open(self) -> None:
        if self.is_final:
            raise MinutesAreFinal(
                f"Protokollet från {self.held_on.isoformat()} är justerat och kan inte ändras. "
                "Skriv en rättelse som hänvisar till paragrafen i stället."
            )

    def _paragraph(self, number: int) -> Paragraph:
        try:
            return self.paragraphs[number]
        except KeyError:
            raise InvalidInput(f"§ {number} finns inte i protokollet från {self.held_on.isoformat()}.") from None

    def _require_quorum(self, number: int) -> None:
        if not self.attendees:
            raise NotQuorate("Registrera närvaron innan styrelsen fattar beslut.")
        if not self.is_quorate_at(number):
            present = len(self.voters_at(number))
            seats = self.charter.board_seats
            raise NotQuorate(
                f"Sammanträdet är inte beslutsfört i § {number}: {present} av {seats} ledamöter "
                f"tjänstgör (minst {quorum_needed(seats, self.charter.quorum_more_than)} krävs, "
                "mer än hälften)."
            )

    def _voter(self, number: int, name: str) -> Attendee:
        for attendee in self.voters_at(number):
            if same_person(attendee.name, name):
                return attendee
        raise VotingRuleViolation(
            f"{name} har ingen rösträtt i § {number}: bara tjänstgörande ledamöter och ersättare som "
            "är närvarande och inte jäviga får rösta."
        )

    # --- attendance ------------------------------------------------------------------------

    def record_attendance(
        self,
        attendees: tuple[Attendee, ...],
        chair: str,
        secretary: str,
        board: list[Appointment],
    ) -> None:
        """Record who is present; ``board`` is who held a seat on the meeting day."""
        self._require_open()
        names = [a.name for a in attendees]
        if len({n.casefold() for n in names}) != len(names):
            raise InvalidInput("Samma person står flera gånger i närvarolistan.")
        attendees = tuple(check_seat(attendee, attendees, board, self.held_on) for attendee in attendees)
        per_member: dict[str, int] = {}
        for attendee in attendees:
            if attendee.votes and attendee.member_key:
                per_member[attendee.member_key] = per_member.get(attendee.member_key, 0) + 1
        for key, count in per_member.items():
            seat = self.charter.seat_for(key)
            allowed = seat.board_members if seat else 0
            if count > allowed:
                raise VotingRuleViolation(f"{key} har {count} tjänstgörande men bara {allowed} plats(er) i styrelsen.")
        if not any(same_person(a.name, chair) and a.votes for a in attendees):
            raise InvalidInput(f"Ordföranden ({chair}) måste vara en tjänstgörande ledamot på sammanträdet.")
        self._attendance_recorded(attendees=attendees, chair=chair, secretary=secretary)

    @event("AttendanceRecorded")
    def _attendance_recorded(self, attendees: tuple[Attendee, ...], chair: str, secretary: str) -> None:
        self.attendees = attendees
        self.chair = chair
        self.secretary = secretary
        self._content_changed()

    def elect_adjusters(self, names: tuple[str, ...]) -> None:
        self._require_open()
        if not names:
            raise InvalidInput("Välj minst en justerare.")
        for name in names:
            if not any(same_person(a.name, name) for a in self.attendees):
                raise SignatureNotAllowed(f"{name} är inte närvarande och kan inte väljas till justerare.")
            if self.chair and same_person(name, self.chair):
                raise SignatureNotAllowed("Ordföranden justerar alltid och väljs inte till justerare.")
        self._adjusters_elected(names=names)

    @event("AdjustersElected")
    def _adjusters_elected(self, names: tuple[str, ...]) -> None:
        self.adjusters = names
        self._content_changed()

    # --- paragraphs ------------------------------------------------------------------------

    def open_paragraph(self, number: int, title: str, body: str = "") -> None:
        """Add § ``number``; the caller has reserved the number in the year's minute book."""
        self._require_open()
        if number in self.paragraphs:
            raise InvalidInput(f"§ {number} finns redan i protokollet.")
        if not title.strip():
            raise InvalidInput(f"§ {number} behöver en rubrik.")
        self._paragraph_opened(number=number, title=title.strip(), body=body.strip())

    @event("ParagraphOpened")
    def _paragraph_opened(self, number: int, title: str, body: str) -> None:
        self.paragraphs[number] = Paragraph(number=number, title=title, body=body)
        self._content_changed()

    def note_information(self, number: int, text: str) -> None:
        """An information item: the board has taken note."""
        self._require_open()
        self._paragraph(number)
        self._information_noted(number=number, text=text.strip())

    @event("InformationNoted")
    def _information_noted(self, number: int, text: str) -> None:
        self.paragraphs[number].entries.append(("information", {"text": text}))
        self._content_changed()

    def declare_conflict(self, number: int, name: str) -> None:
        """Jäv: the member takes no part in this paragraph and does not count toward it."""
        self._require_open()
        paragraph = self._paragraph(number)
        if paragraph.votes or paragraph.decisions:
            raise VotingRuleViolation(f"Jäv i § {number} måste anmälas innan ärendet avgörs.")
        if not any(same_person(a.name, name) for a in self.attendees):
            raise InvalidInput(f"{name} är inte närvarande på sammanträdet.")
        self._conflict_declared(number=number, name=name)

    @event("ConflictDeclared")
    def _conflict_declared(self, number: int, name: str) -> None:
        self.paragraphs[number].conflicts.append(name)
        self.paragraphs[number].entries.append(("conflict", {"name": name}))
        self._content_changed()

    def vote(self, number: int, proposal: str, ballots: tuple[BallotCast, ...], matter: MatterKind) -> VoteRecord:
        """An open vote: each ballot by name; the outcome follows from the charter's rule. Returns the record."""
        self._require_open()
        self._paragraph(number)
        self._require_quorum(number)
        seen: list[str] = []
        for cast in ballots:
            self._voter(number, cast.name)
            if any(same_person(cast.name, s) for s in seen):
                raise VotingRuleViolation(f"{cast.name} har redan röstat i § {number}; en röst per ledamot.")
            seen.append(cast.name)
        if not ballots:
            raise VotingRuleViolation("En omröstning behöver minst en röst.")
        tally = Tally.of([c.ballot for c in ballots])
        if self.charter.needs_qualified_majority(matter):
            assert self.charter.qualified_majority is not None
            rule = f"kvalificerad majoritet {self.charter.qualified_majority}"
            if self.charter.qualified_base is MajorityBase.VOTES_CAST:
                rule += " av avgivna röster"
            result = count_qualified(
                tally,
                at_least=self.charter.qualified_majority,
                voters=len(self.voters_at(number)),
                base=self.charter.qualified_base,
            )
        else:
            rule = SIMPLE_MAJORITY
            chair_ballot = next((c.ballot for c in ballots if self.chair and same_person(c.name, self.chair)), None)
            result = count_simple(
                tally,
                chair_ballot=chair_ballot,
                chair_has_casting_vote=self.charter.chair_casting_vote,
                tie_by_lot=matter == MatterKind.ELECTION,
            )
        self._vote_taken(
            number=number,
            proposal=proposal.strip(),
            matter=matter,
            ballots=ballots,
            outcome=result.outcome,
            explanation=result.explanation,
            rule=rule,
        )
        return self.paragraphs[number].votes[-1]

    class VoteTaken(Aggregate.Event):
        """An open vote. Version 2 records the decision rule applied; version 1 events lack it."""

        class_version = 2
        number: int
        proposal: str
        matter: MatterKind
        ballots: tuple[BallotCast, ...]
        outcome: VoteOutcome
        explanation: str
        rule: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 only kept the explanation, which names a qualified majority when one applied."""
            match = _QUALIFIED_IN_EXPLANATION.search(str(state.get("explanation", "")))
            state["rule"] = f"kvalificerad majoritet {match.group(1)}" if match else SIMPLE_MAJORITY

    @event(VoteTaken)
    def _vote_taken(
        self,
        number: int,
        proposal: str,
        matter: MatterKind,
        ballots: tuple[BallotCast, ...],
        outcome: VoteOutcome,
        explanation: str,
        rule: str,
    ) -> None:
        record = VoteRecord(proposal, matter, ballots, outcome, explanation, rule)
        self.paragraphs[number].votes.append(record)
        self.paragraphs[number].entries.append(("vote", {"vote": record}))
        self._content_changed()

    def decide(self, number: int, clauses: tuple[str, ...], matter: MatterKind = MatterKind.GENERAL) -> None:
        """A decision of the board, in its "att" clauses. Needs a quorate board."""
        self._require_open()
        self._paragraph(number)
        self._require_quorum(number)
        clauses = tuple(c.strip() for c in clauses if c.strip())
        if not clauses:
            raise InvalidInput(f"Beslutet i § {number} saknar text.")
        self._decided(number=number, clauses=clauses, matter=matter)

    @event("Decided")
    def _decided(self, number: int, clauses: tuple[str, ...], matter: MatterKind) -> None:
        self.paragraphs[number].decisions.append((clauses, matter))
        self.paragraphs[number].entries.append(("decision", {"clauses": clauses, "matter": matter}))
        self._content_changed()

    def attach_amount(self, number: int, amount: Decimal, period: AmountPeriod) -> None:
        """The amount the § 's latest decision carries ("högst 50 000 kronor per år"); while the minutes are open."""
        self._require_open()
        paragraph = self._paragraph(number)
        if not paragraph.decisions:
            raise InvalidInput(f"§ {number} har inget beslut att knyta ett belopp till; registrera beslutet först.")
        require_exact(amount, f"Beloppet i § {number}")
        decision = len(paragraph.decisions) - 1
        if decision in paragraph.amounts:
            raise InvalidInput(f"Beslutet i § {number} har redan ett belopp; ett beslut har ett belopp.")
        self._amount_attached(number=number, decision=decision, amount=check_decision_amount(amount), period=period)

    @event("AmountAttached")
    def _amount_attached(self, number: int, decision: int, amount: Decimal, period: AmountPeriod) -> None:
        self.paragraphs[number].amounts[decision] = (amount, period)
        self.paragraphs[number].entries.append(("amount", {"amount": amount, "period": period}))
        self._content_changed()

    def enter_reservation(self, number: int, name: str, motivation: str, on_behalf_of: str | None = None) -> None:
        """A voting member who did not vote for the decision reserves against it (before the meeting closes)."""
        self._require_open()
        paragraph = self._paragraph(number)
        self._voter(number, name)
        if not paragraph.votes:
            raise ReservationNotAllowed(
                f"Ingen omröstning finns i § {number}. Den som vill reservera sig måste ha röstat mot "
                "beslutet; begär omröstning och registrera den först."
            )
        vote = paragraph.votes[-1]
        winning = Ballot.YES if vote.outcome == VoteOutcome.ADOPTED else Ballot.NO
        ballot = next((c.ballot for c in vote.ballots if same_person(c.name, name)), None)
        if ballot is None:
            raise ReservationNotAllowed(f"{name} röstade inte i § {number} och kan inte reservera sig.")
        if ballot == winning:
            raise ReservationNotAllowed(
                f"{name} röstade för beslutet i § {number} och kan därför inte reservera sig mot det."
            )
        if any(same_person(n, name) for n, _ in paragraph.reservations):
            raise ReservationNotAllowed(f"{name} har redan reserverat sig i § {number}.")
        self._reservation_entered(number=number, name=name, motivation=motivation.strip(), on_behalf_of=on_behalf_of)

    @event("ReservationEntered")
    def _reservation_entered(self, number: int, name: str, motivation: str, on_behalf_of: str | None) -> None:
        self.paragraphs[number].reservations.append((name, motivation))
        self.paragraphs[number].entries.append(
            ("reservation", {"name": name, "motivation": motivation, "on_behalf_of": on_behalf_of})
        )
        self._content_changed()

    def table(self, number: int, item: str, reason: str, to_meeting: str | None = None) -> None:
        """Table an item to a later meeting: a majority decision of the quorate board."""
        self._require_open()
        paragraph = self._paragraph(number)
        self._require_quorum(number)
        tabling_votes = [v for v in paragraph.votes if v.matter == MatterKind.TABLING]
        if tabling_votes and tabling_votes[-1].outcome != VoteOutcome.ADOPTED:
            raise VotingRuleViolation(
                f"Bordläggning kräver att en majoritet av styrelsen vill det; omröstningen i § {number} föll."
            )
        self._tabled(number=number, item=item.strip(), reason=reason.strip(), to_meeting=to_meeting)

    @event("Tabled")
    def _tabled(self, number: int, item: str, reason: str, to_meeting: str | None) -> None:
        self.paragraphs[number].entries.append(("tabled", {"item": item, "reason": reason, "to_meeting": to_meeting}))
        self._content_changed()

    def assign(self, number: int, assignee: str, task: str, due_on: date | None) -> None:
        """An assignment (uppdrag) given by the board."""
        self._require_open()
        self._paragraph(number)
        self._require_quorum(number)
        if due_on is not None and due_on < self.held_on:
            raise InvalidInput(f"Uppdraget i § {number} kan inte ha ett slutdatum före sammanträdet.")
        self._assigned(number=number, assignee=assignee.strip(), task=task.strip(), due_on=due_on)

    @event("Assigned")
    def _assigned(self, number: int, assignee: str, task: str, due_on: date | None) -> None:
        self.paragraphs[number].entries.append(("assignment", {"assignee": assignee, "task": task, "due_on": due_on}))
        self._content_changed()

    def complete_assignment(self, number: int, assignee: str, completed_on: date) -> None:
        """Report an assignment as done (not a change to the minutes, so allowed after adjustment)."""
        paragraph = self._paragraph(number)
        if not any(kind == "assignment" and data["assignee"] == assignee for kind, data in paragraph.entries):
            raise InvalidInput(f"Inget uppdrag till {assignee} finns i § {number}.")
        self._assignment_completed(number=number, assignee=assignee, completed_on=completed_on)

    @event("AssignmentCompleted")
    def _assignment_completed(self, number: int, assignee: str, completed_on: date) -> None:
        self.completed_assignments[(number, assignee)] = completed_on

    def receive_document(self, number: int, registry_number: str, sender: str, title: str, received_on: date) -> None:
        """An incoming document (inkommande handling) reported to the board."""
        self._require_open()
        self._paragraph(number)
        self._document_received(
            number=number,
            registry_number=registry_number,
            sender=sender,
            title=title,
            received_on=received_on,
        )

    @event("DocumentReceived")
    def _document_received(self, number: int, registry_number: str, sender: str, title: str, received_on: date) -> None:
        self.paragraphs[number].entries.append(
            (
                "document",
                {
                    "registry_number": registry_number,
                    "sender": sender,
                    "title": title,
                    "received_on": received_on,
                },
            )
        )
        self._content_changed()

    # --- adjustment and notice -------------------------------------------------------------

    def canonical_minutes(self) -> bytes:
        """The stable bytes every signature hashes (see :mod:`finsam_core.domain.minutes`)."""
        return canonical_minutes(self)

    def canonical_sha256(self) -> str:
        return hashlib.sha256(self.canonical_minutes()).hexdigest()

    def sign(
        self,
        name: str,
        signed_at: datetime,
        sha256: str | None = None,
        document_sha256: str | None = None,
    ) -> bool:
        """A signature on the minutes by the chair, an adjuster or the secretary; returns finality."""
        if signed_at.tzinfo is None:
            raise InvalidInput("Tidpunkten för en underskrift måste ha tidszon.")
        signed_on = calendar.swedish_date(signed_at)
        if signed_on < self.held_on:
            raise AdjustmentRuleViolation(
                f"Protokollet kan inte justeras {signed_on.isoformat()}, före sammanträdet "
                f"{self.held_on.isoformat()}. Kontrollera datumen."
            )
        if self.chair and same_person(name, self.chair):
            role = SignerRole.CHAIR
        elif any(same_person(name, a) for a in self.adjusters):
            role = SignerRole.ADJUSTER
        elif self.secretary and same_person(name, self.secretary):
            role = SignerRole.SECRETARY
        else:
            raise SignatureNotAllowed(
                f"{name} får inte justera protokollet: bara ordföranden ({self.chair or 'ej angiven'}), "
                f"valda justerare ({', '.join(self.adjusters) or 'inga valda'}) och sekreteraren skriver under."
            )
        if any(same_person(s.name, name) for s in self.signatures):
            raise SignatureNotAllowed(f"{name} har redan skrivit under protokollet.")
        digest = self.canonical_sha256()
        if sha256 is not None and sha256.lower() != digest:
            raise SignatureNotAllowed(
                "Underskriften gäller en annan version av protokollet än den som nu finns "
                f"(hashvärde {sha256.lower()[:12]}… i stället för {digest[:12]}…). "
                "Läs protokollet igen och skriv under på nytt."
            )
        self._signed(
            signature=Signature(
                name=name,
                role=role,
                signed_at=signed_at,
                sha256=digest,
                document_sha256=document_sha256,
            )
        )
        if self.is_final:
            params = parameters_on(self.held_on)
            adjusted_on = self.adjusted_on
            assert adjusted_on is not None
            if calendar.is_adjustment_late(self.held_on, adjusted_on, params):
                self._adjustment_flagged(adjusted_on=adjusted_on)
        return self.is_final

    @event("Signed")
    def _signed(self, signature: Signature) -> None:
        self.signatures.append(signature)

    @event("AdjustedLate")
    def _adjustment_flagged(self, adjusted_on: date) -> None:
        self.adjustment_late = True

    def correct(self, number: int, text: str, reason: str, recorded_on: date) -> None:
        """A correction of final minutes: shown as a correction, the signed text stays as it was."""
        self._paragraph(number)
        if not self.is_final:
            raise InvalidInput("Protokollet är inte justerat ännu; ändra paragrafen direkt i stället för att rätta.")
        if not text.strip() or not reason.strip():
            raise InvalidInput("En rättelse behöver både ny text och ett skäl.")
        self._corrected(number=number, text=text.strip(), reason=reason.strip(), recorded_on=recorded_on)

    @event("Corrected")
    def _corrected(self, number: int, text: str, reason: str, recorded_on: date) -> None:
        self.paragraphs[number].corrections.append((text, reason, recorded_on))

    def post_notice(self, posted_on: date, place: str) -> date:
        """Post the notice that the minutes are adjusted; returns the last day to appeal.

        ``posted_on`` may be an instant: the notice is dated on its day in Sweden.
        """
        posted_on = calendar.swedish_date(posted_on)
        if not self.is_final:
            raise NoticeRuleViolation(
                "Anslaget om justering kan inte sättas upp förrän protokollet är justerat av "
                "ordföranden och justerarna."
            )
        adjusted_on = self.adjusted_on
        assert adjusted_on is not None
        if posted_on < adjusted_on:
            raise NoticeRuleViolation(
                f"Anslaget kan inte sättas upp {posted_on.isoformat()}, före justeringen {adjusted_on.isoformat()}."
            )
        if self.notice_posted_on is not None:
            raise NoticeRuleViolation(f"Anslaget sattes redan upp {self.notice_posted_on.isoformat()}.")
        params = parameters_on(posted_on)
        appeal_ends_on = calendar.appeal_period_end(posted_on, params)
        late = calendar.is_notice_late(adjusted_on, posted_on, params)
        self._notice_posted(posted_on=posted_on, place=place.strip(), appeal_ends_on=appeal_ends_on, late=late)
        return appeal_ends_on

    @event("NoticePosted")
    def _notice_posted(self, posted_on: date, place: str, appeal_ends_on: date, late: bool) -> None:
        self.notice_posted_on = posted_on
        self.notice_place = place
        self.appeal_ends_on = appeal_ends_on
        self.posting_late = late

    def take_down_notice(self, taken_down_on: date) -> None:
        taken_down_on = calendar.swedish_date(taken_down_on)
        if self.notice_posted_on is None or self.appeal_ends_on is None:
            raise NoticeRuleViolation("Inget anslag är uppsatt.")
        if self.notice_taken_down_on is not None:
            raise NoticeRuleViolation(f"Anslaget togs redan ner {self.notice_taken_down_on.isoformat()}.")
        if taken_down_on < self.appeal_ends_on:
            raise NoticeRuleViolation(
                f"Anslaget ska sitta uppe under hela överklagandetiden, som går ut "
                f"{self.appeal_ends_on.isoformat()}; det kan tas ner tidigast den dagen."
            )
        self._notice_taken_down(taken_down_on=taken_down_on)

    @event("NoticeTakenDown")
    def _notice_taken_down(self, taken_down_on: date) -> None:
        self.notice_taken_down_on = taken_down_on

    def send_kallelse(self, sent_on: date, recipients: tuple[str, ...], documents: tuple[str, ...]) -> bool:
        """Record the kallelse (notice of the meeting); returns whether it was sent later than the charter's
        notice period allows. A late kallelse is recorded, and flagged: the meeting may still be held."""
        if self.kallelse_sent_on is not None:
            raise InvalidInput(f"Kallelsen till sammanträdet {self.reference} skickades redan {self.kallelse_sent_on}.")
        if sent_on > self.held_on:
            raise InvalidInput(
                f"Kallelsen kan inte ha skickats {sent_on.isoformat()}, efter sammanträdet {self.held_on.isoformat()}."
            )
        names = tuple(r.strip() for r in recipients if r.strip())
        if not names:
            raise InvalidInput("Kallelsen behöver minst en mottagare (ledamöter och ersättare).")
        due_on = calendar.kallelse_deadline(self.held_on, self.charter.kallelse_days)
        late = sent_on > due_on
        sent = tuple(d.strip() for d in documents if d.strip())
        self._kallelse_sent(sent_on=sent_on, recipients=names, documents=sent, due_on=due_on, late=late)
        return late

    @event("KallelseSent")
    def _kallelse_sent(
        self, sent_on: date, recipients: tuple[str, ...], documents: tuple[str, ...], due_on: date, late: bool
    ) -> None:
        self.kallelse_sent_on = sent_on
        self.kallelse_recipients = recipients
        self.kallelse_documents = documents
        self.kallelse_due_on = due_on
        self.kallelse_late = late

    def _content_changed(self) -> None:
        """A change to the minutes voids signatures given on an earlier version (before adjustment)."""
        if self.signatures:
            self.void_signatures.extend(self.signatures)
            self.signatures = []
