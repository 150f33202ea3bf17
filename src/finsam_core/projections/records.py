"""The records views: förbund, meetings with their minutes, the decision register; and the projection
that keeps them and (through :class:`~finsam_core.projections.money.MoneyProjection`) every other view.

A row is rebuilt from its aggregate as it stood at the last event of the batch that touched it
(:class:`~finsam_core.projections.batch.BatchAggregates`), so rows are a pure function of the log
prefix: batching, crashes and restarts cannot make the views differ from a replay from scratch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import msgspec
from eventsourcing.persistence import Notification

from finsam_core.domain.forbund import Forbund
from finsam_core.domain.meeting import Meeting
from finsam_core.domain.minutes import minutes_texts
from finsam_core.projections.activity_plans import ActivityPlanProjection
from finsam_core.projections.batch import BatchAggregates, EventSource
from finsam_core.projections.delegation import DelegationProjection
from finsam_core.projections.drafts import decided_in, draft_marks
from finsam_core.projections.minutes_sheet import minutes_sheet
from finsam_core.projections.money import MoneyProjection
from finsam_core.projections.registers import decision_register, open_in
from finsam_core.projections.rows import (
    AssignmentRow,
    BoardRow,
    DecisionRow,
    ForbundRow,
    MeetingRow,
    MemberRow,
    MinutesDocument,
    MinutesParagraph,
    OfficeRow,
)
from finsam_core.projections.views import Views
from finsam_core.topics import event_of

__all__ = [
    "RecordsProjection",
    "assignment_rows",
    "decision_rows",
    "forbund_row",
    "meeting_row",
    "minutes_document",
]


def minutes_document(meeting: Meeting) -> MinutesDocument:
    """The minutes as JSON-able data (the view's ``minutes`` column)."""
    return MinutesDocument(
        org_nr=meeting.org_nr,
        forbund=meeting.forbund_name,
        reference=meeting.reference,
        held_on=meeting.held_on,
        place=meeting.place,
        final=meeting.is_final,
        adjusted_on=meeting.adjusted_on,
        paragraphs=tuple(
            MinutesParagraph(
                number=number,
                title=p.title,
                body=p.body,
                decisions=tuple(clauses for clauses, _ in p.decisions),
                reservations=tuple(name for name, _ in p.reservations),
            )
            for number, p in sorted(meeting.paragraphs.items())
        ),
    )


def forbund_row(forbund: Forbund, position: int) -> ForbundRow:
    """The förbund's row: its members with the meetings that admitted them and recorded their notice."""
    flags = {flag.member_key: flag.message for flag in forbund.liquidation_flags}
    members = [
        MemberRow(
            m.member.key,
            m.member.name,
            m.member.kind.value,
            m.joined_on,
            m.leaves_on,
            decided_in(forbund.id, [m.admitted_by]),
            decided_in(forbund.id, [m.notice_by]),
            flags.get(m.member.key),
        )
        for m in forbund.memberships
    ]
    board = [
        BoardRow(a.person, a.member_key, a.role.value, a.term_from, a.term_to, decided_in(forbund.id, [ref]))
        for a, ref in zip(forbund.appointments, forbund.appointed_by, strict=True)
    ]
    offices = [OfficeRow(h.person, h.office.value, h.term_from, h.term_to) for h in forbund.offices]
    return ForbundRow(forbund.org_nr, forbund.name, forbund.founded_on, members, position, board, offices)


def meeting_row(meeting: Meeting, position: int) -> MeetingRow:
    canonical, text = minutes_texts(meeting)  # The header and paragraphs made once for both.
    return MeetingRow(
        meeting.org_nr,
        meeting.reference,
        meeting.id,
        meeting.held_on,
        meeting.place,
        meeting.is_final,
        meeting.adjusted_on,
        minutes_document(meeting),
        text,
        position,
        minutes_sheet(meeting, hashlib.sha256(canonical).hexdigest()),
    )


def decision_rows(meeting: Meeting) -> list[DecisionRow]:
    """The meeting's decisions as the register lists them; ``seq`` numbers the decisions of a §."""
    seqs: dict[int, int] = {}
    rows = []
    for entry in decision_register([meeting]):
        seq = seqs[entry.paragraph] = seqs.get(entry.paragraph, -1) + 1
        search = " ".join((entry.title, *entry.clauses))
        rows.append(DecisionRow(**msgspec.structs.asdict(entry), seq=seq, search=search))
    return rows


def assignment_rows(meeting: Meeting) -> list[AssignmentRow]:
    """The meeting's assignments not yet reported done (the domain's :func:`open_in`), in § order."""
    return [
        AssignmentRow(
            meeting.org_nr, meeting.reference, meeting.held_on, number, seq, assignee, task, due, meeting.is_final
        )
        for seq, (number, assignee, task, due) in enumerate(open_in(meeting))
    ]


class RecordsProjection:
    """Every view: the records views here, the money and membership views through
    :class:`~finsam_core.projections.money.MoneyProjection`, and the draft marks."""

    name = "records"

    def __init__(self, source: EventSource) -> None:
        self.source = source
        self.aggregates = BatchAggregates(source)
        self.money = MoneyProjection(source, self.aggregates)
        self.plans = ActivityPlanProjection(source, self.aggregates)
        self.delegation = DelegationProjection(source, self.aggregates)

    def apply(self, views: Views, notifications: Sequence[Notification]) -> None:
        """Write the rows of every aggregate the batch touched."""
        followed = [n for n in notifications if event_of(n.topic, Forbund, Meeting)]
        forbund: dict[str, ForbundRow] = {}
        meetings: dict[tuple[str, str], tuple[MeetingRow, list[DecisionRow], list[AssignmentRow]]] = {}
        touched = self.aggregates.rebuild(followed)
        for aggregate, position in touched.values():
            if isinstance(aggregate, Forbund):
                forbund[aggregate.org_nr] = forbund_row(aggregate, position)
            elif isinstance(aggregate, Meeting):
                meetings[(aggregate.org_nr, aggregate.reference)] = (
                    meeting_row(aggregate, position),
                    decision_rows(aggregate),
                    assignment_rows(aggregate),
                )
        views.write_forbund(list(forbund.values()))
        views.write_meetings(
            [row for row, _, _ in meetings.values()],
            [d for _, ds, _ in meetings.values() for d in ds],
            [a for _, _, assigned in meetings.values() for a in assigned],
        )
        everything: dict[Any, tuple[Any, int]] = dict(touched)
        everything.update(self.money.apply(views, notifications))
        everything.update(self.plans.apply(views, notifications))
        everything.update(self.delegation.apply(views, notifications))
        # After the meetings' rows: a mark is kept only while its meeting is not final.
        adjusted = [row.meeting_id for row, _, _ in meetings.values() if row.final]
        views.write_draft_marks(draft_marks(self.source.mapper, notifications, everything), adjusted)
