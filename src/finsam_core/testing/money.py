"""Money builders from the seeds: the allocations, budgets and the October 2023 report of Karlskoga/Degerfors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finsam_core.application import Finsam
from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind
from finsam_core.domain.charter import DecisionRef
from finsam_core.testing.governance import (
    KARLSKOGA_DEGERFORS,
    KRAMFORS,
    TERM_2019,
    appoint_board,
    record_board_decision,
)

__all__ = [
    "KARLSKOGA_ALLOCATION",
    "KARLSKOGA_KOMMUN_KEY",
    "KARLSKOGA_LINES_2022",
    "KARLSKOGA_LINES_2023",
    "KARLSKOGA_OUTCOME_OCTOBER_2023",
    "KRAMFORS_ALLOCATION",
    "karlskoga_budget_2022",
    "karlskoga_october_2023",
    "record_karlskoga_allocation",
    "record_kramfors_allocation",
]

KARLSKOGA_ALLOCATION = {"FK": 2_787_000, "RÖL": 1_393_500, "DK": 348_375, "KK": 1_045_125}
"""Allocation 2020 and 2022 of Karlskoga/Degerfors (`004_*` §5.1, `001_*` §1.2.5): 5 574 000 in all."""
KARLSKOGA_KOMMUN_KEY = {"DK": 25, "KK": 75}

KRAMFORS_ALLOCATION = {"FK": 1_293_000, "RVN": 646_500, "KRK": 646_500}
"""Kramfors's allocation of 2 586 000 kr (`003_*`: 2024, the same level as 2023); the split is the statutory one."""


def record_karlskoga_allocation(app: Finsam, year: int) -> None:
    """2 787 000 / 1 393 500 / 348 375 / 1 045 125 (the kommun quarter split 25/75 by the charter's key)."""
    app.record_allocation(
        KARLSKOGA_DEGERFORS,
        year,
        KARLSKOGA_ALLOCATION,
        total=5_574_000,
        recorded_on=date(year - 1, 11, 1),  # FICTITIOUS
    )


def record_kramfors_allocation(app: Finsam, year: int) -> None:
    app.record_allocation(KRAMFORS, year, KRAMFORS_ALLOCATION, total=2_586_000, recorded_on=date(year - 1, 11, 1))


def karlskoga_budget_2022(app: Finsam, adopted_on: date = date(2021, 11, 22)) -> DecisionRef:
    """Budget 2022 (`004_*` §5): 4 407 000 + 602 000 + 989 000 = 5 998 000, result −424 000 from earlier surplus.

    The meeting (``2021-6``, on ``adopted_on``) and its board are FICTITIOUS.
    """
    forbund = app.forbund(KARLSKOGA_DEGERFORS)
    if not forbund.board_on(adopted_on):
        appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    decision = record_board_decision(
        app,
        KARLSKOGA_DEGERFORS,
        f"{adopted_on.year}-6",
        adopted_on,
        "Budget 2022",
        ("att anta budget för 2022",),
    )
    app.adopt_budget(
        KARLSKOGA_DEGERFORS,
        2022,
        KARLSKOGA_LINES_2022,
        (IncomeLine("Medlemsbidrag", Decimal(5_574_000)),),
        decision,
        total=5_998_000,
        planned_result=-424_000,
        surplus_used=424_000,
    )
    return decision


KARLSKOGA_LINES_2022 = (
    BudgetLine("coaching", "Coachingteamet", Decimal(4_407_000), LineKind.INDIVIDUAL),
    BudgetLine("strukturella", "Strukturella insatser", Decimal(602_000), LineKind.STRUCTURAL),
    BudgetLine("kansli", "Förbundets kostnader inkl. kansli", Decimal(989_000), LineKind.OFFICE),
)

KARLSKOGA_LINES_2023 = (
    # `000_*` gives the year budget (6 088 tkr) but not its lines: the split is FICTITIOUS.
    BudgetLine("coaching", "Coachingteamet", Decimal(4_400_000), LineKind.INDIVIDUAL),
    BudgetLine("strukturella", "Strukturella insatser", Decimal(600_000), LineKind.STRUCTURAL),
    BudgetLine("kansli", "Kansliet", Decimal(1_088_000), LineKind.OFFICE),
)
KARLSKOGA_OUTCOME_OCTOBER_2023 = {
    # Outcome January–October per line, FICTITIOUS except the total 5 418 000 (`000_*` § 51).
    "coaching": Decimal(4_010_667),
    "strukturella": Decimal(405_000),
    "kansli": Decimal(1_002_333),
}


def karlskoga_october_2023(app: Finsam) -> None:
    """The October 2023 report (`000_*` § 51): budget 6 088 tkr with a planned deficit of 528 tkr,
    5 418 tkr used after October, forecasts −500/+50/+50 tkr, equity 1 518 tkr at the start of the year.
    """
    decision = record_board_decision(
        app, KARLSKOGA_DEGERFORS, "2022-6", date(2022, 11, 21), "Budget 2023", ("att anta budget för 2023",)
    )  # FICTITIOUS meeting
    app.adopt_budget(
        KARLSKOGA_DEGERFORS,
        2023,
        KARLSKOGA_LINES_2023,
        (IncomeLine("Medlemsbidrag", Decimal(5_560_000)),),
        decision,
        total=6_088_000,
        planned_result=-528_000,
        surplus_used=528_000,
    )
    app.record_opening_equity(KARLSKOGA_DEGERFORS, 2023, 1_518_000)
    for month in range(1, 11):
        amounts = {}
        for key, total in KARLSKOGA_OUTCOME_OCTOBER_2023.items():
            share = (total / 10).quantize(Decimal(1))
            amounts[key] = share if month < 10 else total - 9 * share
        app.record_outcome(KARLSKOGA_DEGERFORS, 2023, date(2023, month, 1), amounts)
    app.record_forecast(
        KARLSKOGA_DEGERFORS, 2023, {"coaching": -500_000, "strukturella": 50_000, "kansli": 50_000}, date(2023, 11, 20)
    )
