"""Delegation under kommunallagen (2017:725) 6 kap. 37–40 §§, as a förbund's board applies it.

37 §: the board may let a ledamot, an ersättare or an employee (the förbundschef) decide on its
behalf in a matter or a group of matters. 38 §: some matters may never be delegated. 39 §: the
board may let the chair (or another ledamot it names) decide matters so urgent that the board's
decision cannot wait. 40 §: the board decides to what extent decisions taken under 37 § are
reported to it (one not reported is recorded separately, if it can be appealed); decisions taken
under 39 § are reported at the board's next meeting.

Pure functions: which matters the law keeps with the board, whether an amount keeps within a
delegation's limit, and which meeting is the "next meeting" an urgent decision must be reported at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "URGENT_DELEGATES",
    "MatterClass",
    "ReportState",
    "kronor",
    "next_meeting_after",
    "non_delegable_reason",
    "over_limit",
    "report_state",
]


class MatterClass(StrEnum):
    """What kind of matter a delegation, or a delegated decision, concerns, as 6 kap. 38 § sorts them."""

    ORDINARY = "ordinar"
    """A matter the board may delegate (6 kap. 37 §)."""
    GOALS = "mal_och_inriktning"
    """The activity's goals, direction, scope or quality (38 § 1)."""
    BUDGET = "budget"
    """The budget sets the activity's scope: it stays with the board (38 § 1)."""
    STATEMENT = "yttrande"
    """Statements to the members' assemblies, or on an appeal of the board's decision (38 § 2)."""
    PRINCIPLE = "principiell"
    """A matter of principle or otherwise of greater importance (38 § 3)."""
    BY_STATUTE = "enligt_forfattning"
    """A matter that a law or regulation says may not be delegated (38 § 4)."""


_REASONS = {
    MatterClass.GOALS: "ärenden om verksamhetens mål, inriktning, omfattning eller kvalitet (6 kap. 38 § 1)",
    MatterClass.BUDGET: "budgeten, som bestämmer verksamhetens omfattning (6 kap. 38 § 1)",
    MatterClass.STATEMENT: "yttranden till medlemmarnas fullmäktige och yttranden när styrelsens beslut har "
    "överklagats (6 kap. 38 § 2)",
    MatterClass.PRINCIPLE: "ärenden av principiell beskaffenhet eller annars av större vikt (6 kap. 38 § 3)",
    MatterClass.BY_STATUTE: "ärenden som enligt lag eller annan författning inte får delegeras (6 kap. 38 § 4)",
}

URGENT_DELEGATES = ("ordförande", "ordföranden", "vice ordförande", "vice ordföranden")
"""The roles 6 kap. 39 § names for urgent decisions (besides a ledamot the board appoints by name)."""


def non_delegable_reason(matter: MatterClass) -> str | None:
    """Why the law keeps the matter with the board (a Swedish phrase naming 6 kap. 38 §), or ``None``."""
    return _REASONS.get(matter)


def kronor(amount: Decimal) -> str:
    """An amount as the minutes write it: ``6 000 kr``, ``50 000,50 kr``."""
    text = f"{amount:,}".replace(",", " ")
    return text.replace(".", ",") + " kr"


def over_limit(amount: Decimal | None, limit: Decimal | None) -> bool:
    """Whether ``amount`` is more than the delegation allows (no limit: never; no amount: never)."""
    return limit is not None and amount is not None and amount > limit


def next_meeting_after(day: date, meetings: Sequence[tuple[str, date]]) -> tuple[str, date] | None:
    """The first meeting held after ``day`` (reference, date): where an urgent decision is reported."""
    later = sorted((held_on, reference) for reference, held_on in meetings if held_on > day)
    return (later[0][1], later[0][0]) if later else None


class ReportState(StrEnum):
    """Where a decision taken outside a meeting stands in its reporting to the board."""

    REPORTED = "anmalt"
    REPORTED_LATE = "anmalt_for_sent"
    """Reported, but not at the next meeting (an urgent or per capsulam decision)."""
    UNREPORTED = "ej_anmalt"
    OVERDUE = "ej_anmalt_vid_nasta_sammantrade"
    """Not reported, and the next meeting, where it had to be, has been entered without it."""


def report_state(
    decided_on: date,
    reported_in: str | None,
    meetings: Sequence[tuple[str, date]],
    *,
    at_next_meeting: bool,
) -> tuple[ReportState, tuple[str, date] | None]:
    """The report state of a decision taken on ``decided_on``, and the meeting it is due at.

    ``at_next_meeting``: the law says when (an urgent decision, 6 kap. 40 §; a per capsulam decision by
    the charter); otherwise the board's own order decides when (6 kap. 40 §) and no meeting is due.
    """
    due = next_meeting_after(decided_on, meetings) if at_next_meeting else None
    if reported_in is not None:
        late = due is not None and reported_in != due[0]
        return (ReportState.REPORTED_LATE if late else ReportState.REPORTED), due
    return (ReportState.OVERDUE if due is not None else ReportState.UNREPORTED), due
