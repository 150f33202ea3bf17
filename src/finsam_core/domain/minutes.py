"""The minutes (protokoll) as Swedish text, close to the layout of real förbund minutes.

:func:`canonical_minutes` is the stable byte form every signature hashes: the header and the
paragraphs as decided, without signatures, notice or later corrections (those are shown by
:func:`render_minutes` but do not change what was signed). Changing the canonical form changes
every hash: bump ``CANONICAL_FORMAT`` if you must.

Both read a meeting through :class:`MeetingRecord`, the few attributes the minutes show, so this
module needs nothing of the aggregate (:mod:`finsam_core.domain.meeting` uses it to hash).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time
from decimal import Decimal
from typing import Protocol

from finsam_core.domain.meeting_parts import Attendee, Capacity, Paragraph, Signature, VoteRecord, same_person
from finsam_core.rules.majority import VoteOutcome
from finsam_core.rules.money import format_kronor
from finsam_core.rules.spending import AmountPeriod
from finsam_core.values import Ballot

__all__ = [
    "CANONICAL_FORMAT",
    "DECISION_HEADING",
    "ROLE_LABELS",
    "MeetingRecord",
    "canonical_minutes",
    "correction_line",
    "decision_lines",
    "entry_lines",
    "last_votes",
    "minutes_texts",
    "number_word",
    "render_minutes",
    "reservation_line",
]

CANONICAL_FORMAT = 1
"""Version of the canonical minutes bytes that signatures hash. Bump it, never change it silently."""


class MeetingRecord(Protocol):
    """What the minutes show of a meeting (the :class:`~finsam_core.domain.meeting.Meeting` aggregate has it)."""

    @property
    def forbund_name(self) -> str: ...
    @property
    def org_nr(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def held_on(self) -> date: ...
    @property
    def place(self) -> str: ...
    @property
    def opens_at(self) -> time | None: ...
    @property
    def closes_at(self) -> time | None: ...
    @property
    def agenda(self) -> tuple[str, ...]: ...
    @property
    def attendees(self) -> tuple[Attendee, ...]: ...
    @property
    def chair(self) -> str | None: ...
    @property
    def secretary(self) -> str | None: ...
    @property
    def adjusters(self) -> tuple[str, ...]: ...
    @property
    def paragraphs(self) -> Mapping[int, Paragraph]: ...
    @property
    def signatures(self) -> Sequence[Signature]: ...
    @property
    def is_final(self) -> bool: ...
    @property
    def adjusted_on(self) -> date | None: ...
    @property
    def adjustment_late(self) -> bool: ...
    @property
    def notice_posted_on(self) -> date | None: ...
    @property
    def notice_place(self) -> str | None: ...
    @property
    def appeal_ends_on(self) -> date | None: ...
    @property
    def notice_taken_down_on(self) -> date | None: ...
    @property
    def posting_late(self) -> bool: ...


_WORDS = (
    "noll",
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
)


DECISION_HEADING = "Förbundsstyrelsens beslut"

ROLE_LABELS = {"ordforande": "ordförande", "justerare": "justerare", "sekreterare": "sekreterare"}


def number_word(n: int) -> str:
    """Swedish number word for small counts, as minutes write them ("tre röster mot en")."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def _genitive(name: str) -> str:
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def _paragraph_range(meeting: MeetingRecord) -> str:
    numbers = sorted(meeting.paragraphs)
    if not numbers:
        return "–"
    if len(numbers) == 1:
        return str(numbers[0])
    return f"{numbers[0]}–{numbers[-1]}"


def _header(meeting: MeetingRecord) -> list[str]:
    when = meeting.held_on.isoformat()
    if meeting.opens_at and meeting.closes_at:
        when += f", {meeting.opens_at:%H:%M}–{meeting.closes_at:%H:%M}"
    deciding = []
    others = []
    for a in meeting.attendees:
        key = f" {a.member_key}" if a.member_key else ""
        paragraphs = f" (§ {', '.join(str(p) for p in a.paragraphs)})" if a.paragraphs else ""
        if a.votes:
            prefix = "Ordförande " if meeting.chair and same_person(a.name, meeting.chair) else ""
            serving = (
                f", tjänstgörande ersättare för {a.stands_in_for}" if a.capacity == Capacity.SERVING_DEPUTY else ""
            )
            deciding.append(f"{prefix}{a.name}{key}{serving}{paragraphs}")
        else:
            title = " ersättare" if a.capacity == Capacity.DEPUTY else (f" {a.title}" if a.title else "")
            others.append(f"{a.name}{title}{key if a.capacity == Capacity.DEPUTY else ''}{paragraphs}")
    lines = [
        "PROTOKOLL",
        f"{meeting.forbund_name} (org nr {meeting.org_nr})",
        f"Styrelsens sammanträde {meeting.reference}",
        "",
        f"Plats och tid: {meeting.place}, {when}",
        f"Beslutande: {', '.join(deciding) or '–'}",
        f"Övriga deltagare: {', '.join(others) or '–'}",
        f"Sekreterare: {meeting.secretary or '–'}",
        f"Paragrafer: {_paragraph_range(meeting)}",
        f"Ordförande: {meeting.chair or '–'}",
        f"Justerande: {', '.join(meeting.adjusters) or '–'}",
        f"Sammanträdesdatum: {meeting.held_on.isoformat()}",
    ]
    if meeting.agenda:
        lines += ["", "Dagordning:"] + [f"{i}. {item}" for i, item in enumerate(meeting.agenda, 1)]
    return lines


