"""Money: the yearly allocation, the budget and its follow-up, the annual report and discharge.

The rules live in the aggregates (``finsam_core.domain``) and in ``finsam_core.rules``; the methods
here load, call and stage, and compute what needs more than one aggregate (a date from the rules,
a check against the förbund's members or minutes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from finsam_core.application.base import command
from finsam_core.application.governance import GovernanceCommands
from finsam_core.domain.allocation import Allocation, allocation_id, contributions_from
from finsam_core.domain.annual_report import AnnualReport, ReportFigures, annual_report_id
from finsam_core.domain.budget import Budget, BudgetLine, IncomeLine, budget_id
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.forbund import Forbund, forbund_id
from finsam_core.errors import InvalidInput, MoneyRuleViolation
from finsam_core.projections.budget_status import BudgetStatus, budget_status, opening_equity
from finsam_core.rules import calendar
from finsam_core.rules.money import budget_is_late
from finsam_core.rules.parameters import parameters_on
from finsam_core.values import money, today_or, validate_org_nr

__all__ = ["MoneyCommands", "kronor"]


def kronor(value: Decimal | int | str, what: str) -> Decimal:
    """``value`` as exact kronor; an invalid one is refused with ``what`` named in the sentence."""
    try:
        return money(value)
    except InvalidInput as exc:
        raise InvalidInput(f"{what}: {exc}") from None


class MoneyCommands(GovernanceCommands):
    """Commands and reads of a förbund's money: allocation, budget, annual report and discharge."""

    # --- allocation ----------------------------------------------------------------------

    @command
    def record_allocation(
        self,
        org_nr: str,
        year: int,
        contributions: Mapping[str, Decimal | int | str],
        *,
        total: Decimal | int | str | None = None,
        kommun_key: Mapping[str, Decimal | int | str] | None = None,
        deviation_reason: str | None = None,
        recorded_on: date | None = None,
        authorised_by: DecisionRef | None = None,
    ) -> Decimal:
        """Record (or revise) the year's allocation, member key -> kronor; returns the total.

        Checked against the statutory split (state 50 %, regions 25 %, kommuner 25 % by
        ``kommun_key``, or by the charter's key when none is given); a departure is refused unless
        ``deviation_reason`` says why.
        """
        forbund = self.forbund(org_nr)
        recorded_on = today_or(recorded_on)
        amounts = {key: kronor(value, f"Bidraget från {key}") for key, value in contributions.items()}
        members = [
            m.member
            for m in forbund.memberships
            if m.joined_on <= date(year, 12, 31) and (m.leaves_on is None or m.leaves_on > date(year, 1, 1))
        ]
        stated = None if total is None else kronor(total, "Totalen")
        checked = contributions_from(amounts, members, stated)
        if kommun_key is None:
            key = forbund.charter_on(date(year, 1, 1)).kommun_weights()
        else:
            key = {k: kronor(v, f"Nyckeln för {k}") for k, v in kommun_key.items()}
        params = parameters_on(date(year, 1, 1))
        allocation = self._find(allocation_id(forbund.id, year), Allocation)
        if allocation is not None:
            allocation.revise(checked, recorded_on, params, key, deviation_reason, authorised_by)
        else:
            allocation = Allocation.record(
                forbund_id=forbund.id,
                org_nr=forbund.org_nr,
                year=year,
                contributions=checked,
                recorded_on=recorded_on,
                params=params,
                kommun_key=key,
                deviation_reason=deviation_reason,
                authorised_by=authorised_by,
            )
        self._stage(allocation)
        return allocation.total

    def allocation(self, org_nr: str, year: int) -> Allocation:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            allocation_id(forbund_id(org_nr), year),
            Allocation,
            f"Ingen tilldelning för {year} är registrerad för förbundet {org_nr}.",
        )

    def _allocation_total(self, org_nr: str, year: int) -> Decimal | None:
        allocation = self._find(allocation_id(forbund_id(org_nr), year), Allocation)
        return None if allocation is None else allocation.total

    # --- budget --------------------------------------------------------------------------

    def _budget_decision(self, forbund: Forbund, ref: DecisionRef) -> date:
        """The day of the board decision ``ref`` points at; it must be in the förbund's minutes."""
        if ref.meeting is None or ref.paragraph is None:
            raise MoneyRuleViolation(
                "Budgeten antas och revideras genom ett beslut av förbundets styrelse: hänvisa till "
                "sammanträdet och paragrafen (till exempel 2023-5 § 54)."
            )
        self._check_decision(forbund, ref)
        return self.meeting(forbund.org_nr, ref.meeting).held_on

    @command
    def adopt_budget(
        self,
        org_nr: str,
        year: int,
        lines: Sequence[BudgetLine],
        income: Sequence[IncomeLine],
        authorised_by: DecisionRef,
        *,
        total: Decimal | int | str | None = None,
        planned_result: Decimal | int | str | None = None,
        surplus_used: Decimal | int | str = 0,
    ) -> tuple[str, ...]:
        """Adopt the budget for ``year`` by the board decision ``authorised_by``; returns warnings.

        Adoption after the deadline (30 November of the year before) is recorded with a warning.
        """
        forbund = self.forbund(org_nr)
        aggregate_id = budget_id(forbund.id, year)
        if self._has(aggregate_id):
            raise MoneyRuleViolation(f"Budgeten för {year} är redan antagen; en ändring registreras som en revidering.")
        decided_on = self._budget_decision(forbund, authorised_by)
        params = parameters_on(date(year - 1, 1, 1))
        late = budget_is_late(decided_on, year, params)
        budget = Budget.adopt(
            forbund_id=forbund.id,
            org_nr=forbund.org_nr,
            year=year,
            lines=lines,
            income=income,
            decided_on=decided_on,
            authorised_by=authorised_by,
            late=late,
            stated_total=None if total is None else kronor(total, "Totalen"),
            planned_result=None if planned_result is None else kronor(planned_result, "Resultatet"),
            surplus_used=kronor(surplus_used, "Utnyttjat överskott"),
        )
        self._stage(budget)
        if late:
            return (
                f"Budgeten för {year} antogs {decided_on.isoformat()}, efter sista dag "
                f"{year - 1}-{params.budget_deadline_month:02d}-{params.budget_deadline_day:02d}.",
            )
        return ()

    @command
    def revise_budget(
        self,
        org_nr: str,
        year: int,
        lines: Sequence[BudgetLine],
        income: Sequence[IncomeLine],
        authorised_by: DecisionRef,
        *,
        total: Decimal | int | str | None = None,
        planned_result: Decimal | int | str | None = None,
        surplus_used: Decimal | int | str = 0,
    ) -> int:
        """Revise an adopted budget by a later decision; returns the revision number (1, 2, ...)."""
        forbund = self.forbund(org_nr)
        budget = self._adopted_budget(forbund.id, forbund.org_nr, year)
        decided_on = self._budget_decision(forbund, authorised_by)
        budget.revise(
            lines=lines,
            income=income,
            decided_on=decided_on,
            authorised_by=authorised_by,
            stated_total=None if total is None else kronor(total, "Totalen"),
            planned_result=None if planned_result is None else kronor(planned_result, "Resultatet"),
            surplus_used=kronor(surplus_used, "Utnyttjat överskott"),
        )
        self._stage(budget)
        return budget.current.revision

    def _adopted_budget(self, assoc_id: UUID, org_nr: str, year: int) -> Budget:
        budget = self._find(budget_id(assoc_id, year), Budget)
        if budget is None:
            raise MoneyRuleViolation(
                f"Budgeten för {year} är inte antagen för förbundet {org_nr}; den måste antas "
                "genom ett styrelsebeslut innan den kan revideras eller följas upp."
            )
        return budget

    def budget(self, org_nr: str, year: int) -> Budget:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            budget_id(forbund_id(org_nr), year),
            Budget,
            f"Ingen budget för {year} är antagen för förbundet {org_nr}.",
        )

    @command
    def record_outcome(self, org_nr: str, year: int, month: date, amounts: Mapping[str, Decimal | int | str]) -> None:
        """The month's outcome per budget line (line key -> kronor), all lines in one write."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(forbund_id(org_nr), org_nr, year)
        for key, value in amounts.items():
            budget.record_outcome(month, key, kronor(value, f"Utfallet för {key}"))
        self._stage(budget)

    @command
    def record_forecast(
        self, org_nr: str, year: int, deviations: Mapping[str, Decimal | int | str], made_on: date
    ) -> None:
        """Forecast each line's whole-year deviation from its budget (negative: costs more)."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(forbund_id(org_nr), org_nr, year)
        for key, value in deviations.items():
            budget.forecast(key, kronor(value, f"Prognosen för {key}"), made_on)
        self._stage(budget)

    @command
    def record_opening_equity(self, org_nr: str, year: int, amount: Decimal | int | str) -> None:
        """Equity at the start of ``year`` (when it is not carried forward from a closed year)."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(forbund_id(org_nr), org_nr, year)
        budget.record_opening_equity(kronor(amount, "Eget kapital"))
        self._stage(budget)

    @command
    def close_year(self, org_nr: str, year: int, result: Decimal | int | str, closed_on: date) -> Decimal | None:
        """Close the year with its result; returns the equity carried forward (if the opening is known)."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(forbund_id(org_nr), org_nr, year)
        opening = self._opening_equity(org_nr, budget)
        budget.close_year(kronor(result, "Årets resultat"), closed_on)
        self._stage(budget)
        return None if opening is None or budget.closed_result is None else opening + budget.closed_result

    def _opening_equity(self, org_nr: str, budget: Budget) -> Decimal | None:
        """Recorded on the budget, else carried forward from the closed year before, else the annual report."""
        assoc_id = forbund_id(org_nr)
        return opening_equity(
            budget,
            lambda year: self._find(budget_id(assoc_id, year), Budget),
            lambda year: self._find(annual_report_id(assoc_id, year), AnnualReport),
        )

    def budget_status(self, org_nr: str, year: int, months: int | None = None) -> BudgetStatus:
        """Adopted and revised budget, outcome to date, deviation, forecast, equity and flags."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(forbund_id(org_nr), org_nr, year)
        return budget_status(
            budget,
            months=months,
            opening_equity=self._opening_equity(org_nr, budget),
            allocation=self._allocation_total(org_nr, year),
            params=parameters_on(date(year, 1, 1)),
        )

    # --- annual report and discharge -----------------------------------------------------

    @command
    def approve_annual_report(
        self,
        org_nr: str,
        year: int,
        *,
        income: Decimal | int | str,
        costs: Decimal | int | str,
        result: Decimal | int | str,
        equity_at_year_end: Decimal | int | str,
        authorised_by: DecisionRef,
        depreciation: Decimal | int | str = 0,
    ) -> tuple[str, ...]:
        """The board approves the annual report by a decision in its minutes; returns warnings."""
        forbund = self.forbund(org_nr)
        aggregate_id = annual_report_id(forbund.id, year)
        if self._has(aggregate_id):
            raise MoneyRuleViolation(f"Årsredovisningen för {year} är redan godkänd.")
        if authorised_by.meeting is None or authorised_by.paragraph is None:
            raise MoneyRuleViolation(
                "Styrelsen godkänner årsredovisningen genom ett beslut: hänvisa till sammanträdet och paragrafen."
            )
        self._check_decision(forbund, authorised_by)
        approved_on = self.meeting(forbund.org_nr, authorised_by.meeting).held_on
        params = parameters_on(date(year, 12, 31))
        deadline = calendar.annual_report_deadline(year, params)
        members = tuple(
            m.member
            for m in forbund.memberships
            if m.joined_on <= date(year, 12, 31) and (m.leaves_on is None or m.leaves_on > date(year, 1, 1))
        )
        report = AnnualReport.approve(
            forbund_id=forbund.id,
            org_nr=forbund.org_nr,
            year=year,
            figures=ReportFigures(
                income=kronor(income, "Intäkterna"),
                costs=kronor(costs, "Kostnaderna"),
                depreciation=kronor(depreciation, "Avskrivningarna"),
                result=kronor(result, "Resultatet"),
                equity_at_year_end=kronor(equity_at_year_end, "Eget kapital"),
            ),
            members=members,
            approved_on=approved_on,
            authorised_by=authorised_by,
            late=approved_on > deadline,
        )
        self._stage(report)
        if report.late:
            return (f"Årsredovisningen för {year} godkändes {approved_on.isoformat()}, efter {deadline.isoformat()}.",)
        return ()

    def annual_report(self, org_nr: str, year: int) -> AnnualReport:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            annual_report_id(forbund_id(org_nr), year),
            AnnualReport,
            f"Ingen årsredovisning för {year} är godkänd för förbundet {org_nr}.",
        )
