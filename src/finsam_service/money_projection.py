"""The money and membership views: NNS roster and fee policies, allocations, budget status, annual reports,
participant figures.

Applied by :class:`finsam_service.projection.RecordsProjection` inside the same batch transaction as the
records views and the tracking position, so a crash leaves all views at the same committed batch.

Like the records views, a row is rebuilt from its aggregate as it stood at the last event of the batch
that touched it (:class:`~finsam_service.batch_aggregates.BatchAggregates`). One exception: **budget status** combines a
budget with the year's allocation and the opening equity (carried from the year before or from last
year's annual report), so it is computed by the application's ``budget_status`` from the current state
of those aggregates, and recomputed whenever any of them changes. A row may therefore already include
an event the tracking position has not reached; once the worker has caught up it equals a replay from
scratch. Fees and the network summary are not stored: the handlers compute them from these rows with the
library's rules (``finsam_core.projections.fee_list``), so the fee rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

import psycopg
from eventsourcing.persistence import Notification

from finsam_core.application import Finsam
from finsam_core.domain.allocation import Allocation
from finsam_core.domain.annual_report import AnnualReport
from finsam_core.domain.budget import Budget
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.interventions import ParticipantFigures
from finsam_core.domain.network import Network, NetworkMembership
from finsam_core.errors import FinsamError
from finsam_core.projections.discharge_status import discharge_status
from finsam_service.batch_aggregates import BatchAggregates, Touched
from finsam_service.drafts import decided_in
from finsam_service.view_text import view_json

__all__ = ["MONEY_SCHEMA", "MONEY_TOPICS", "MoneyProjection"]

MONEY_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_nns_forbund (
    org_nr text PRIMARY KEY,
    name text NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_nns_fee_policies (
    effective_year integer PRIMARY KEY,
    per_mille numeric NOT NULL,
    cap numeric,
    decided_by text NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_nns_memberships (
    org_nr text NOT NULL,
    period integer NOT NULL,
    name text NOT NULL,
    joined_on date NOT NULL,
    notice_received date,
    last_day date,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, period)
);
CREATE TABLE IF NOT EXISTS finsam_allocations (
    org_nr text NOT NULL,
    year integer NOT NULL,
    total numeric NOT NULL,
    contributions jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_budget_status (
    org_nr text NOT NULL,
    year integer NOT NULL,
    status jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_annual_reports (
    org_nr text NOT NULL,
    year integer NOT NULL,
    result numeric NOT NULL,
    equity_at_year_end numeric NOT NULL,
    discharge jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_participants (
    org_nr text NOT NULL,
    year integer NOT NULL,
    counts jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
"""

_CLASSES: dict[str, type[Any]] = {
    "finsam_core.domain.network:Network.": Network,
    "finsam_core.domain.network:NetworkMembership.": NetworkMembership,
    "finsam_core.domain.allocation:Allocation.": Allocation,
    "finsam_core.domain.budget:Budget.": Budget,
    "finsam_core.domain.annual_report:AnnualReport.": AnnualReport,
    "finsam_core.domain.interventions:ParticipantFigures.": ParticipantFigures,
}
MONEY_TOPICS = tuple(_CLASSES)
"""Topic prefixes of the aggregates these views follow."""