def _vote_lines(vote: VoteRecord, decided: tuple[str, ...] | None) -> list[str]:
    yes = [c.name for c in vote.ballots if c.ballot == Ballot.YES]
    no = [c.name for c in vote.ballots if c.ballot == Ballot.NO]
    abstain = [c.name for c in vote.ballots if c.ballot == Ballot.ABSTAIN]
    lines = ["Omröstning vidtog.", f"Förslag: {vote.proposal}"]
    lines.append(
        f"Ja: {', '.join(yes) or '–'}. Nej: {', '.join(no) or '–'}."
        + (f" Avstår: {', '.join(abstain)}." if abstain else "")
    )
    lines.append(f"Beslutsregel: {vote.rule}. Utfall: {vote.explanation}")
    return lines


def decision_lines(vote: VoteRecord | None, clauses: tuple[str, ...]) -> list[str]:
    """The decision's "att"-clauses; after an adopted vote the first says "Med tre röster mot en så beslutade..."."""
    if vote is None or vote.outcome != VoteOutcome.ADOPTED:
        return list(clauses)
    yes = sum(1 for c in vote.ballots if c.ballot == Ballot.YES)
    no = sum(1 for c in vote.ballots if c.ballot == Ballot.NO)
    first = clauses[0]
    first = first[0].lower() + first[1:] if first[:3].lower() == "att" else first
    lines = [f"Med {number_word(yes)} röster mot {number_word(no)} så beslutade styrelsen {first}".rstrip(".") + "."]
    return lines + list(clauses[1:])


def entry_lines(kind: str, data: Mapping[str, object], last_vote: VoteRecord | None) -> list[str]:
    """The lines one entry of a paragraph shows (after a blank line); ``last_vote`` is the § 's last vote so far."""
    if kind == "information":
        return ["", f"- {data['text']}"]
    if kind == "conflict":
        return ["", f"{data['name']} anmälde jäv och deltog inte i handläggningen av ärendet."]
    if kind == "vote":
        vote: VoteRecord = data["vote"]  # type: ignore[assignment]
        return ["", *_vote_lines(vote, None)]
    if kind == "decision":
        clauses: tuple[str, ...] = data["clauses"]  # type: ignore[assignment]
        return ["", DECISION_HEADING, "", *decision_lines(last_vote, clauses)]
    if kind == "amount":
        return ["", amount_line(data["amount"], data["period"])]  # type: ignore[arg-type]
    if kind == "reservation":
        lines = ["", reservation_line(str(data["name"]), data["on_behalf_of"])]  # type: ignore[arg-type]
        return lines + (["", f"”{data['motivation']}”"] if data["motivation"] else [])
    if kind == "tabled":
        to = f" till sammanträdet {data['to_meeting']}" if data["to_meeting"] else " till ett senare sammanträde"
        return ["", f"{data['item']} bordlades{to}: {data['reason']}"]
    if kind == "assignment":
        due = f" senast {data['due_on'].isoformat()}" if data["due_on"] else ""  # type: ignore[attr-defined]
        return ["", f"Uppdrag: {data['assignee']} – {data['task']}{due}."]
    if kind == "document":
        return [
            "",
            f"Inkommen handling {data['registry_number']}: {data['title']} från {data['sender']}, "
            f"inkom {data['received_on'].isoformat()}.",  # type: ignore[attr-defined]
        ]
    return []


def amount_line(amount: Decimal, period: AmountPeriod) -> str:
    """The line that states a decision's amount: "Belopp: högst 50 000 kr per år."."""
    return f"Belopp: högst {format_kronor(amount)} {period.label}."


