"""The views' interface: what a projection writes, whatever keeps the rows.

In the shape of eventsourcing's ``examples/ftsprojection``: the projections compute rows from the
domain (:mod:`~finsam_core.projections.rows`) and hand them to a :class:`Views`; an implementation
stores them. :class:`~finsam_core.projections.postgres.PostgresViews` writes the service's tables
inside the follower's batch transaction (:mod:`~finsam_core.projections.follower`);
:class:`~finsam_core.projections.memory.MemoryViews` keeps them in dictionaries, so the library and
its tests get the same views without a server.

A method replaces what it is given: writing a förbund's row twice keeps the second, writing a
meeting replaces its decisions. Rows are therefore a pure function of the log prefix applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Notification

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

__all__ = ["Projection", "Views"]


class Views(Protocol):
    """Where the projections' rows are kept (see the module's docstring)."""

    def write_forbund(self, rows: Sequence[ForbundRow]) -> None:
        """Insert or replace these förbund's rows."""

    def write_meetings(
        self, rows: Sequence[MeetingRow], decisions: Sequence[DecisionRow], assignments: Sequence[AssignmentRow]
    ) -> None:
        """Insert or replace these meetings' rows, and replace all their decisions and open assignments."""

    def write_network(self, known: Sequence[KnownForbundRow], policies: Sequence[FeePolicyRow]) -> None:
        """Replace the förbund NNS knows and its fee policies."""

    def write_membership(self, org_nr: str, periods: Sequence[MembershipRow]) -> None:
        """Replace the NNS membership periods of the förbund ``org_nr``."""

    def write_roster(self, org_nr: str, rows: Sequence[RosterRow]) -> None:
        """Replace the roster rows of the förbund ``org_nr``."""

    def write_fee(self, org_nr: str, year: int, row: FeeRow | None) -> None:
        """Replace the förbund's fee for ``year`` (``None``: no fee can be computed)."""

    def allocation_years(self) -> list[tuple[str, int]]:
        """(org nr, year) of every allocation in the views."""

    def write_allocation(self, row: AllocationRow) -> None: ...

    def write_annual_report(self, row: AnnualReportRow) -> None: ...

    def write_participants(self, row: ParticipantsRow) -> None: ...

    def budget_status_years(self, org_nr: str, first_year: int) -> set[int]:
        """The years from ``first_year`` on for which the förbund has a budget status row."""

    def write_budget_status(self, row: BudgetStatusRow) -> None: ...

    def write_draft_marks(self, marks: Sequence[DraftMark], adjusted: Iterable[UUID]) -> None:
        """Keep these marks unless their meeting is final; forget the marks of the meetings ``adjusted``."""

    # --- reads: each selects and filters stored rows; text is ordered by code point -------------

    def forbund(self, org_nr: str) -> ForbundRow | None: ...

    def meetings(self, org_nr: str) -> list[MeetingRow]:
        """The förbund's meetings by date and reference."""

    def decisions(self, org_nr: str) -> list[DecisionRow]:
        """The förbund's decision register: by date, meeting, § and order within the §."""

    def open_assignments(self, org_nr: str) -> list[AssignmentRow]:
        """The förbund's assignments not yet reported done: by meeting date, meeting and order."""

    def known_forbund(self) -> list[KnownForbundRow]:
        """Every förbund NNS knows, by org nr."""

    def roster(self, as_of: date) -> list[RosterRow]:
        """The roster on ``as_of``: one row per förbund NNS knows, by name and org nr."""

    def fee_policy(self, year: int) -> FeePolicyRow | None:
        """The fee policy in force in ``year``."""

    def memberships(self, year: int) -> list[MembershipRow]:
        """The membership periods that cover a day of ``year``, by org nr and period."""

    def fees(self, year: int) -> list[FeeRow]:
        """The fees of the year's allocations, by org nr."""

    def allocation(self, org_nr: str, year: int) -> AllocationRow | None: ...

    def budget_status(self, org_nr: str, year: int) -> BudgetStatusRow | None: ...

    def annual_report(self, org_nr: str, year: int) -> AnnualReportRow | None: ...

    def participants(self, year: int) -> list[ParticipantsRow]:
        """The participant figures reported for ``year``, by org nr."""

    def draft_marks(self) -> list[DraftMark]:
        """The marks of events that derive from minutes still in draft, by position and meeting."""

    def write_plan_years(self, org_nr: str, rows: Sequence[PlanYearRow]) -> None:
        """Replace the verksamhetsplan rows (one per governed year) of the förbund ``org_nr``."""

    def plan_year(self, org_nr: str, year: int) -> PlanYearRow | None:
        """The förbund's plan governing ``year``, with the year's follow-up."""

    def plan_years(self, year: int) -> list[PlanYearRow]:
        """Every förbund's plan governing ``year``, by org nr."""

    def write_member_payments(self, row: MemberPaymentsRow) -> None:
        """Insert or replace the förbund's members' payment plans and payments for the row's year."""

    def member_payments(self, year: int) -> list[MemberPaymentsRow]:
        """The members' payments to every förbund's allocation of ``year``, by org nr."""

    def write_decision_spending(self, row: DecisionSpendingRow) -> None:
        """Insert or replace the spending against one decision."""

    def decision_spending(self, org_nr: str) -> list[DecisionSpendingRow]:
        """The förbund's spending against its decisions, by meeting, § and decision."""

    # --- delegation and per capsulam (:mod:`finsam_core.projections.delegation`) -----------------

    def write_delegation(self, row: DelegationRegisterRow) -> None:
        """Insert or replace the förbund's delegation register row."""

    def write_per_capsulam(self, row: PerCapsulamBookRow) -> None:
        """Insert or replace the förbund's per capsulam row."""

    def delegation(self, org_nr: str) -> DelegationRegisterRow | None: ...

    def per_capsulam(self, org_nr: str) -> PerCapsulamBookRow | None: ...


class Projection(Protocol):
    """Something that turns a batch of notifications into view rows, through a :class:`Views`."""

    name: str

    def apply(self, views: Views, notifications: Sequence[Notification]) -> None: ...
