"""The views in PostgreSQL: :class:`PostgresViews` writes the projections' rows through one cursor.

The follower (:mod:`~finsam_core.projections.follower`) makes one per batch, on the cursor of the
batch's transaction, so the rows and the tracking position commit together. Each writer takes every
row a batch produced and writes them in a few statements, whatever their number: the rows travel as
one JSON array (msgspec encodes it in one call) that PostgreSQL unpacks with
``jsonb_populate_recordset``. A NUL in any text is shown as U+FFFD
(:func:`~finsam_core.projections.view_text.view_json`). The tables: :mod:`.postgres_schema`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import psycopg
from msgspec.structs import astuple

from finsam_core.projections.delegation import DelegationRegisterRow, PerCapsulamBookRow
from finsam_core.projections.plan_rows import PlanYearRow
from finsam_core.projections.postgres_reads import PostgresReads
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
    MeetingKey,
    MeetingRow,
    MemberPaymentsRow,
    MembershipRow,
    ParticipantsRow,
    RosterRow,
)
from finsam_core.projections.view_text import view_json

__all__ = ["PostgresViews"]

_FORBUND = "org_nr, name, founded_on, members, position, board, offices"
_UPSERT_FORBUND = (
    f"INSERT INTO finsam_forbund ({_FORBUND}) "
    f"SELECT {_FORBUND} FROM jsonb_populate_recordset(NULL::finsam_forbund, %s::jsonb) "
    "ON CONFLICT (org_nr) DO UPDATE SET name = excluded.name, founded_on = excluded.founded_on, "
    "members = excluded.members, position = excluded.position, board = excluded.board, offices = excluded.offices"
)
_MEETINGS = "org_nr, reference, meeting_id, held_on, place, final, adjusted_on, minutes, minutes_text, position, sheet"
_UPSERT_MEETINGS = (
    f"INSERT INTO finsam_meetings ({_MEETINGS}) "
    f"SELECT {_MEETINGS} FROM jsonb_populate_recordset(NULL::finsam_meetings, %s::jsonb) "
    "ON CONFLICT (org_nr, reference) DO UPDATE SET meeting_id = excluded.meeting_id, held_on = excluded.held_on, "
    "place = excluded.place, "
    "final = excluded.final, adjusted_on = excluded.adjusted_on, minutes = excluded.minutes, "
    "minutes_text = excluded.minutes_text, position = excluded.position, sheet = excluded.sheet"
)
_DELETE_DECISIONS = (
    "DELETE FROM finsam_decisions AS d USING jsonb_to_recordset(%s::jsonb) AS m (org_nr text, meeting text) "
    "WHERE d.org_nr = m.org_nr AND d.meeting = m.meeting"
)
_DECISIONS = (
    "org_nr, meeting, held_on, paragraph, seq, title, clauses, matter, yes, no, abstain, outcome, reservations, "
    "final, search, amount, period"
)
_INSERT_DECISIONS = (
    f"INSERT INTO finsam_decisions ({_DECISIONS}) "
    f"SELECT {_DECISIONS} FROM jsonb_populate_recordset(NULL::finsam_decisions, %s::jsonb)"
)
_DELETE_ASSIGNMENTS = _DELETE_DECISIONS.replace("finsam_decisions", "finsam_assignments")
_ASSIGNMENTS = "org_nr, meeting, held_on, paragraph, seq, assignee, task, due_on, final"
_INSERT_ASSIGNMENTS = (
    f"INSERT INTO finsam_assignments ({_ASSIGNMENTS}) "
    f"SELECT {_ASSIGNMENTS} FROM jsonb_populate_recordset(NULL::finsam_assignments, %s::jsonb)"
)


class PostgresViews(PostgresReads):
    """The :class:`~finsam_core.projections.views.Views` kept in PostgreSQL, written and read through
    ``cursor`` (the reads: :class:`~finsam_core.projections.postgres_reads.PostgresReads`)."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.cursor = cursor

    def write_forbund(self, rows: Sequence[ForbundRow]) -> None:
        if rows:
            self.cursor.execute(_UPSERT_FORBUND, (view_json(list(rows)),))

    def write_meetings(
        self, rows: Sequence[MeetingRow], decisions: Sequence[DecisionRow], assignments: Sequence[AssignmentRow]
    ) -> None:
        if not rows:
            return
        self.cursor.execute(_UPSERT_MEETINGS, (view_json(list(rows)),))
        keys = view_json([MeetingKey(row.org_nr, row.reference) for row in rows])
        self.cursor.execute(_DELETE_DECISIONS, (keys,))
        if decisions:
            self.cursor.execute(_INSERT_DECISIONS, (view_json(list(decisions)),))
        self.cursor.execute(_DELETE_ASSIGNMENTS, (keys,))
        if assignments:
            self.cursor.execute(_INSERT_ASSIGNMENTS, (view_json(list(assignments)),))

    def write_network(self, known: Sequence[KnownForbundRow], policies: Sequence[FeePolicyRow]) -> None:
        self.cursor.execute("DELETE FROM finsam_nns_forbund")
        if known:
            self.cursor.executemany(
                "INSERT INTO finsam_nns_forbund (org_nr, name, position) VALUES (%s, %s, %s)",
                [(k.org_nr, k.name, k.position) for k in known],
            )
        self.cursor.execute("DELETE FROM finsam_nns_fee_policies")
        if policies:
            self.cursor.executemany(
                "INSERT INTO finsam_nns_fee_policies (effective_year, until_year, per_mille, cap, decided_by, "
                "position) VALUES (%s, %s, %s, %s, %s, %s)",
                [astuple(p) for p in policies],
            )

    def write_membership(self, org_nr: str, periods: Sequence[MembershipRow]) -> None:
        self.cursor.execute("DELETE FROM finsam_nns_memberships WHERE org_nr = %s", (org_nr,))
        self.cursor.executemany(
            "INSERT INTO finsam_nns_memberships (org_nr, period, name, joined_on, notice_received, last_day, "
            "first_year, last_year, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [astuple(p) for p in periods],
        )

    def write_roster(self, org_nr: str, rows: Sequence[RosterRow]) -> None:
        self.cursor.execute("DELETE FROM finsam_nns_roster WHERE org_nr = %s", (org_nr,))
        self.cursor.executemany(
            "INSERT INTO finsam_nns_roster (org_nr, name, valid_from, valid_until, member, joined_on, "
            "withdrawal_notice, leaves_after, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [astuple(r) for r in rows],
        )

    def write_fee(self, org_nr: str, year: int, row: FeeRow | None) -> None:
        if row is None:
            self.cursor.execute("DELETE FROM finsam_nns_fees WHERE org_nr = %s AND year = %s", (org_nr, year))
            return
        self.cursor.execute(
            "INSERT INTO finsam_nns_fees (org_nr, year, allocation, per_mille, cap, fee, capped, decided_in, position) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET "
            "allocation = excluded.allocation, per_mille = excluded.per_mille, cap = excluded.cap, "
            "fee = excluded.fee, capped = excluded.capped, decided_in = excluded.decided_in, "
            "position = excluded.position",
            (*astuple(row)[:7], view_json(row.decided_in), row.position),
        )

    def allocation_years(self) -> list[tuple[str, int]]:
        rows = self.cursor.execute("SELECT org_nr, year FROM finsam_allocations ORDER BY org_nr, year").fetchall()
        return [(str(r[0]), int(r[1])) for r in rows]

    def write_allocation(self, row: AllocationRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_allocations (org_nr, year, total, contributions, decided_in, position) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET total = excluded.total, "
            "contributions = excluded.contributions, decided_in = excluded.decided_in, position = excluded.position",
            (row.org_nr, row.year, row.total, view_json(row.contributions), view_json(row.decided_in), row.position),
        )

    def write_annual_report(self, row: AnnualReportRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_annual_reports (org_nr, year, result, equity_at_year_end, discharge, decided_in, "
            "position) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET "
            "result = excluded.result, equity_at_year_end = excluded.equity_at_year_end, "
            "discharge = excluded.discharge, decided_in = excluded.decided_in, position = excluded.position",
            (
                row.org_nr,
                row.year,
                row.result,
                row.equity_at_year_end,
                view_json(row.discharge),
                view_json(row.decided_in),
                row.position,
            ),
        )

    def write_participants(self, row: ParticipantsRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_participants (org_nr, year, counts, position, breakdowns) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET counts = excluded.counts, "
            "position = excluded.position, breakdowns = excluded.breakdowns",
            (row.org_nr, row.year, view_json(row.counts), row.position, view_json(row.breakdowns)),
        )

    def budget_status_years(self, org_nr: str, first_year: int) -> set[int]:
        rows = self.cursor.execute(
            "SELECT year FROM finsam_budget_status WHERE org_nr = %s AND year >= %s", (org_nr, first_year)
        ).fetchall()
        return {int(r[0]) for r in rows}

    def write_budget_status(self, row: BudgetStatusRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_budget_status (org_nr, year, status, decided_in, position) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET status = excluded.status, "
            "decided_in = excluded.decided_in, position = excluded.position",
            (row.org_nr, row.year, view_json(row.status), view_json(row.decided_in), row.position),
        )

    def write_draft_marks(self, marks: Sequence[DraftMark], adjusted: Iterable[UUID]) -> None:
        """Minutes never return to draft once adjusted (the domain refuses every change to them), so a
        mark can be dropped for good; the table holds only the marks of meetings still in draft."""
        if marks:
            self.cursor.execute(
                "INSERT INTO finsam_draft_events (position, stream, meeting_id) "
                "SELECT r.position, r.stream, r.meeting_id "
                "FROM jsonb_to_recordset(%s::jsonb) AS r (position bigint, stream uuid, meeting_id uuid) "
                "WHERE NOT EXISTS (SELECT 1 FROM finsam_meetings m WHERE m.meeting_id = r.meeting_id AND m.final) "
                "ON CONFLICT DO NOTHING",
                (view_json(list(marks)),),
            )
        done = [str(meeting) for meeting in adjusted]
        if done:
            self.cursor.execute("DELETE FROM finsam_draft_events WHERE meeting_id = ANY(%s::uuid[])", (done,))

    def write_plan_years(self, org_nr: str, rows: Sequence[PlanYearRow]) -> None:
        self.cursor.execute("DELETE FROM finsam_plan_years WHERE org_nr = %s", (org_nr,))
        if rows:
            self.cursor.execute(
                "INSERT INTO finsam_plan_years (org_nr, year, plan, decided_in, position) "
                "SELECT org_nr, year, plan, decided_in, position "
                "FROM jsonb_populate_recordset(NULL::finsam_plan_years, %s::jsonb)",
                (view_json(list(rows)),),
            )

    def write_member_payments(self, row: MemberPaymentsRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_member_payments (org_nr, year, schedules, payments, position) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET schedules = excluded.schedules, "
            "payments = excluded.payments, position = excluded.position",
            (row.org_nr, row.year, view_json(row.schedules), view_json(row.payments), row.position),
        )

    def write_decision_spending(self, row: DecisionSpendingRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_decision_spending (org_nr, meeting, paragraph, decision, spending, position) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (org_nr, meeting, paragraph, decision) DO UPDATE SET "
            "spending = excluded.spending, position = excluded.position",
            (row.org_nr, row.meeting, row.paragraph, row.decision, view_json(row.spending), row.position),
        )

    # --- delegation and per capsulam -----------------------------------------------------------

    def write_delegation(self, row: DelegationRegisterRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_delegation (org_nr, orders, decisions, position) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (org_nr) DO UPDATE SET orders = excluded.orders, decisions = excluded.decisions, "
            "position = excluded.position",
            (row.org_nr, view_json(row.orders), view_json(row.decisions), row.position),
        )

    def write_per_capsulam(self, row: PerCapsulamBookRow) -> None:
        self.cursor.execute(
            "INSERT INTO finsam_per_capsulam (org_nr, proposals, position) VALUES (%s, %s, %s) "
            "ON CONFLICT (org_nr) DO UPDATE SET proposals = excluded.proposals, position = excluded.position",
            (row.org_nr, view_json(row.proposals), row.position),
        )
