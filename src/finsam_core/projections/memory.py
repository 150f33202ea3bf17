"""The views in memory: the same rows as PostgreSQL keeps, for the library and its tests without a server.

:class:`MemoryViews` implements :class:`~finsam_core.projections.views.Views` over dictionaries keyed
as the PostgreSQL tables are (:mod:`~finsam_core.projections.postgres_schema`), and :func:`follow`
applies the log to it as the PostgreSQL follower does, batch by batch from its position::

    views = MemoryViews()
    follow(app, RecordsProjection(app), views)
    views.roster(date(2024, 1, 1))

One difference: text is kept exactly as recorded, while PostgreSQL shows a NUL as U+FFFD
(:mod:`~finsam_core.projections.view_text`). A batch that fails raises and may leave part of itself
applied; views are rebuilt from the log, so a new :class:`MemoryViews` followed again is the remedy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID

from finsam_core.projections.batch import EventSource
from finsam_core.projections.delegation import DelegationRegisterRow, PerCapsulamBookRow
from finsam_core.projections.plan_rows import PlanYearRow
from finsam_core.projections.rows import (
    AllocationRow,
    AnnualReportRow,
    AssignmentRow,
    BudgetStatusRow,
    DecisionRow,
    DecisionSpendingRow,
    DraftMark,
    FeePolicyRow,
    FeeRow,
    ForbundRow,
    KnownForbundRow,
    MeetingRow,
    MemberPaymentsRow,
    MembershipRow,
    ParticipantsRow,
    RosterRow,
)
from finsam_core.projections.views import Projection

__all__ = ["MemoryViews", "follow"]


class MemoryViews:
    """The :class:`~finsam_core.projections.views.Views` in dictionaries; ``position`` is the last event applied."""

    def __init__(self) -> None:
        self.position = 0
        self._forbund: dict[str, ForbundRow] = {}
        self._meetings: dict[tuple[str, str], MeetingRow] = {}
        self._decisions: dict[tuple[str, str], list[DecisionRow]] = {}
        self._assignments: dict[tuple[str, str], list[AssignmentRow]] = {}
        self._known: dict[str, KnownForbundRow] = {}
        self._policies: dict[int, FeePolicyRow] = {}
        self._memberships: dict[str, list[MembershipRow]] = {}
        self._roster: dict[str, list[RosterRow]] = {}
        self._fees: dict[tuple[str, int], FeeRow] = {}
        self._allocations: dict[tuple[str, int], AllocationRow] = {}
        self._budget_status: dict[tuple[str, int], BudgetStatusRow] = {}
        self._annual_reports: dict[tuple[str, int], AnnualReportRow] = {}
        self._participants: dict[tuple[str, int], ParticipantsRow] = {}
        self._marks: dict[tuple[int, UUID], DraftMark] = {}
        self._plan_years: dict[str, dict[int, PlanYearRow]] = {}
        self._member_payments: dict[tuple[str, int], MemberPaymentsRow] = {}
        self._decision_spending: dict[tuple[str, str, int, int], DecisionSpendingRow] = {}
        self._delegation: dict[str, DelegationRegisterRow] = {}
        self._per_capsulam: dict[str, PerCapsulamBookRow] = {}

    # --- writes ------------------------------------------------------------------------------

    def write_forbund(self, rows: Sequence[ForbundRow]) -> None:
        self._forbund.update((row.org_nr, row) for row in rows)

    def write_meetings(
        self, rows: Sequence[MeetingRow], decisions: Sequence[DecisionRow], assignments: Sequence[AssignmentRow]
    ) -> None:
        for row in rows:
            self._meetings[(row.org_nr, row.reference)] = row
            self._decisions[(row.org_nr, row.reference)] = []
            self._assignments[(row.org_nr, row.reference)] = []
        for decision in decisions:
            self._decisions.setdefault((decision.org_nr, decision.meeting), []).append(decision)
        for assignment in assignments:
            self._assignments.setdefault((assignment.org_nr, assignment.meeting), []).append(assignment)

    def write_network(self, known: Sequence[KnownForbundRow], policies: Sequence[FeePolicyRow]) -> None:
        self._known = {row.org_nr: row for row in known}
        self._policies = {row.effective_year: row for row in policies}

    def write_membership(self, org_nr: str, periods: Sequence[MembershipRow]) -> None:
        self._memberships[org_nr] = list(periods)

    def write_roster(self, org_nr: str, rows: Sequence[RosterRow]) -> None:
        self._roster[org_nr] = list(rows)

    def write_fee(self, org_nr: str, year: int, row: FeeRow | None) -> None:
        if row is None:
            self._fees.pop((org_nr, year), None)
        else:
            self._fees[(org_nr, year)] = row

    def allocation_years(self) -> list[tuple[str, int]]:
        return sorted(self._allocations)

    def write_allocation(self, row: AllocationRow) -> None:
        self._allocations[(row.org_nr, row.year)] = row

    def write_annual_report(self, row: AnnualReportRow) -> None:
        self._annual_reports[(row.org_nr, row.year)] = row

    def write_participants(self, row: ParticipantsRow) -> None:
        self._participants[(row.org_nr, row.year)] = row

    def budget_status_years(self, org_nr: str, first_year: int) -> set[int]:
        return {year for org, year in self._budget_status if org == org_nr and year >= first_year}

    def write_budget_status(self, row: BudgetStatusRow) -> None:
        self._budget_status[(row.org_nr, row.year)] = row

    def write_draft_marks(self, marks: Sequence[DraftMark], adjusted: Iterable[UUID]) -> None:
        final = {row.meeting_id for row in self._meetings.values() if row.final}
        for mark in marks:
            if mark.meeting_id not in final:
                self._marks.setdefault((mark.position, mark.meeting_id), mark)
        done = set(adjusted)
        if done:
            self._marks = {key: mark for key, mark in self._marks.items() if mark.meeting_id not in done}

    # --- reads -------------------------------------------------------------------------------

    def forbund(self, org_nr: str) -> ForbundRow | None:
        return self._forbund.get(org_nr)

    def meetings(self, org_nr: str) -> list[MeetingRow]:
        return sorted(
            (r for r in self._meetings.values() if r.org_nr == org_nr), key=lambda r: (r.held_on, r.reference)
        )

    def decisions(self, org_nr: str) -> list[DecisionRow]:
        found = [d for (org, _), rows in self._decisions.items() if org == org_nr for d in rows]
        return sorted(found, key=lambda d: (d.held_on, d.meeting, d.paragraph, d.seq))

    def open_assignments(self, org_nr: str) -> list[AssignmentRow]:
        found = [a for (org, _), rows in self._assignments.items() if org == org_nr for a in rows]
        return sorted(found, key=lambda a: (a.held_on, a.meeting, a.seq))

    def known_forbund(self) -> list[KnownForbundRow]:
        return sorted(self._known.values(), key=lambda r: r.org_nr)

    def roster(self, as_of: date) -> list[RosterRow]:
        found = [
            row
            for rows in self._roster.values()
            for row in rows
            if (row.valid_from is None or row.valid_from <= as_of)
            and (row.valid_until is None or as_of <= row.valid_until)
        ]
        return sorted(found, key=lambda r: (r.name, r.org_nr))

    def fee_policy(self, year: int) -> FeePolicyRow | None:
        for row in self._policies.values():
            if row.effective_year <= year and (row.until_year is None or year <= row.until_year):
                return row
        return None

    def memberships(self, year: int) -> list[MembershipRow]:
        found = [
            row
            for rows in self._memberships.values()
            for row in rows
            if row.first_year <= year and (row.last_year is None or year <= row.last_year)
        ]
        return sorted(found, key=lambda r: (r.org_nr, r.period))

    def fees(self, year: int) -> list[FeeRow]:
        return sorted((r for (_, y), r in self._fees.items() if y == year), key=lambda r: r.org_nr)

    def allocation(self, org_nr: str, year: int) -> AllocationRow | None:
        return self._allocations.get((org_nr, year))

    def budget_status(self, org_nr: str, year: int) -> BudgetStatusRow | None:
        return self._budget_status.get((org_nr, year))

    def annual_report(self, org_nr: str, year: int) -> AnnualReportRow | None:
        return self._annual_reports.get((org_nr, year))

    def participants(self, year: int) -> list[ParticipantsRow]:
        return sorted((r for (_, y), r in self._participants.items() if y == year), key=lambda r: r.org_nr)

    def draft_marks(self) -> list[DraftMark]:
        return [self._marks[key] for key in sorted(self._marks, key=lambda k: (k[0], str(k[1])))]

    def write_plan_years(self, org_nr: str, rows: Sequence[PlanYearRow]) -> None:
        self._plan_years[org_nr] = {row.year: row for row in rows}

    def plan_year(self, org_nr: str, year: int) -> PlanYearRow | None:
        return self._plan_years.get(org_nr, {}).get(year)

    def plan_years(self, year: int) -> list[PlanYearRow]:
        found = [rows[year] for rows in self._plan_years.values() if year in rows]
        return sorted(found, key=lambda r: r.org_nr)

    def write_member_payments(self, row: MemberPaymentsRow) -> None:
        self._member_payments[(row.org_nr, row.year)] = row

    def member_payments(self, year: int) -> list[MemberPaymentsRow]:
        return sorted((r for (_, y), r in self._member_payments.items() if y == year), key=lambda r: r.org_nr)

    def write_decision_spending(self, row: DecisionSpendingRow) -> None:
        self._decision_spending[(row.org_nr, row.meeting, row.paragraph, row.decision)] = row

    def decision_spending(self, org_nr: str) -> list[DecisionSpendingRow]:
        return [row for key, row in sorted(self._decision_spending.items()) if key[0] == org_nr]

    # --- delegation and per capsulam -----------------------------------------------------------

    def write_delegation(self, row: DelegationRegisterRow) -> None:
        self._delegation[row.org_nr] = row

    def write_per_capsulam(self, row: PerCapsulamBookRow) -> None:
        self._per_capsulam[row.org_nr] = row

    def delegation(self, org_nr: str) -> DelegationRegisterRow | None:
        return self._delegation.get(org_nr)

    def per_capsulam(self, org_nr: str) -> PerCapsulamBookRow | None:
        return self._per_capsulam.get(org_nr)


def follow(source: EventSource, projection: Projection, views: MemoryViews, batch_size: int = 1000) -> int:
    """Apply the log after ``views.position`` to ``views`` in batches; return how many events were applied."""
    applied = 0
    while True:
        notifications = source.recorder.select_notifications(start=views.position + 1, limit=batch_size)
        if not notifications:
            return applied
        projection.apply(views, notifications)
        views.position = notifications[-1].id
        applied += len(notifications)