class MoneyProjection:
    """Rows of the money and membership views for the aggregates a batch touched."""

    def __init__(self, app: Finsam, aggregates: BatchAggregates | None = None) -> None:
        self.app = app
        self.aggregates = aggregates or BatchAggregates(app)

    def apply(self, cursor: psycopg.Cursor[Any], notifications: Sequence[Notification]) -> Touched:
        """Write the rows of the aggregates the batch touched; return those aggregates."""
        touched = self.aggregates.rebuild([n for n in notifications if n.topic.startswith(MONEY_TOPICS)])
        stale_budgets: dict[str, int] = {}
        """org nr -> the first year whose budget status may have changed (later years carry its equity)."""
        budgets: dict[str, set[int]] = {}
        """org nr -> the years of the budgets this batch touched (perhaps not in the view yet)."""

        def stale(org_nr: str, year: int) -> None:
            stale_budgets[org_nr] = min(year, stale_budgets.get(org_nr, year))

        for aggregate, position in touched.values():
            if isinstance(aggregate, Network):
                self._network(cursor, aggregate, position)
            elif isinstance(aggregate, NetworkMembership):
                self._membership(cursor, aggregate, position)
            elif isinstance(aggregate, Allocation):
                self._allocation(cursor, aggregate, position)
                stale(aggregate.org_nr, aggregate.year)
            elif isinstance(aggregate, Budget):
                stale(aggregate.org_nr, aggregate.year)
                budgets.setdefault(aggregate.org_nr, set()).add(aggregate.year)
            elif isinstance(aggregate, AnnualReport):
                self._annual_report(cursor, aggregate, position)
                stale(aggregate.org_nr, aggregate.year + 1)
            elif isinstance(aggregate, ParticipantFigures):
                self._participants(cursor, aggregate, position)
        if stale_budgets:
            self._budget_status(cursor, stale_budgets, budgets, max(n.id for n in notifications))
        return touched

    @staticmethod
    def _network(cursor: psycopg.Cursor[Any], network: Network, position: int) -> None:
        cursor.execute("DELETE FROM finsam_nns_forbund")
        if network.known:
            cursor.executemany(
                "INSERT INTO finsam_nns_forbund (org_nr, name, position) VALUES (%s, %s, %s)",
                [(org_nr, name, position) for org_nr, name in network.known.items()],
            )
        cursor.execute("DELETE FROM finsam_nns_fee_policies")
        if network.policies:
            cursor.executemany(
                "INSERT INTO finsam_nns_fee_policies (effective_year, per_mille, cap, decided_by, position) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(p.effective_year, p.per_mille, p.cap, p.decided_by, position) for p in network.policies],
            )

    @staticmethod
    def _membership(cursor: psycopg.Cursor[Any], membership: NetworkMembership, position: int) -> None:
        cursor.execute("DELETE FROM finsam_nns_memberships WHERE org_nr = %s", (membership.org_nr,))
        cursor.executemany(
            "INSERT INTO finsam_nns_memberships (org_nr, period, name, joined_on, notice_received, last_day, "
            "position) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                (membership.org_nr, index, membership.name, p.joined_on, p.notice_received, p.last_day, position)
                for index, p in enumerate(membership.periods)
            ],
        )

    @staticmethod
    def _allocation(cursor: psycopg.Cursor[Any], allocation: Allocation, position: int) -> None:
        contributions = [
            {"member_key": c.member_key, "member_name": c.member_name, "kind": c.kind.value, "amount": c.amount}
            for c in allocation.current.contributions
        ]
        decisions = decided_in(allocation.association_id, [v.authorised_by for v in allocation.versions])
        cursor.execute(
            "INSERT INTO finsam_allocations (org_nr, year, total, contributions, decided_in, position) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET total = excluded.total, "
            "contributions = excluded.contributions, decided_in = excluded.decided_in, position = excluded.position",
            (
                allocation.org_nr,
                allocation.year,
                allocation.total,
                view_json(contributions),
                view_json(decisions),
                position,
            ),
        )

    @staticmethod
    def _annual_report(cursor: psycopg.Cursor[Any], report: AnnualReport, position: int) -> None:
        cursor.execute(
            "INSERT INTO finsam_annual_reports (org_nr, year, result, equity_at_year_end, discharge, decided_in, "
            "position) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET "
            "result = excluded.result, equity_at_year_end = excluded.equity_at_year_end, "
            "discharge = excluded.discharge, decided_in = excluded.decided_in, position = excluded.position",
            (
                report.org_nr,
                report.year,
                report.figures.result,
                report.figures.equity_at_year_end,
                view_json(discharge_status(report)),
                view_json(decided_in(report.association_id, [report.authorised_by])),
                position,
            ),
        )

    @staticmethod
    def _participants(cursor: psycopg.Cursor[Any], figures: ParticipantFigures, position: int) -> None:
        if figures.counts is None:
            return
        cursor.execute(
            "INSERT INTO finsam_participants (org_nr, year, counts, position) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (org_nr, year) DO UPDATE SET counts = excluded.counts, position = excluded.position",
            (figures.org_nr, figures.year, view_json(figures.counts), position),
        )

    def _budget_status(
        self, cursor: psycopg.Cursor[Any], stale: dict[str, int], touched: dict[str, set[int]], position: int
    ) -> None:
        """Recompute the status of every budget of the förbund from the first stale year on."""
        for org_nr, first_year in stale.items():
            rows = cursor.execute(
                "SELECT year FROM finsam_budget_status WHERE org_nr = %s AND year >= %s", (org_nr, first_year)
            ).fetchall()
            years = {int(r[0]) for r in rows}
            years |= touched.get(org_nr, set())
            for year in sorted(years):
                try:
                    status = self.app.budget_status(org_nr, year)
                except FinsamError:  # No budget adopted for that year (yet).
                    continue
                cursor.execute(
                    "INSERT INTO finsam_budget_status (org_nr, year, status, decided_in, position) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (org_nr, year) DO UPDATE SET status = excluded.status, "
                    "decided_in = excluded.decided_in, position = excluded.position",
                    (org_nr, year, view_json(status), view_json(self._budget_decisions(org_nr, year)), position),
                )

    def _budget_decisions(self, org_nr: str, year: int) -> list[str]:
        """The meetings the status derives from: the budget's versions, the year's allocation, and the
        annual report of the year before (its equity may open the year)."""
        budget = self.app.budget(org_nr, year)
        refs: list[DecisionRef | None] = [version.authorised_by for version in budget.versions]
        with suppress(FinsamError):  # No allocation recorded for the year.
            refs.extend(version.authorised_by for version in self.app.allocation(org_nr, year).versions)
        with suppress(FinsamError):  # No annual report for the year before.
            refs.append(self.app.annual_report(org_nr, year - 1).authorised_by)
        return decided_in(budget.association_id, refs)
