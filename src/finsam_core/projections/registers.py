"""In-process read models over a förbund's meetings: the decision register and open assignments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.domain.meeting import Meeting
from finsam_core.values import Ballot

__all__ = ["AssignmentEntry", "DecisionEntry", "decision_register", "is_overdue", "open_assignments", "open_in"]


class DecisionEntry(msgspec.Struct, frozen=True):
    """One decision as the register lists it, with its § reference and its vote counts (if a vote was taken).

    The one shape of the decision register: the library's ``decision_register``, the views and the
    HTTP API (``GET /v1/forbund/{org_nr}/decisions``, ``/v1/network/decisions``) all give it.
    """

    org_nr: str
    meeting: str
    held_on: date
    paragraph: int
    title: str
    clauses: tuple[str, ...]
    matter: str
    yes: int | None
    no: int | None
    abstain: int | None
    outcome: str | None
    reservations: tuple[str, ...]
    final: bool
    amount: Decimal | None = None
    """The most the decision lets the förbund spend in its period (:mod:`finsam_core.rules.spending`)."""
    period: str | None = None
    """``ar`` (each calendar year) or ``engang`` (in all), when the decision carries an amount."""


class AssignmentEntry(msgspec.Struct, frozen=True):
    meeting: str
    paragraph: int
    assignee: str
    task: str
    due_on: date | None
    overdue: bool


def decision_register(meetings: list[Meeting]) -> list[DecisionEntry]:
    """Every decision of the förbund in date and § order."""
    entries: list[DecisionEntry] = []
    for meeting in sorted(meetings, key=lambda m: (m.held_on, m.reference)):
        for number in sorted(meeting.paragraphs):
            paragraph = meeting.paragraphs[number]
            vote = paragraph.votes[-1] if paragraph.votes else None
            for index, (clauses, matter) in enumerate(paragraph.decisions):
                amount, period = paragraph.amounts.get(index, (None, None))
                entries.append(
                    DecisionEntry(
                        org_nr=meeting.org_nr,
                        meeting=meeting.reference,
                        held_on=meeting.held_on,
                        paragraph=number,
                        title=paragraph.title,
                        clauses=clauses,
                        matter=matter.value,
                        yes=sum(1 for c in vote.ballots if c.ballot == Ballot.YES) if vote else None,
                        no=sum(1 for c in vote.ballots if c.ballot == Ballot.NO) if vote else None,
                        abstain=sum(1 for c in vote.ballots if c.ballot == Ballot.ABSTAIN) if vote else None,
                        outcome=vote.outcome.value if vote else None,
                        reservations=tuple(name for name, _ in paragraph.reservations),
                        final=meeting.is_final,
                        amount=amount,
                        period=None if period is None else period.value,
                    )
                )
    return entries


def is_overdue(due_on: date | None, as_of: date) -> bool:
    """An open assignment is overdue once its due date has passed."""
    return due_on is not None and due_on < as_of


def open_in(meeting: Meeting) -> list[tuple[int, str, str, date | None]]:
    """(§, assignee, task, due date) of the meeting's assignments not yet reported done, in § order."""
    found: list[tuple[int, str, str, date | None]] = []
    for number in sorted(meeting.paragraphs):
        for kind, data in meeting.paragraphs[number].entries:
            if kind != "assignment":
                continue
            assignee = str(data["assignee"])
            if (number, assignee) in meeting.completed_assignments:
                continue
            due = data["due_on"]
            assert due is None or isinstance(due, date)
            found.append((number, assignee, str(data["task"]), due))
    return found


def open_assignments(meetings: list[Meeting], as_of: date | None = None) -> list[AssignmentEntry]:
    """Assignments not yet reported done, with their due dates; overdue ones flagged."""
    today = as_of or date.today()
    return [
        AssignmentEntry(
            meeting=meeting.reference,
            paragraph=number,
            assignee=assignee,
            task=task,
            due_on=due,
            overdue=is_overdue(due, today),
        )
        for meeting in sorted(meetings, key=lambda m: (m.held_on, m.reference))
        for number, assignee, task, due in open_in(meeting)
    ]
