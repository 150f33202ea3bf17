"""The money and membership views: NNS roster and fee policies, allocations, budget status, annual reports,
participant figures.

Applied by :class:`~finsam_core.projections.records.RecordsProjection` in the same batch as the
records views, so a crash leaves all views at the same committed batch. Like the records views, a row
is rebuilt from its aggregate as it stood at the last event of the batch that touched it
(:class:`~finsam_core.projections.batch.BatchAggregates`).

One exception: **budget status** combines a budget with the year's allocation and the opening equity
(carried from the year before or from last year's annual report), so it is computed by the domain's
:func:`~finsam_core.projections.budget_status.budget_status` from those aggregates as the log holds
them now, and recomputed whenever any of them changes. A row may therefore already include an event
the tracking position has not reached; once the follower has caught up it equals a replay from
scratch. The projection reads the aggregates from the log (the event store's repository), never
through the application's commands or queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification

from finsam_core.domain.allocation import Allocation, allocation_id
from finsam_core.domain.annual_report import AnnualReport, annual_report_id
from finsam_core.domain.auditors import AuditorRoster, auditor_roster_id
from finsam_core.domain.budget import Budget, budget_id
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.decision_spending import DecisionSpending
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.interventions import ParticipantFigures
from finsam_core.domain.member_payments import MemberPayments
from finsam_core.domain.network import Network, NetworkMembership, network_id, network_membership_id
from finsam_core.projections.batch import BatchAggregates, EventSource, Touched
from finsam_core.projections.budget_status import budget_status, opening_equity
from finsam_core.projections.discharge_status import discharge_status
from finsam_core.projections.drafts import decided_in
from finsam_core.projections.fee_list import fee_entry
from finsam_core.projections.roster import roster_timeline
from finsam_core.projections.rows import (
    AllocationRow,
    AnnualReportRow,
    BudgetStatusRow,
    ContributionRow,
    DecisionSpendingRow,
    FeePolicyRow,
    FeeRow,
    KnownForbundRow,
    MemberPaymentsRow,
    MembershipRow,
    ParticipantsRow,
    RosterRow,
)
from finsam_core.projections.views import Views
from finsam_core.rules.parameters import parameters_on
from finsam_core.topics import event_of

__all__ = ["FOLLOWED", "MoneyProjection"]

FOLLOWED: tuple[type[Aggregate], ...] = (
    Network,
    NetworkMembership,
    Allocation,
    Budget,
    AnnualReport,
    ParticipantFigures,
    AuditorRoster,
    MemberPayments,
    DecisionSpending,
)
"""The aggregates these views follow."""

A = TypeVar("A", bound=Aggregate)


class MoneyProjection:
    """Rows of the money and membership views for the aggregates a batch touched."""

    def __init__(self, source: EventSource, aggregates: BatchAggregates | None = None) -> None:
        self.source = source
        self.aggregates = aggregates or BatchAggregates(source)

    def apply(self, views: Views, notifications: Sequence[Notification]) -> Touched:
        """Write the rows of the aggregates the batch touched; return those aggregates."""
        touched = self.aggregates.rebuild([n for n in notifications if event_of(n.topic, *FOLLOWED)])
        stale_budgets: dict[str, int] = {}
        """org nr -> the first year whose budget status may have changed (later years carry its equity)."""
        budgets: dict[str, set[int]] = {}
        """org nr -> the years of the budgets this batch touched (perhaps not in the view yet)."""

        network_position: int | None = None
        """The position of the network's last event in the batch, if the batch touched it."""
        rosters: dict[str, int] = {}
        """org nr -> the position of its membership's last event in the batch."""
        fees: dict[tuple[str, int], tuple[Allocation | None, int]] = {}
        """(org nr, year) -> the allocation the batch touched (``None``: load it) and the position."""

        def stale(org_nr: str, year: int) -> None:
            stale_budgets[org_nr] = min(year, stale_budgets.get(org_nr, year))

        for aggregate, position in touched.values():
            if isinstance(aggregate, Network):
                network_position = position
                views.write_network(
                    [KnownForbundRow(org_nr, name, position) for org_nr, name in aggregate.known.items()],
                    [
                        FeePolicyRow(p.effective_year, until, p.per_mille, p.cap, p.decided_by, position)
                        for p, until in aggregate.policies_in_force()
                    ],
                )
            elif isinstance(aggregate, NetworkMembership):
                views.write_membership(aggregate.org_nr, _membership_rows(aggregate, position))
                rosters[aggregate.org_nr] = position
            elif isinstance(aggregate, Allocation):
                views.write_allocation(_allocation_row(aggregate, position))
                fees[(aggregate.org_nr, aggregate.year)] = (aggregate, position)
                stale(aggregate.org_nr, aggregate.year)
            elif isinstance(aggregate, Budget):
                stale(aggregate.org_nr, aggregate.year)
                budgets.setdefault(aggregate.org_nr, set()).add(aggregate.year)
            elif isinstance(aggregate, AnnualReport):
                roster = self._find(auditor_roster_id(aggregate.forbund_id), AuditorRoster)
                views.write_annual_report(_annual_report_row(aggregate, roster, position))
                stale(aggregate.org_nr, aggregate.year + 1)
            elif isinstance(aggregate, AuditorRoster):
                # The auditors appear on the annual report rows of the years they serve.
                years = {y for a in aggregate.appointments for y in range(a.starts_on.year, a.ends_on.year + 1)}
                for year in sorted(years):
                    report = self._find(annual_report_id(aggregate.forbund_id, year), AnnualReport)
                    if report is not None:
                        views.write_annual_report(_annual_report_row(report, aggregate, position))
            elif isinstance(aggregate, ParticipantFigures) and aggregate.counts is not None:
                views.write_participants(
                    ParticipantsRow(aggregate.org_nr, aggregate.year, aggregate.counts, position, aggregate.breakdowns)
                )
            elif isinstance(aggregate, DecisionSpending):
                views.write_decision_spending(
                    DecisionSpendingRow(
                        aggregate.org_nr,
                        aggregate.meeting,
                        aggregate.paragraph,
                        aggregate.decision,
                        tuple(aggregate.spending),
                        position,
                    )
                )
            elif isinstance(aggregate, MemberPayments):
                views.write_member_payments(
                    MemberPaymentsRow(
                        aggregate.org_nr,
                        aggregate.year,
                        tuple(aggregate.schedules[key] for key in sorted(aggregate.schedules)),
                        tuple(aggregate.payments),
                        position,
                    )
                )
        if network_position is not None or rosters or fees:
            self._network_rows(views, network_position, rosters, fees)
        if stale_budgets:
            position = max(n.id for n in notifications)
            for org_nr, first_year in stale_budgets.items():
                years = views.budget_status_years(org_nr, first_year) | budgets.get(org_nr, set())
                for year in sorted(years):
                    row = self._budget_status(org_nr, year, position)
                    if row is not None:
                        views.write_budget_status(row)
        return touched

    def _network_rows(
        self,
        views: Views,
        network_position: int | None,
        rosters: dict[str, int],
        fees: dict[tuple[str, int], tuple[Allocation | None, int]],
    ) -> None:
        """The roster rows and fees that depend on the network (its förbund, its fee policies) and on the
        memberships and allocations the batch touched; all of them when the network changed."""
        network = self._find(network_id(), Network)
        if network is None:
            return
        if network_position is not None:
            rosters = {org_nr: network_position for org_nr in network.known} | rosters
            for key in views.allocation_years():
                fees.setdefault(key, (None, network_position))
        for org_nr, position in rosters.items():
            name = network.known.get(org_nr)
            if name is None:  # Not known to the network: not on its roster.
                views.write_roster(org_nr, [])
                continue
            membership = self._find(network_membership_id(org_nr), NetworkMembership)
            views.write_roster(org_nr, _roster_rows(org_nr, name, membership, position))
        for (org_nr, year), (touched, position) in fees.items():
            allocation = touched or self._find(allocation_id(forbund_id(org_nr), year), Allocation)
            views.write_fee(org_nr, year, None if allocation is None else _fee_row(network, allocation, position))

    def _find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        """The aggregate as the log holds it now, or ``None`` when it is not recorded."""
        try:
            found: Aggregate = self.source.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, cls) else None

    def _budget_status(self, org_nr: str, year: int, position: int) -> BudgetStatusRow | None:
        """The status of the förbund's budget for ``year`` (``None``: no budget adopted for it yet)."""
        assoc_id = forbund_id(org_nr)
        budget = self._find(budget_id(assoc_id, year), Budget)
        if budget is None:
            return None
        allocation = self._find(allocation_id(assoc_id, year), Allocation)
        report_before = self._find(annual_report_id(assoc_id, year - 1), AnnualReport)
        status = budget_status(
            budget,
            months=None,
            opening_equity=opening_equity(
                budget,
                lambda y: self._find(budget_id(assoc_id, y), Budget),
                lambda y: report_before if y == year - 1 else self._find(annual_report_id(assoc_id, y), AnnualReport),
            ),
            allocation=None if allocation is None else allocation.total,
            params=parameters_on(date(year, 1, 1)),
        )
        # The meetings the status derives from: the budget's versions, the year's allocation, and the
        # annual report of the year before (its equity may open the year).
        refs: list[DecisionRef | None] = [version.authorised_by for version in budget.versions]
        if allocation is not None:
            refs.extend(version.authorised_by for version in allocation.versions)
        if report_before is not None:
            refs.append(report_before.authorised_by)
        return BudgetStatusRow(org_nr, year, status, tuple(decided_in(budget.forbund_id, refs)), position)


