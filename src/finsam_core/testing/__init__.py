"""Builders for tests, benchmarks and the demo: förbund, meetings and money from the seed documents.

The figures and names come from ``shared/seeds``. Where a seed does not say something the
software needs (an org nr, a board member's term), the value is marked ``FICTITIOUS``. Two
modules by area: :mod:`~finsam_core.testing.governance` (förbund, boards, meetings) and
:mod:`~finsam_core.testing.money` (allocations, budgets, NNS); everything is importable from here.
"""

from __future__ import annotations

from finsam_core.testing.governance import (
    KARLSKOGA_DEGERFORS,
    KRAMFORS,
    ORNSKOLDSVIK,
    ORNSKOLDSVIK_RESERVATION,
    STOCKHOLM_SUMMER,
    TERM_2023,
    events_recorded,
    record_ornskoldsvik_2024_05_30,
    register_karlskoga_degerfors,
    register_kramfors,
    register_ornskoldsvik,
)
from finsam_core.testing.money import (
    KARLSKOGA_ALLOCATION,
    KARLSKOGA_KOMMUN_KEY,
    KARLSKOGA_LINES_2022,
    KARLSKOGA_LINES_2023,
    KARLSKOGA_OUTCOME_OCTOBER_2023,
    KRAMFORS_ALLOCATION,
    TERM_2019,
    adjust_minutes,
    appoint_board,
    fictitious_org_nr,
    karlskoga_budget_2022,
    karlskoga_october_2023,
    record_board_decision,
    record_karlskoga_allocation,
    record_kramfors_allocation,
    register_fictitious_network,
    register_nns,
)

__all__ = [
    "KARLSKOGA_ALLOCATION",
    "KARLSKOGA_DEGERFORS",
    "KARLSKOGA_KOMMUN_KEY",
    "KARLSKOGA_LINES_2022",
    "KARLSKOGA_LINES_2023",
    "KARLSKOGA_OUTCOME_OCTOBER_2023",
    "KRAMFORS",
    "KRAMFORS_ALLOCATION",
    "ORNSKOLDSVIK",
    "ORNSKOLDSVIK_RESERVATION",
    "STOCKHOLM_SUMMER",
    "TERM_2019",
    "TERM_2023",
    "adjust_minutes",
    "appoint_board",
    "events_recorded",
    "fictitious_org_nr",
    "karlskoga_budget_2022",
    "karlskoga_october_2023",
    "record_board_decision",
    "record_karlskoga_allocation",
    "record_kramfors_allocation",
    "record_ornskoldsvik_2024_05_30",
    "register_fictitious_network",
    "register_karlskoga_degerfors",
    "register_kramfors",
    "register_nns",
    "register_ornskoldsvik",
]
