"""Builders for the three förbund of the seed documents: registered with their members, charter and board.

The figures and names come from ``shared/seeds``. Where a seed does not say something the
software needs (an org nr, a board member's term), the value is marked ``FICTITIOUS``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from finsam_core.application import Finsam
from finsam_core.domain.charter import Charter, DecisionRef, KommunShare, SeatAllocation
from finsam_core.domain.forbund import Office
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.values import BoardRole, MajorityBase, MemberKind, MemberOrganisation, Ratio

__all__ = [
    "KARLSKOGA_DEGERFORS",
    "KRAMFORS",
    "ORNSKOLDSVIK",
    "STOCKHOLM_SUMMER",
    "TERM_2019",
    "TERM_2023",
    "adjust_minutes",
    "appoint_board",
    "record_board_decision",
    "register_karlskoga_degerfors",
    "register_kramfors",
    "register_ornskoldsvik",
]

STOCKHOLM_SUMMER = timezone(timedelta(hours=2), "CEST")

KARLSKOGA_DEGERFORS = "222000-2279"
"""Samordningsförbundet Karlskoga/Degerfors Örebro län (`000_*`, `004_*`)."""
ORNSKOLDSVIK = "222000-1883"
"""Samordningsförbundet i Örnsköldsvik: FICTITIOUS org nr (`002_*` does not give one)."""
KRAMFORS = "222000-1586"
"""Samordningsförbundet Kramfors: FICTITIOUS org nr (`003_*` does not give one)."""

TERM_2023 = (date(2023, 1, 1), date(2026, 12, 31))
"""The board term 2023–2026 (four years from 1 January after the 2022 election)."""
TERM_2019 = (date(2019, 1, 1), date(2022, 12, 31))
"""The board term 2019–2022 (four years from 1 January after the 2018 election)."""


def _four(region: tuple[str, str], kommuner: list[tuple[str, str]]) -> tuple[MemberOrganisation, ...]:
    return (
        MemberOrganisation("FK", "Försäkringskassan", MemberKind.FORSAKRINGSKASSAN),
        MemberOrganisation("AF", "Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN),
        MemberOrganisation(region[0], region[1], MemberKind.REGION),
        *(MemberOrganisation(key, name, MemberKind.KOMMUN) for key, name in kommuner),
    )


def register_ornskoldsvik(app: Finsam) -> None:
    """Örnsköldsvik: four members, one ledamot each, default rules (simple majority)."""
    members = _four(("RVN", "Region Västernorrland"), [("ÖK", "Örnsköldsviks kommun")])
    app.register_forbund(
        ORNSKOLDSVIK,
        "Samordningsförbundet i Örnsköldsvik",
        members,
        Charter(seats=tuple(SeatAllocation(m.key) for m in members)),
        founded_on=date(2008, 1, 1),  # FICTITIOUS
    )
    board = [
        ("Jan-Olov Häggström", "RVN", BoardRole.BOARD_MEMBER),
        ("Mats Helli", "RVN", BoardRole.DEPUTY),
        ("Fredrik Berglund", "AF", BoardRole.BOARD_MEMBER),
        ("Camilla Steen", "FK", BoardRole.BOARD_MEMBER),
        ("Zenitha Nordfjell", "ÖK", BoardRole.BOARD_MEMBER),
    ]
    for person, key, role in board:
        app.appoint(ORNSKOLDSVIK, person, key, role, *TERM_2023)
    app.elect_officer(ORNSKOLDSVIK, "Jan-Olov Häggström", Office.CHAIR, *TERM_2023)


def register_karlskoga_degerfors(app: Finsam) -> None:
    """Karlskoga/Degerfors: five members, 5 ledamöter + 5 ersättare, two-thirds for every decision (`004_*` §2.1)."""
    members = _four(("RÖL", "Region Örebro län"), [("KK", "Karlskoga kommun"), ("DK", "Degerfors kommun")])
    app.register_forbund(
        KARLSKOGA_DEGERFORS,
        "Samordningsförbundet Karlskoga/Degerfors Örebro län",
        members,
        Charter(
            seats=tuple(SeatAllocation(m.key) for m in members),
            qualified_majority=Ratio(2, 3),
            qualified_for_all=True,
            qualified_base=MajorityBase.PRESENT_VOTERS,  # the reading of `004_*` §2.1 (docs/rules.md)
            kommun_key=(KommunShare("DK", Decimal(25)), KommunShare("KK", Decimal(75))),
        ),
        founded_on=date(2006, 1, 1),  # FICTITIOUS
    )
    for index, member in enumerate(members, 1):
        app.appoint(
            KARLSKOGA_DEGERFORS,
            f"Ledamot {index} {member.key}",
            member.key,
            BoardRole.BOARD_MEMBER,
            *TERM_2023,
        )
        app.appoint(
            KARLSKOGA_DEGERFORS,
            f"Ersättare {index} {member.key}",
            member.key,
            BoardRole.DEPUTY,
            *TERM_2023,
        )


def register_kramfors(app: Finsam) -> None:
    """Kramfors: four members, one ledamot and one ersättare each, as the roll call of `003_*` lists them."""
    members = _four(("RVN", "Region Västernorrland"), [("KRK", "Kramfors kommun")])
    app.register_forbund(
        KRAMFORS,
        "Samordningsförbundet Kramfors",
        members,
        Charter(seats=tuple(SeatAllocation(m.key) for m in members)),
        founded_on=date(2009, 1, 1),  # FICTITIOUS
    )
    for person, key, role in [
        ("Thomas Näsholm", "KRK", BoardRole.BOARD_MEMBER),
        ("Johanna Zidén", "RVN", BoardRole.BOARD_MEMBER),
        ("Stefan Hedenström", "FK", BoardRole.BOARD_MEMBER),
        ("Cecilia Sparf", "AF", BoardRole.BOARD_MEMBER),
        ("Anders Åkerman", "KRK", BoardRole.DEPUTY),
        ("Bengt Sörlin", "RVN", BoardRole.DEPUTY),
        ("Henrik Viberg Forsgren", "FK", BoardRole.DEPUTY),
        ("Fredrik Berglund", "AF", BoardRole.DEPUTY),
    ]:
        app.appoint(KRAMFORS, person, key, role, *TERM_2023)
    app.elect_officer(KRAMFORS, "Thomas Näsholm", Office.CHAIR, *TERM_2023)
    app.elect_officer(KRAMFORS, "Cecilia Sparf", Office.VICE_CHAIR, *TERM_2023)


def appoint_board(app: Finsam, org_nr: str, term: tuple[date, date]) -> None:
    """Appoint one FICTITIOUS ledamot per member seat for ``term`` (for years the seeds do not cover)."""
    forbund = app.forbund(org_nr)
    for member in forbund.members_on(term[0]):
        app.appoint(org_nr, f"Ledamot {member.key} {term[0].year}", member.key, BoardRole.BOARD_MEMBER, *term)


def record_board_decision(
    app: Finsam, org_nr: str, reference: str, held_on: date, title: str, clauses: tuple[str, ...]
) -> DecisionRef:
    """Convene a meeting (or reuse it) with every ledamot present and record one decision; returns its reference."""
    forbund = app.forbund(org_nr)
    if not any(m.reference == reference for m in forbund.meetings):
        app.convene_meeting(org_nr, reference, held_on, "Förbundets lokaler")  # FICTITIOUS place
        ledamots = [a for a in forbund.board_on(held_on) if a.role is BoardRole.BOARD_MEMBER]
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
