"""Budget status for one förbund and year: budget as adopted and revised, outcome, deviation, forecast, equity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import msgspec

from finsam_core.domain.annual_report import AnnualReport
from finsam_core.domain.budget import Budget
from finsam_core.rules.money import (
    budget_deadline,
    budget_deviation,
    equity_after,
    equity_ratio,
    format_kronor,
    period_benchmark,
    period_budget,
)
from finsam_core.rules.parameters import StatutoryParameters

__all__ = ["BudgetStatus", "LineStatus", "budget_status", "opening_equity"]


class LineStatus(msgspec.Struct, frozen=True):
    key: str
    name: str
    year_budget: Decimal
    outcome: Decimal
    period_budget: Decimal
    deviation: Decimal
    """Period budget minus outcome; negative: overspent against the linear benchmark."""
    forecast: Decimal | None
    """Forecast whole-year deviation (negative: the line will cost more than budgeted)."""


class BudgetStatus(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    adopted_on: date
    adopted_costs: Decimal
    revisions: int
    year_budget: Decimal
    income: Decimal
    planned_result: Decimal
    surplus_used: Decimal
    months: int
    benchmark: Decimal
    outcome: Decimal
    used_share: Decimal | None
    deviation: Decimal
    """The period budget of the whole year budget minus the outcome, rounded once to the öre
    (``rules/money.budget_deviation``); the lines' deviations may sum to an öre or two off it."""
    lines: tuple[LineStatus, ...]
    forecast: Decimal
    opening_equity: Decimal | None
    equity_forecast: Decimal | None
    allocation: Decimal | None
    equity_ratio: Decimal | None
    equity_cap: Decimal
    late: bool
    closed_result: Decimal | None
    flags: tuple[str, ...]


def _pct(share: Decimal, places: str = "0.1") -> str:
    """A share as a Swedish percentage: ``89,0 %``."""
    return f"{(share * 100).quantize(Decimal(places))} %".replace(".", ",")


def opening_equity(
    budget: Budget,
    budget_of: Callable[[int], Budget | None],
    annual_report_of: Callable[[int], AnnualReport | None],
) -> Decimal | None:
    """Equity at the start of the budget's year: recorded on the budget, else carried forward from the
    closed year before (its own opening plus its result), else the year before's annual report.

    ``budget_of`` and ``annual_report_of`` find the förbund's budget and annual report of a year.
    """
    if budget.opening_equity is not None:
        return budget.opening_equity
    before = budget_of(budget.year - 1)
    if before is not None and before.closed_result is not None:
        opening = opening_equity(before, budget_of, annual_report_of)
        if opening is not None:
            return opening + before.closed_result
    report = annual_report_of(budget.year - 1)
    return None if report is None else report.figures.equity_at_year_end


def budget_status(
    budget: Budget,
    *,
    months: int | None,
    opening_equity: Decimal | None,
    allocation: Decimal | None,
    params: StatutoryParameters,
) -> BudgetStatus:
    """The status after ``months`` months (default: the last month with outcome recorded)."""
    version = budget.current
    months = budget.months_reported if months is None else months
    benchmark = period_benchmark(months)
    lines: list[LineStatus] = []
    for line in version.lines:
        outcome = budget.outcome_through(months, line.key)
        period = period_budget(line.amount, months)
        forecast = budget.forecasts.get(line.key)
        lines.append(
            LineStatus(
                key=line.key,
                name=line.name,
                year_budget=line.amount,
                outcome=outcome,
                period_budget=period,
                deviation=budget_deviation(line.amount, outcome, months),
                forecast=forecast[0] if forecast else None,
            )
        )
    outcome_total = budget.outcome_through(months)
    costs = version.costs
    forecast_total = sum((line.forecast or Decimal(0) for line in lines), Decimal(0))
    if budget.closed_result is not None and opening_equity is not None:
        equity: Decimal | None = opening_equity + budget.closed_result
    elif opening_equity is not None:
        equity = equity_after(opening_equity, version.planned_result, forecast_total)
    else:
        equity = None
    ratio = (
        equity_ratio(equity, allocation) if equity is not None and allocation is not None and allocation > 0 else None
    )
    flags: list[str] = []
    adopted = budget.adopted
    if adopted.late:
        flags.append(
            f"Budgeten antogs {adopted.decided_on.isoformat()}, efter sista dag "
            f"{budget_deadline(budget.year, params).isoformat()}."
        )
    if ratio is not None and ratio > params.equity_cap:
        flags.append(
            f"Det egna kapitalet ({format_kronor(equity or Decimal(0))}) är "
            f"{_pct(ratio, '0.01')} av tilldelningen, över taket {_pct(params.equity_cap, '1')}."
        )
    if equity is not None and equity < 0:
        flags.append("Det egna kapitalet beräknas bli negativt.")
    if costs > 0 and months > 0 and outcome_total / costs > benchmark:
        flags.append(f"Förbrukningen {_pct(outcome_total / costs)} ligger över riktvärdet {_pct(benchmark)}.")
    return BudgetStatus(
        org_nr=budget.org_nr,
        year=budget.year,
        adopted_on=adopted.decided_on,
        adopted_costs=adopted.costs,
        revisions=len(budget.versions) - 1,
        year_budget=costs,
        income=version.income_total,
        planned_result=version.planned_result,
        surplus_used=version.surplus_used,
        months=months,
        benchmark=benchmark,
        outcome=outcome_total,
        used_share=outcome_total / costs if costs > 0 else None,
        deviation=budget_deviation(costs, outcome_total, months),
        lines=tuple(lines),
        forecast=forecast_total,
        opening_equity=opening_equity,
        equity_forecast=equity,
        allocation=allocation,
        equity_ratio=ratio,
        equity_cap=params.equity_cap,
        late=adopted.late,
        closed_result=budget.closed_result,
        flags=tuple(flags),
    )
