"""What derives from minutes that are not yet adjusted: the projection's side of the draft rule.

Minutes that are not adjusted (justerade) are drafts. The projections mark, from the domain's own
facts, what derives from them:

- A view row that a decision authorised carries ``decided_in``: the ids of the förbund's meetings
  whose decisions it derives from (:func:`decided_in`). The row is final when every one of those
  meetings is final (the domain's ``Meeting.is_final``).
- An event in the log that derives from a meeting (the meeting's own stream, the förbund's index
  entry and the minute book's § numbers for it, and every event that cites one of its decisions)
  gets a :class:`~finsam_core.projections.rows.DraftMark` while that meeting is not final
  (:func:`draft_marks`).

Who may read drafts, and the SQL that filters on these marks, are the service's
(``finsam_service.drafts``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification

from finsam_core.domain.activity_plan import ActivityPlans
from finsam_core.domain.allocation import Allocation
from finsam_core.domain.annual_report import AnnualReport
from finsam_core.domain.budget import Budget
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.delegation import DelegationRegister
from finsam_core.domain.forbund import Forbund
from finsam_core.domain.meeting import Meeting, meeting_id
from finsam_core.domain.minute_book import MinuteBook
from finsam_core.domain.per_capsulam import PerCapsulamBook
from finsam_core.projections.rows import DraftMark
from finsam_core.topics import event_of

__all__ = ["decided_in", "draft_marks"]

_CITING = (Forbund, MinuteBook, Budget, Allocation, AnnualReport, ActivityPlans, DelegationRegister, PerCapsulamBook)
"""The aggregates whose events may cite a meeting's decisions."""


def decided_in(forbund_id: UUID, refs: Iterable[DecisionRef | None]) -> list[str]:
    """The ids of the förbund's meetings whose decisions ``refs`` cite (other bodies' are left out)."""
    return sorted({str(meeting_id(forbund_id, ref.meeting)) for ref in refs if ref is not None and ref.meeting})


def _cited(value: Any) -> Iterable[DecisionRef]:
    """The decisions an event's attribute cites: itself, or a version's or a discharge's decision."""
    if isinstance(value, DecisionRef):
        yield value
    for name in ("authorised_by", "decision"):
        inner = getattr(value, name, None)
        if isinstance(inner, DecisionRef):
            yield inner


def draft_marks(
    mapper: Mapper[UUID], notifications: Sequence[Notification], aggregates: Mapping[UUID, tuple[Any, int]]
) -> list[DraftMark]:
    """A mark for every event in the batch that derives from a meeting's minutes.

    ``aggregates`` are the batch's rebuilt aggregates (originator id -> (aggregate, position)): they
    name the förbund whose minutes a cited decision is in.
    """
    found: list[DraftMark] = []
    for notification in notifications:
        stream: UUID = notification.originator_id  # type: ignore[assignment]
        if event_of(notification.topic, Meeting):
            if notification.originator_version == 1:  # The whole stream follows its first event.
                found.append(DraftMark(notification.id, stream, stream))
            continue
        if not event_of(notification.topic, *_CITING):
            continue
        event = mapper.to_domain_event(notification)
        meetings: set[UUID] = set()
        cited_meeting = getattr(event, "meeting_id", None)
        if isinstance(cited_meeting, UUID):
            meetings.add(cited_meeting)
        aggregate = aggregates.get(stream, (None, 0))[0]
        forbund = stream if isinstance(aggregate, Forbund) else getattr(aggregate, "forbund_id", None)
        if isinstance(forbund, UUID):
            for value in vars(event).values():
                meetings.update(UUID(m) for m in decided_in(forbund, _cited(value)))
        found.extend(DraftMark(notification.id, stream, meeting) for meeting in sorted(meetings))
    return found
