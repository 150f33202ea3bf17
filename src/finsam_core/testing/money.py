"""Builders of the seeds' money and membership: boards of other terms, board decisions, allocations,
budgets, NNS and a network of FICTITIOUS förbund.

The figures come from ``shared/seeds``; what a seed does not say is marked ``FICTITIOUS``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from finsam_core.application import Finsam
from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.testing.governance import KARLSKOGA_DEGERFORS, KRAMFORS
from finsam_core.values import BoardRole

__all__ = [
    "KARLSKOGA_ALLOCATION",
    "KARLSKOGA_KOMMUN_KEY",
    "KARLSKOGA_LINES_2022",
    "KARLSKOGA_LINES_2023",
    "KARLSKOGA_OUTCOME_OCTOBER_2023",
    "KRAMFORS_ALLOCATION",
    "TERM_2019",
    "adjust_minutes",
    "appoint_board",
    "fictitious_org_nr",
    "karlskoga_budget_2022",
    "karlskoga_october_2023",
    "record_board_decision",
    "record_karlskoga_allocation",
    "record_kramfors_allocation",
    "register_fictitious_network",
    "register_nns",
]

TERM_2019 = (date(2019, 1, 1), date(2022, 12, 31))
"""The board term 2019–2022 (four years from 1 January after the 2018 election)."""

KARLSKOGA_ALLOCATION = {"FK": 2_787_000, "RÖL": 1_393_500, "DK": 348_375, "KK": 1_045_125}
"""Allocation 2020 and 2022 of Karlskoga/Degerfors (`004_*` §5.1, `001_*` §1.2.5): 5 574 000 in all."""
KARLSKOGA_KOMMUN_KEY = {"DK": 25, "KK": 75}

KRAMFORS_ALLOCATION = {"FK": 1_293_000, "RVN": 646_500, "KRK": 646_500}
"""Kramfors's allocation of 2 586 000 kr (`003_*`: 2024, the same level as 2023); the split is the statutory one."""


def appoint_board(app: Finsam, org_nr: str, term: tuple[date, date]) -> None:
    """Appoint one FICTITIOUS ledamot per member seat for ``term`` (for years the seeds do not cover)."""
    association = app.association(org_nr)
    for member in association.members_on(term[0]):
        app.appoint(org_nr, f"Ledamot {member.key} {term[0].year}", member.key, BoardRole.BOARD_MEMBER, *term)


def record_board_decision(
    app: Finsam, org_nr: str, reference: str, held_on: date, title: str, clauses: tuple[str, ...]
) -> DecisionRef:
    """Convene a meeting (or reuse it) with every ledamot present and record one decision; returns its reference."""
    association = app.association(org_nr)
    if not any(m.reference == reference for m in association.meetings):
        app.convene_meeting(org_nr, reference, held_on, "Förbundets lokaler")  # FICTITIOUS place
        ledamots = [a for a in association.board_on(held_on) if a.role is BoardRole.BOARD_MEMBER]
        if not ledamots:
            raise ValueError(f"No board on {held_on}: appoint one first (appoint_board).")
        app.record_attendance(
            org_nr,
            reference,
            tuple(Attendee(a.person, Capacity.BOARD_MEMBER) for a in ledamots),
            chair=ledamots[0].person,
            secretary="Förbundschefen",
        )
    number = app.add_paragraph(org_nr, reference, title)
    app.decide(org_nr, reference, number, clauses)
    return DecisionRef(
        body="Förbundsstyrelsen",
        reference=f"{reference} § {number}",
        decided_on=held_on,
        meeting=reference,
        paragraph=number,
    )


def adjust_minutes(app: Finsam, org_nr: str, reference: str, signed_on: date) -> None:
    """Adjust the minutes: elect one attendee other than the chair as adjuster; chair and adjuster sign."""
    meeting = app.meeting(org_nr, reference)
    if meeting.chair is None:
        raise ValueError(f"The minutes {reference} have no chair: record the attendance first.")
    adjuster = next(a.name for a in meeting.attendees if a.name != meeting.chair)
    app.elect_adjusters(org_nr, reference, (adjuster,))
    signed_at = datetime.combine(signed_on, time(12), tzinfo=UTC)
    app.sign_minutes(org_nr, reference, meeting.chair, signed_at)
    if not app.sign_minutes(org_nr, reference, adjuster, signed_at):
        raise AssertionError(f"The minutes {reference} are not final after the chair and the adjuster signed.")


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
    association = app.association(KARLSKOGA_DEGERFORS)
    if not association.board_on(adopted_on):
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


def register_nns(app: Finsam) -> None:
    """NNS with its fee policy (`003_*`): 2 per mille up to 2023; 3.5 per mille capped at 30 000 kr from 2024."""
    app.found_network()
    app.set_fee_policy(2004, 2, None, "Serviceavgift före 2024")  # the start year is FICTITIOUS
    app.set_fee_policy(2024, "3.5", 30_000, "NNS medlemsmöte 24 november 2023")


def _luhn_digit(nine: str) -> str:
    total = 0
    for index, char in enumerate(reversed(nine)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def fictitious_org_nr(number: int) -> str:
    """A valid-looking but FICTITIOUS org nr ``9999NN-NNNC`` for förbund number ``number``."""
    digits = f"9999{number // 1000:02d}{number % 1000:03d}"
    return f"{digits[:6]}-{digits[6:]}{_luhn_digit(digits)}"


def register_fictitious_network(
    app: Finsam, *, known: int = 72, members: int = 68, joined_on: date = date(2015, 1, 1)
) -> list[str]:
    """NNS knows ``known`` FICTITIOUS förbund ("Fiktivt förbund 01", ...); the first ``members`` join.

    With the defaults this is the roster of `003_*`: 68 of 72 förbund are members. Returns the org nrs.
    """
    org_nrs = []
    with app.batch() as tx:
        for number in range(1, known + 1):
            org_nr = fictitious_org_nr(number)
            name = f"Fiktivt förbund {number:02d}"
            if number <= members:
                tx.join_network(org_nr, joined_on, name=name)
            else:
                tx.list_in_network(org_nr, name)
            org_nrs.append(org_nr)
    return org_nrs
