"""The statutory clock's arithmetic: the legal source of each kind of deadline, and whether one is met.

Pure: the dates themselves come from :mod:`finsam_core.rules.calendar`; this module names the law
each deadline rests on (one phrase, as a secretary cites it) and compares a deadline with the day
it was met and the day asked about.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final

__all__ = ["SOURCES", "DeadlineKind", "DeadlineStatus", "deadline_status"]


class DeadlineKind(StrEnum):
    """What must be done by a date."""

    KALLELSE = "kallelse"
    ADJUST_MINUTES = "justera_protokoll"
    POST_NOTICE = "anslag"
    APPEAL_PERIOD = "overklagandetid"
    ASSIGNMENT = "uppdrag"
    MEMBER_EXIT = "medlems_uttrade"
    NNS_EXIT = "nns_uttrade"
    BUDGET = "budget"
    ANNUAL_REPORT = "arsredovisning"


class DeadlineStatus(StrEnum):
    """Met (done, on time or late), due (not done, date not passed) or overdue (not done, date passed)."""

    MET = "uppfylld"
    DUE = "pågår"
    OVERDUE = "försenad"


SOURCES: Final[dict[DeadlineKind, str]] = {
    DeadlineKind.KALLELSE: "förbundsordningen (kallelse)",
    DeadlineKind.ADJUST_MINUTES: "kommunallagen 5 kap. 69 §",
    DeadlineKind.POST_NOTICE: "kommunallagen 8 kap. 12 §",
    DeadlineKind.APPEAL_PERIOD: "kommunallagen 13 kap. 5 §",
    DeadlineKind.ASSIGNMENT: "styrelsens beslut",
    DeadlineKind.MEMBER_EXIT: "förbundsordningen (uppsägning)",
    DeadlineKind.NNS_EXIT: "NNS stadgar (utträde vid årsskifte)",
    DeadlineKind.BUDGET: "lag (2003:1210) om finansiell samordning 7 kap. 3 §",
    DeadlineKind.ANNUAL_REPORT: "kommunallagen 11 kap. 20 §",
}
"""The legal source of each kind of deadline, in one phrase."""


def deadline_status(due_on: date, met_on: date | None, as_of: date) -> DeadlineStatus:
    """Met when done by ``as_of``; otherwise overdue from the day after ``due_on``, due until then.

    A meeting held on 1 June must be adjusted by 15 June: on 15 June it is still due, on 16 June
    (the 15th day after the deadline's start) it is overdue although nothing was recorded.
    """
    if met_on is not None and met_on <= as_of:
        return DeadlineStatus.MET
    return DeadlineStatus.OVERDUE if as_of > due_on else DeadlineStatus.DUE
