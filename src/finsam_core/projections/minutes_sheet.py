"""The minutes as the documents lay them out: the meetings view's ``sheet`` column.

:func:`minutes_sheet` reads the :class:`~finsam_core.domain.meeting.Meeting` aggregate once, in the
projection, and keeps everything the front page, the paragraphs, the signatures, the BEVIS and the
statutory clock show: names with their member, the decision sentences and each vote's outcome in the
domain's words (:mod:`finsam_core.domain.minutes`), the hash the signatures hold, and the dates the
rules give (:mod:`finsam_core.rules.calendar`). The documents (:mod:`finsam_core.documents`) only lay
these out: they compute nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import msgspec

from finsam_core.domain.meeting import Meeting
from finsam_core.domain.meeting_parts import Capacity, Paragraph, VoteRecord, same_person
from finsam_core.domain.minutes import (
    ROLE_LABELS,
    correction_line,
    decision_lines,
    entry_lines,
    last_votes,
    reservation_line,
)
from finsam_core.rules import calendar
from finsam_core.rules.deadlines import SOURCES, DeadlineKind
from finsam_core.rules.majority import VoteOutcome
from finsam_core.rules.parameters import parameters_on
from finsam_core.values import Ballot

__all__ = [
    "MinutesSheet",
    "SheetBallot",
    "SheetDeadline",
    "SheetEntry",
    "SheetKallelse",
    "SheetNotice",
    "SheetParagraph",
    "SheetPerson",
    "SheetSignature",
    "SheetVote",
    "minutes_sheet",
]

_BALLOT_WORDS = {Ballot.YES: "ja", Ballot.NO: "nej", Ballot.ABSTAIN: "avstår"}


class SheetPerson(msgspec.Struct, frozen=True):
    """Someone at the meeting: ``role`` is "Ordförande", "ersättare", a title; ``paragraphs`` the §§ attended."""

    name: str
    member: str = ""
    role: str = ""
    paragraphs: tuple[int, ...] = ()


class SheetBallot(msgspec.Struct, frozen=True):
    name: str
    member: str
    ballot: str
    """"ja", "nej" or "avstår"."""


class SheetVote(msgspec.Struct, frozen=True):
    proposal: str
    ballots: tuple[SheetBallot, ...]
    yes: int
    no: int
    abstain: int
    rule: str
    outcome: str
    """The outcome in words, as the domain explained it."""
    adopted: bool


class SheetEntry(msgspec.Struct, frozen=True):
    """One entry of a paragraph: ``kind`` as the domain records it; ``lines`` its text as the minutes show it.

    A decision's ``lines`` are its "att"-clauses; a reservation's ``quote`` is the motivation verbatim.
    """

    kind: str
    lines: tuple[str, ...]
    vote: SheetVote | None = None
    quote: str = ""


class SheetParagraph(msgspec.Struct, frozen=True):
    number: int
    title: str
    body: str
    entries: tuple[SheetEntry, ...]
    corrections: tuple[str, ...]


class SheetSignature(msgspec.Struct, frozen=True):
    name: str
    role: str
    signed_at: datetime
    sha256: str
    document_sha256: str | None


class SheetNotice(msgspec.Struct, frozen=True):
    """The anslag: when and where it was posted, the last day to appeal, when it was taken down."""

    posted_on: date
    place: str
    appeal_ends_on: date
    taken_down_on: date | None
    late: bool


class SheetKallelse(msgspec.Struct, frozen=True):
    """The kallelse: the last day the charter allows, and, once sent, when, to whom, with which documents."""

    due_on: date
    sent_on: date | None
    late: bool
    recipients: tuple[str, ...]
    documents: tuple[str, ...]


class SheetDeadline(msgspec.Struct, frozen=True):
    """A deadline of the statutory clock: ``due_on`` from the rules, ``met_on`` from the record."""

    kind: str
    subject: str
    source: str
    due_on: date
    met_on: date | None


class MinutesSheet(msgspec.Struct, frozen=True):
    """Everything the minutes documents show (see the module's docstring)."""

    forbund: str
    org_nr: str
    organ: str
    reference: str
    held_on: date
    place: str
    opens_at: time | None
    closes_at: time | None
    deciding: tuple[SheetPerson, ...]
    others: tuple[SheetPerson, ...]
    chair: str
    secretary: str
    adjusters: tuple[str, ...]
    agenda: tuple[str, ...]
    adjust_by: date
    final: bool
    adjusted_on: date | None
    adjustment_late: bool
    sha256: str
    """SHA-256 of the canonical minutes: the hash every signature of the adjusted minutes holds."""
    paragraphs: tuple[SheetParagraph, ...]
    signatures: tuple[SheetSignature, ...]
    notice: SheetNotice | None
    deadlines: tuple[SheetDeadline, ...]
    kallelse: SheetKallelse

    @property
    def paragraph_range(self) -> str:
        numbers = [p.number for p in self.paragraphs]
        if not numbers:
            return "–"
        return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


def _people(meeting: Meeting) -> tuple[tuple[SheetPerson, ...], tuple[SheetPerson, ...]]:
    deciding, others = [], []
    for a in meeting.attendees:
        member = a.member_key or ""
        if a.votes:
            role = "Ordförande" if meeting.chair and same_person(a.name, meeting.chair) else ""
            if a.capacity == Capacity.SERVING_DEPUTY:
                role = f"tjänstgörande ersättare för {a.stands_in_for}"
            deciding.append(SheetPerson(a.name, member, role, a.paragraphs))
        else:
            role = "ersättare" if a.capacity == Capacity.DEPUTY else a.title
            others.append(SheetPerson(a.name, member, role, a.paragraphs))
    return tuple(deciding), tuple(others)


def _vote(meeting: Meeting, vote: VoteRecord) -> SheetVote:
    members = {a.name: a.member_key or "" for a in meeting.attendees}
    ballots = tuple(SheetBallot(c.name, members.get(c.name, ""), _BALLOT_WORDS[c.ballot]) for c in vote.ballots)
    return SheetVote(
        vote.proposal,
        ballots,
        sum(1 for c in vote.ballots if c.ballot == Ballot.YES),
        sum(1 for c in vote.ballots if c.ballot == Ballot.NO),
        sum(1 for c in vote.ballots if c.ballot == Ballot.ABSTAIN),
        vote.rule,
        vote.explanation,
        vote.outcome == VoteOutcome.ADOPTED,
    )


def _paragraph(meeting: Meeting, p: Paragraph) -> SheetParagraph:
    entries = []
    for (kind, data), last in zip(p.entries, last_votes(p), strict=True):
        if kind == "vote":
            vote: VoteRecord = data["vote"]  # type: ignore[assignment]
            entries.append(SheetEntry(kind, (), vote=_vote(meeting, vote)))
        elif kind == "decision":
            clauses: tuple[str, ...] = data["clauses"]  # type: ignore[assignment]
            entries.append(SheetEntry(kind, tuple(decision_lines(last, clauses))))
        elif kind == "reservation":
            line = reservation_line(str(data["name"]), data["on_behalf_of"])  # type: ignore[arg-type]
            entries.append(SheetEntry(kind, (line,), quote=str(data["motivation"] or "")))
        else:
            entries.append(SheetEntry(kind, tuple(line for line in entry_lines(kind, data, last) if line)))
    corrections = tuple(correction_line(*c) for c in p.corrections)
    return SheetParagraph(p.number, p.title, p.body, tuple(entries), corrections)


def _kallelse(meeting: Meeting) -> SheetKallelse:
    due_on = meeting.kallelse_due_on or calendar.kallelse_deadline(meeting.held_on, meeting.charter.kallelse_days)
    return SheetKallelse(
        due_on, meeting.kallelse_sent_on, meeting.kallelse_late, meeting.kallelse_recipients, meeting.kallelse_documents
    )


def _deadlines(meeting: Meeting, adjust_by: date) -> tuple[SheetDeadline, ...]:
    minutes = f"protokoll {meeting.reference}"
    found = []
    if meeting.kallelse_sent_on is not None or not meeting.attendees:
        # Sent, or a meeting still ahead (nobody's attendance recorded): meetings entered after they
        # were held, as the seeds are, have no kallelse to chase.
        kallelse = _kallelse(meeting)
        found.append(
            SheetDeadline(
                DeadlineKind.KALLELSE,
                f"Skicka kallelse till sammanträdet {meeting.reference}",
                SOURCES[DeadlineKind.KALLELSE],
                kallelse.due_on,
                kallelse.sent_on,
            )
        )
    found += [
        SheetDeadline(
            DeadlineKind.ADJUST_MINUTES,
            f"Justera {minutes}",
            SOURCES[DeadlineKind.ADJUST_MINUTES],
            adjust_by,
            meeting.adjusted_on,
        )
    ]
    if meeting.adjusted_on is not None:
        post_by = calendar.notice_deadline(meeting.adjusted_on, parameters_on(meeting.adjusted_on))
        found.append(
            SheetDeadline(
                DeadlineKind.POST_NOTICE,
                f"Anslå justeringen av {minutes}",
                SOURCES[DeadlineKind.POST_NOTICE],
                post_by,
                meeting.notice_posted_on,
            )
        )
    if meeting.appeal_ends_on is not None:
        found.append(
            SheetDeadline(
                DeadlineKind.APPEAL_PERIOD,
                f"Överklagandetiden för {minutes} löper ut",
                SOURCES[DeadlineKind.APPEAL_PERIOD],
                meeting.appeal_ends_on,
                meeting.appeal_ends_on + timedelta(days=1),  # it has run out the day after its last day
            )
        )
    for number, p in sorted(meeting.paragraphs.items()):
        for kind, data in p.entries:
            if kind == "assignment" and data["due_on"] is not None:
                assignee = str(data["assignee"])
                done = meeting.completed_assignments.get((number, assignee))
                found.append(
                    SheetDeadline(
                        DeadlineKind.ASSIGNMENT,
                        f"Uppdrag {meeting.reference} § {number}: {assignee} – {data['task']}",
                        f"{SOURCES[DeadlineKind.ASSIGNMENT]} {meeting.reference} § {number}",
                        data["due_on"],  # type: ignore[arg-type]
                        done,
                    )
                )
    return tuple(found)


def minutes_sheet(meeting: Meeting, sha256: str | None = None) -> MinutesSheet:
    """The meeting's minutes as the documents lay them out (see the module's docstring); ``sha256``:
    the canonical minutes' hash, if the caller has it already."""
    deciding, others = _people(meeting)
    adjust_by = calendar.adjustment_deadline(meeting.held_on, parameters_on(meeting.held_on))
    notice = None
    if meeting.notice_posted_on is not None and meeting.appeal_ends_on is not None:
        notice = SheetNotice(
            meeting.notice_posted_on,
            meeting.notice_place or "",
            meeting.appeal_ends_on,
            meeting.notice_taken_down_on,
            meeting.posting_late,
        )
    signatures = tuple(
        SheetSignature(s.name, ROLE_LABELS[s.role.value], s.signed_at, s.sha256, s.document_sha256)
        for s in sorted(meeting.signatures, key=lambda s: s.signed_at, reverse=True)
    )
    return MinutesSheet(
        forbund=meeting.forbund_name,
        org_nr=meeting.org_nr,
        organ="Förbundsstyrelsen",
        reference=meeting.reference,
        held_on=meeting.held_on,
        place=meeting.place,
        opens_at=meeting.opens_at,
        closes_at=meeting.closes_at,
        deciding=deciding,
        others=others,
        chair=meeting.chair or "",
        secretary=meeting.secretary or "",
        adjusters=meeting.adjusters,
        agenda=meeting.agenda,
        adjust_by=adjust_by,
        final=meeting.is_final,
        adjusted_on=meeting.adjusted_on,
        adjustment_late=meeting.adjustment_late,
        sha256=meeting.canonical_sha256() if sha256 is None else sha256,
        paragraphs=tuple(_paragraph(meeting, p) for _, p in sorted(meeting.paragraphs.items())),
        signatures=signatures,
        notice=notice,
        deadlines=_deadlines(meeting, adjust_by),
        kallelse=_kallelse(meeting),
    )
