"""The reads of :class:`~finsam_core.projections.postgres.PostgresViews`: each row comes back as the
JSON PostgreSQL makes of it (``to_jsonb``), decoded by msgspec into its row type, numbers exactly.

The service reads the same tables with its own SQL (``finsam_service.<resource>.queries``, over
asyncpg); these are the library's, for scripts and for the tests that hold both implementations of
the views to the same scenarios. Text is ordered by code point (``COLLATE "C"``), as Python sorts.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

import msgspec
import psycopg

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

__all__ = ["PostgresReads"]

R = TypeVar("R")


class PostgresReads:
    """The read half of the PostgreSQL views (see the module's docstring)."""

    cursor: psycopg.Cursor[Any]

    def _rows(
        self, kind: type[R], table: str, where: str = "true", order: str = "", params: tuple[Any, ...] = ()
    ) -> list[R]:
        statement = f"SELECT to_jsonb(t)::text FROM {table} t WHERE {where}" + (f" ORDER BY {order}" if order else "")
        return [msgspec.json.decode(row[0], type=kind) for row in self.cursor.execute(statement, params).fetchall()]

    def _row(self, kind: type[R], table: str, where: str, params: tuple[Any, ...]) -> R | None:
        found = self._rows(kind, table, where, "", params)
        return found[0] if found else None

    def forbund(self, org_nr: str) -> ForbundRow | None:
        return self._row(ForbundRow, "finsam_forbund", "org_nr = %s", (org_nr,))

    def meetings(self, org_nr: str) -> list[MeetingRow]:
        return self._rows(MeetingRow, "finsam_meetings", "org_nr = %s", 'held_on, reference COLLATE "C"', (org_nr,))

    def decisions(self, org_nr: str) -> list[DecisionRow]:
        order = 'held_on, meeting COLLATE "C", paragraph, seq'
        return self._rows(DecisionRow, "finsam_decisions", "org_nr = %s", order, (org_nr,))

    def open_assignments(self, org_nr: str) -> list[AssignmentRow]:
        order = 'held_on, meeting COLLATE "C", seq'
        return self._rows(AssignmentRow, "finsam_assignments", "org_nr = %s", order, (org_nr,))

    def known_forbund(self) -> list[KnownForbundRow]:
        return self._rows(KnownForbundRow, "finsam_nns_forbund", order='org_nr COLLATE "C"')

    def roster(self, as_of: date) -> list[RosterRow]:
        where = "(valid_from IS NULL OR valid_from <= %s) AND (valid_until IS NULL OR %s <= valid_until)"
        return self._rows(RosterRow, "finsam_nns_roster", where, 'name COLLATE "C", org_nr COLLATE "C"', (as_of, as_of))

    def fee_policy(self, year: int) -> FeePolicyRow | None:
        where = "effective_year <= %s AND (until_year IS NULL OR %s <= until_year)"
        return self._row(FeePolicyRow, "finsam_nns_fee_policies", where, (year, year))

    def memberships(self, year: int) -> list[MembershipRow]:
        where = "first_year <= %s AND (last_year IS NULL OR %s <= last_year)"
        return self._rows(MembershipRow, "finsam_nns_memberships", where, 'org_nr COLLATE "C", period', (year, year))

    def fees(self, year: int) -> list[FeeRow]:
        return self._rows(FeeRow, "finsam_nns_fees", "year = %s", 'org_nr COLLATE "C"', (year,))

    def allocation(self, org_nr: str, year: int) -> AllocationRow | None:
        return self._row(AllocationRow, "finsam_allocations", "org_nr = %s AND year = %s", (org_nr, year))

    def budget_status(self, org_nr: str, year: int) -> BudgetStatusRow | None:
        return self._row(BudgetStatusRow, "finsam_budget_status", "org_nr = %s AND year = %s", (org_nr, year))

    def annual_report(self, org_nr: str, year: int) -> AnnualReportRow | None:
        return self._row(AnnualReportRow, "finsam_annual_reports", "org_nr = %s AND year = %s", (org_nr, year))

    def participants(self, year: int) -> list[ParticipantsRow]:
        return self._rows(ParticipantsRow, "finsam_participants", "year = %s", 'org_nr COLLATE "C"', (year,))

    def draft_marks(self) -> list[DraftMark]:
        return self._rows(DraftMark, "finsam_draft_events", order="position, meeting_id")

    def plan_year(self, org_nr: str, year: int) -> PlanYearRow | None:
        return self._row(PlanYearRow, "finsam_plan_years", "org_nr = %s AND year = %s", (org_nr, year))

    def plan_years(self, year: int) -> list[PlanYearRow]:
        return self._rows(PlanYearRow, "finsam_plan_years", "year = %s", 'org_nr COLLATE "C"', (year,))

    def member_payments(self, year: int) -> list[MemberPaymentsRow]:
        return self._rows(MemberPaymentsRow, "finsam_member_payments", "year = %s", 'org_nr COLLATE "C"', (year,))

    def decision_spending(self, org_nr: str) -> list[DecisionSpendingRow]:
        order = 'meeting COLLATE "C", paragraph, decision'
        return self._rows(DecisionSpendingRow, "finsam_decision_spending", "org_nr = %s", order, (org_nr,))

    def delegation(self, org_nr: str) -> DelegationRegisterRow | None:
        return self._row(DelegationRegisterRow, "finsam_delegation", "org_nr = %s", (org_nr,))

    def per_capsulam(self, org_nr: str) -> PerCapsulamBookRow | None:
        return self._row(PerCapsulamBookRow, "finsam_per_capsulam", "org_nr = %s", (org_nr,))
