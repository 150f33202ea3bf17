"""Builders for tests, benchmarks and the demo, and the assertions tests share.

The builders register the förbund of the seed documents and record their meetings, budgets and
network membership (``governance``, ``minutes``, ``money``, ``network``); ``store`` holds what a test
asks of the store itself (``events_recorded``, ``refused``). Every name is importable from
``finsam_core.testing`` directly.

The figures and names come from ``shared/seeds``. Where a seed does not say something the
software needs (an org nr, a board member's term), the value is marked ``FICTITIOUS``.
"""

from __future__ import annotations

from finsam_core.testing.governance import (
    KARLSKOGA_DEGERFORS,
    KRAMFORS,
    ORNSKOLDSVIK,
    STOCKHOLM_SUMMER,
    TERM_2019,
    TERM_2023,
    adjust_minutes,
    appoint_board,
    record_board_decision,
    register_karlskoga_degerfors,
    register_kramfors,
    register_ornskoldsvik,
)
from finsam_core.testing.minutes import ORNSKOLDSVIK_RESERVATION, record_ornskoldsvik_2024_05_30
from finsam_core.testing.money import (
    KARLSKOGA_ALLOCATION,
    KARLSKOGA_KOMMUN_KEY,
    KARLSKOGA_LINES_2022,
    KARLSKOGA_LINES_2023,
    KARLSKOGA_OUTCOME_OCTOBER_2023,
    KRAMFORS_ALLOCATION,
    karlskoga_budget_2022,
    karlskoga_october_2023,
    record_karlskoga_allocation,
    record_kramfors_allocation,
)
from finsam_core.testing.network import fictitious_org_nr, register_fictitious_network, register_nns
from finsam_core.testing.participants import (
    KARLSKOGA_BREAKDOWNS_2020,
    KARLSKOGA_PARTICIPANTS_2020,
    record_karlskoga_participants_2020,
)
from finsam_core.testing.store import events_recorded, refused

__all__ = [
    "KARLSKOGA_ALLOCATION",
    "KARLSKOGA_BREAKDOWNS_2020",
    "KARLSKOGA_DEGERFORS",
    "KARLSKOGA_KOMMUN_KEY",
    "KARLSKOGA_LINES_2022",
    "KARLSKOGA_LINES_2023",
    "KARLSKOGA_OUTCOME_OCTOBER_2023",
    "KARLSKOGA_PARTICIPANTS_2020",
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
    "record_karlskoga_participants_2020",
    "record_kramfors_allocation",
    "record_ornskoldsvik_2024_05_30",
    "refused",
    "register_fictitious_network",
    "register_karlskoga_degerfors",
    "register_kramfors",
    "register_nns",
    "register_ornskoldsvik",
]
