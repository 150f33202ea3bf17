"""The statutory clock: what is due, overdue or met, per förbund and for the network, on a day.

A read over the views: the meetings' deadlines as the projection stored them with the minutes
(:class:`~finsam_core.projections.minutes_sheet.SheetDeadline`: adjust within 14 days, post the
notice by the second day after, the appeal period, assignments with a due day), the budgets the
förbund must adopt before their year, the members' notices and NNS withdrawals taking effect.
Each item carries its legal source and its status on ``as_of``
(:func:`~finsam_core.rules.deadlines.deadline_status`). Minutes never adjusted are overdue from the
15th day after the meeting although nothing was recorded: the deadline is in the view from the day
the meeting was convened.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec

from finsam_core.errors import InvalidInput
from finsam_core.projections.views import Views
from finsam_core.rules.deadlines import SOURCES, DeadlineKind, DeadlineStatus, deadline_status
from finsam_core.rules.money import budget_deadline
from finsam_core.rules.parameters import parameters_on

__all__ = ["Deadline", "deadlines"]


class Deadline(msgspec.Struct, frozen=True):
    """One item of the clock."""

    org_nr: str
    forbund: str
    kind: str
    subject: str
    source: str
    due_on: date
    met_on: date | None
    status: DeadlineStatus
    draft: bool = False
    """From minutes not yet adjusted: shown only to those who may read the förbund's drafts."""


def _forbund_items(views: Views, org_nr: str, name: str, as_of: date, drafts: bool) -> Iterable[Deadline]:
    for meeting in views.meetings(org_nr):
        if not meeting.final and not drafts:
            continue
        for d in meeting.sheet.deadlines:
            yield Deadline(
                org_nr,
                name,
                d.kind,
                d.subject,
                d.source,
                d.due_on,
                d.met_on,
                deadline_status(d.due_on, d.met_on, as_of),
                draft=not meeting.final,
            )
    budgets = views.budget_status_years(org_nr, as_of.year - 1)
    for year in (as_of.year, as_of.year + 1) if budgets else ():  # a förbund that keeps its money elsewhere: none
        row = views.budget_status(org_nr, year)
        adopted = row.status.adopted_on if row is not None else None
        due = budget_deadline(year, parameters_on(date(year - 1, 1, 1)))
        if adopted is None and due.year > as_of.year:
            continue  # next year's budget is not yet due this year
        kind = DeadlineKind.BUDGET
        yield Deadline(
            org_nr,
            name,
            kind,
            f"Fastställa budget {year}",
            SOURCES[kind],
            due,
            adopted,
            deadline_status(due, adopted, as_of),
        )
    record = views.forbund(org_nr)
    for member in record.members if record is not None else ():
        if member.leaves_on is not None and (not member.notice_in or drafts or _final(views, org_nr, member.notice_in)):
            kind = DeadlineKind.MEMBER_EXIT
            yield Deadline(
                org_nr,
                name,
                kind,
                f"{member.name} lämnar förbundet",
                SOURCES[kind],
                member.leaves_on,
                member.leaves_on if member.leaves_on <= as_of else None,
                deadline_status(member.leaves_on, member.leaves_on, as_of),
            )


def _final(views: Views, org_nr: str, meeting_ids: list[str]) -> bool:
    final = {str(m.meeting_id) for m in views.meetings(org_nr) if m.final}
    return set(meeting_ids) <= final


def _nns_items(views: Views, as_of: date) -> Iterable[Deadline]:
    for row in views.roster(as_of):
        if row.leaves_after is not None:
            kind = DeadlineKind.NNS_EXIT
            yield Deadline(
                row.org_nr,
                row.name,
                kind,
                f"{row.name} lämnar NNS",
                SOURCES[kind],
                row.leaves_after,
                row.leaves_after if row.leaves_after <= as_of else None,
                deadline_status(row.leaves_after, row.leaves_after, as_of),
            )


def deadlines(views: Views, as_of: date, org_nr: str | None = None, *, drafts: bool = False) -> list[Deadline]:
    """The clock on ``as_of`` for the förbund ``org_nr``, or for every förbund NNS knows; by date and förbund."""
    if not 1900 <= as_of.year <= 9000:
        raise InvalidInput(
            f"{as_of.isoformat()} är ingen rimlig dag för fristerna; ange en dag mellan år 1900 och 9000."
        )
    if org_nr is not None:
        row = views.forbund(org_nr)
        forbund = [(org_nr, row.name if row is not None else org_nr)]
    else:
        forbund = [(k.org_nr, k.name) for k in views.known_forbund()]
    items = [item for org, name in forbund for item in _forbund_items(views, org, name, as_of, drafts)]
    items += [i for i in _nns_items(views, as_of) if org_nr is None or i.org_nr == org_nr]
    return sorted(items, key=lambda i: (i.due_on, i.org_nr, i.kind, i.subject))