def _membership_rows(membership: NetworkMembership, position: int) -> list[MembershipRow]:
    return [
        MembershipRow(
            membership.org_nr, index, membership.name, p.joined_on, p.notice_received, p.last_day, *p.years, position
        )
        for index, p in enumerate(membership.periods)
    ]


def _roster_rows(org_nr: str, name: str, membership: NetworkMembership | None, position: int) -> list[RosterRow]:
    return [
        RosterRow(
            org_nr,
            name,
            valid_from,
            valid_until,
            entry.member,
            entry.joined_on,
            entry.withdrawal_notice,
            entry.leaves_after,
            position,
        )
        for valid_from, valid_until, entry in roster_timeline(org_nr, name, membership)
    ]


def _fee_row(network: Network, allocation: Allocation, position: int) -> FeeRow | None:
    """The fee for the allocation's year under the policy in force then (``None``: no policy in force)."""
    policy = network.policy_for(allocation.year)
    if policy is None:
        return None
    entry = fee_entry(allocation.org_nr, "", allocation.total, policy)
    assert entry.fee is not None  # An allocation is known, so the fee is.
    decisions = tuple(decided_in(allocation.forbund_id, [v.authorised_by for v in allocation.versions]))
    return FeeRow(
        allocation.org_nr,
        allocation.year,
        allocation.total,
        policy.per_mille,
        policy.cap,
        entry.fee,
        entry.capped,
        decisions,
        position,
    )


def _allocation_row(allocation: Allocation, position: int) -> AllocationRow:
    contributions = tuple(
        ContributionRow(c.member_key, c.member_name, c.kind.value, c.amount) for c in allocation.current.contributions
    )
    decisions = tuple(decided_in(allocation.forbund_id, [v.authorised_by for v in allocation.versions]))
    return AllocationRow(allocation.org_nr, allocation.year, allocation.total, contributions, decisions, position)


def _annual_report_row(report: AnnualReport, roster: AuditorRoster | None, position: int) -> AnnualReportRow:
    auditors = () if roster is None else roster.serving_during(report.year)
    return AnnualReportRow(
        report.org_nr,
        report.year,
        report.figures.result,
        report.figures.equity_at_year_end,
        discharge_status(report, auditors),
        tuple(decided_in(report.forbund_id, [report.authorised_by])),
        position,
    )