def reservation_line(name: str, on_behalf_of: str | None) -> str:
    """The line before a reservation: who reserved themselves, on whose behalf."""
    behalf = f" för {_genitive(on_behalf_of)} räkning" if on_behalf_of else ""
    return f"{name} reserverade sig{behalf} mot beslutet enligt följande;"


def last_votes(p: Paragraph) -> list[VoteRecord | None]:
    """For each entry of ``p``, the paragraph's last vote recorded before or at it."""
    found: list[VoteRecord | None] = []
    last: VoteRecord | None = None
    for kind, data in p.entries:
        if kind == "vote":
            last = data["vote"]  # type: ignore[assignment]
        found.append(last)
    return found


def _paragraph_lines(p: Paragraph, *, with_corrections: bool) -> list[str]:
    lines = ["", f"§ {p.number} {p.title}"]
    if p.body:
        lines += ["", p.body]
    for (kind, data), last_vote in zip(p.entries, last_votes(p), strict=True):
        lines += entry_lines(kind, data, last_vote)
    if with_corrections:
        for text, reason, recorded_on in p.corrections:
            lines += ["", correction_line(text, reason, recorded_on)]
    return lines


def correction_line(text: str, reason: str, recorded_on: date) -> str:
    return f"RÄTTELSE {recorded_on.isoformat()}: {text} (Skäl: {reason})"


def canonical_minutes(meeting: MeetingRecord) -> bytes:
    """The bytes signatures hash: UTF-8, ``\\n`` line ends, header and paragraphs in number order."""
    lines = _header(meeting)
    for number in sorted(meeting.paragraphs):
        lines += _paragraph_lines(meeting.paragraphs[number], with_corrections=False)
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_minutes(meeting: MeetingRecord) -> str:
    """The minutes for people: the canonical text plus corrections, signatures and the notice."""
    lines = _header(meeting)
    for number in sorted(meeting.paragraphs):
        lines += _paragraph_lines(meeting.paragraphs[number], with_corrections=True)
    lines += _render_tail(meeting)
    return "\n".join(lines) + "\n"


def _render_tail(meeting: MeetingRecord) -> list[str]:
    """What the minutes for people show after the paragraphs: signatures, status and the notice."""
    lines: list[str] = []
    if meeting.signatures:
        lines += ["", "Signering", "", "Följande parter har signerat detta dokument"]
        for s in sorted(meeting.signatures, key=lambda s: s.signed_at, reverse=True):
            lines += [
                "",
                f"Namn: {s.name} ({ROLE_LABELS[s.role.value]})",
                f"Datum: {s.signed_at:%Y-%m-%d %H:%M}",
                f"SHA-256 för protokollet: {s.sha256.upper()}",
            ]
            if s.document_sha256:
                lines.append(f"SHA-256 för signerat dokument: {s.document_sha256.upper()}")
    status = "Justerat" if meeting.is_final else "Ej justerat (utkast)"
    lines += [
        "",
        f"Status: {status}" + (f" {meeting.adjusted_on.isoformat()}" if meeting.adjusted_on else ""),
    ]
    if meeting.adjustment_late:
        lines.append("Anmärkning: protokollet justerades senare än 14 dagar efter sammanträdet.")
    if meeting.notice_posted_on:
        lines += [
            "",
            "BEVIS",
            f"Justeringen har tillkännagivits genom anslag {meeting.notice_posted_on.isoformat()}"
            + (f" ({meeting.notice_place})" if meeting.notice_place else "")
            + ".",
            f"Sista dag att överklaga: {meeting.appeal_ends_on.isoformat() if meeting.appeal_ends_on else '–'}",
        ]
        if meeting.notice_taken_down_on:
            lines.append(f"Anslaget togs ner {meeting.notice_taken_down_on.isoformat()}.")
        if meeting.posting_late:
            lines.append("Anmärkning: anslaget sattes upp senare än andra dagen efter justeringen.")
    return lines


def minutes_texts(meeting: MeetingRecord) -> tuple[bytes, str]:
    """:func:`canonical_minutes` and :func:`render_minutes` at once, the header and each paragraph's
    lines made once for both (the projection needs both for every meeting it writes)."""
    canonical = _header(meeting)
    rendered = list(canonical)
    for number in sorted(meeting.paragraphs):
        p = meeting.paragraphs[number]
        lines = _paragraph_lines(p, with_corrections=False)
        canonical += lines
        rendered += lines
        for text, reason, recorded_on in p.corrections:
            rendered += ["", correction_line(text, reason, recorded_on)]
    rendered += _render_tail(meeting)
    return ("\n".join(canonical) + "\n").encode("utf-8"), "\n".join(rendered) + "\n"
