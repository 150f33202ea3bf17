"""The förbund, its members, charter and board."""

from __future__ import annotations

from datetime import date

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.charter import Charter, DecisionRef, SeatAllocation
from finsam_core.domain.forbund import Office
from finsam_core.errors import (
    BoardRuleViolation,
    Conflict,
    InvalidInput,
    MembershipRuleViolation,
    NotFound,
)
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS,
    ORNSKOLDSVIK,
    refused,
    register_karlskoga_degerfors,
    register_ornskoldsvik,
)
from finsam_core.testing import (
    events_recorded as recorded,
)
from finsam_core.values import (
    BoardRole,
    MemberKind,
    MemberOrganisation,
    Ratio,
    validate_org_nr,
)

FK = MemberOrganisation("FK", "Försäkringskassan", MemberKind.FORSAKRINGSKASSAN)
AF = MemberOrganisation("AF", "Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN)
REGION = MemberOrganisation("R", "Region Test", MemberKind.REGION)
KOMMUN = MemberOrganisation("K", "Testkommun", MemberKind.KOMMUN)
BOARD_DECISION = DecisionRef(body="Medlemmarna", reference="beslut 2024", decided_on=date(2024, 3, 1))


def test_org_nr_with_valid_check_digit_is_accepted() -> None:
    assert validate_org_nr("222000-2279") == "222000-2279"


@pytest.mark.parametrize("bad", ["2220002279", "222000-227", "22200-22790", "abcdef-ghij"])
def test_org_nr_in_the_wrong_form_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="NNNNNN-NNNN"):
        validate_org_nr(bad)


def test_org_nr_with_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="kontrollsiffra"):
        validate_org_nr("222000-2278")


def test_a_forbund_without_a_kommun_cannot_be_registered(app: Finsam) -> None:
    refused(
        app,
        MembershipRuleViolation,
        "kommun",
        lambda: app.register_forbund(
            "222000-2279",
            "Test",
            (FK, AF, REGION),
            Charter(seats=(SeatAllocation("FK"),)),
            date(2020, 1, 1),
        ),
    )
    assert recorded(app) == 0


def test_a_forbund_is_registered_once_per_org_nr(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    refused(app, Conflict, "redan registrerat", lambda: register_karlskoga_degerfors(app))


def test_unknown_forbund_is_not_found(app: Finsam) -> None:
    refused(app, NotFound, "Inget förbund med org nr 222000-2279", lambda: app.forbund("222000-2279"))


def test_charter_cannot_give_seats_to_non_members(app: Finsam) -> None:
    refused(
        app,
        InvalidInput,
        "inte är medlemmar",
        lambda: app.register_forbund(
            "222000-2279",
            "Test",
            (FK, AF, REGION, KOMMUN),
            Charter(seats=(SeatAllocation("X"),)),
            date(2020, 1, 1),
        ),
    )


def _register_plain(app: Finsam) -> None:
    app.register_forbund(
        "222000-2279",
        "Test",
        (FK, AF, REGION, KOMMUN),
        Charter(seats=tuple(SeatAllocation(m.key) for m in (FK, AF, REGION, KOMMUN))),
        date(2015, 1, 1),
    )


def test_a_member_cannot_fill_more_seats_than_the_charter_gives(app: Finsam) -> None:
    _register_plain(app)
    app.appoint("222000-2279", "Anna", "K", BoardRole.BOARD_MEMBER, date(2023, 1, 1), date(2026, 12, 31))
    refused(
        app,
        BoardRuleViolation,
        "redan tillsatt",
        lambda: app.appoint(
            "222000-2279",
            "Bertil",
            "K",
            BoardRole.BOARD_MEMBER,
            date(2024, 1, 1),
            date(2026, 12, 31),
        ),
    )


def test_the_next_term_can_be_appointed_beside_the_current_one(app: Finsam) -> None:
    _register_plain(app)
    app.appoint("222000-2279", "Anna", "K", BoardRole.BOARD_MEMBER, date(2019, 1, 1), date(2022, 12, 31))
    app.appoint("222000-2279", "Bertil", "K", BoardRole.BOARD_MEMBER, date(2023, 1, 1), date(2026, 12, 31))
    forbund = app.forbund("222000-2279")
    assert [a.person for a in forbund.board_on(date(2022, 6, 1))] == ["Anna"]
    assert [a.person for a in forbund.board_on(date(2023, 6, 1))] == ["Bertil"]


def test_who_held_a_seat_is_derivable_after_an_early_departure(app: Finsam) -> None:
    _register_plain(app)
    app.appoint("222000-2279", "Anna", "K", BoardRole.BOARD_MEMBER, date(2023, 1, 1), date(2026, 12, 31))
    app.end_appointment("222000-2279", "Anna", "K", date(2024, 6, 30))
    app.appoint("222000-2279", "Bertil", "K", BoardRole.BOARD_MEMBER, date(2024, 7, 1), date(2026, 12, 31))
    forbund = app.forbund("222000-2279")
    assert [a.person for a in forbund.board_on(date(2024, 6, 30))] == ["Anna"]
    assert [a.person for a in forbund.board_on(date(2024, 7, 1))] == ["Bertil"]


def test_the_chair_is_elected_among_the_ledamoter(app: Finsam) -> None:
    register_ornskoldsvik(app)
    refused(
        app,
        BoardRuleViolation,
        "inte ledamot",
        lambda: app.elect_officer(ORNSKOLDSVIK, "Mats Helli", Office.VICE_CHAIR, date(2023, 1, 1), date(2026, 12, 31)),
    )
    assert app.forbund(ORNSKOLDSVIK).officer_on(Office.CHAIR, date(2024, 5, 30)) == "Jan-Olov Häggström"


def test_karlskoga_degerfors_charter_requires_two_thirds(app: Finsam) -> None:
    register_karlskoga_degerfors(app)
    charter = app.forbund(KARLSKOGA_DEGERFORS).charter_on(date(2023, 11, 1))
    assert charter.qualified_majority == Ratio(2, 3)
    assert charter.board_seats == 5


def test_an_amended_charter_applies_from_its_date(app: Finsam) -> None:
    register_ornskoldsvik(app)
    forbund = app.forbund(ORNSKOLDSVIK)
    amended = Charter(
        seats=forbund.charter_on(date(2024, 1, 1)).seats,
        qualified_majority=Ratio(2, 3),
        qualified_for_all=True,
    )
    app.amend_charter(ORNSKOLDSVIK, amended, date(2025, 1, 1), BOARD_DECISION)
    forbund = app.forbund(ORNSKOLDSVIK)
    assert forbund.charter_on(date(2024, 12, 31)).qualified_majority is None
    assert forbund.charter_on(date(2025, 1, 1)).qualified_majority == Ratio(2, 3)


def test_a_charter_amendment_citing_a_missing_decision_is_refused(app: Finsam) -> None:
    register_ornskoldsvik(app)
    charter = app.forbund(ORNSKOLDSVIK).charter_on(date(2024, 1, 1))
    ref = DecisionRef(
        body="Styrelsen",
        reference="§ 99",
        decided_on=date(2024, 5, 30),
        meeting="2024-05-30",
        paragraph=99,
    )
    refused(
        app,
        NotFound,
        "Sammanträdet 2024-05-30 finns inte",
        lambda: app.amend_charter(ORNSKOLDSVIK, charter, date(2025, 1, 1), ref),
    )


def test_only_a_kommun_or_region_can_leave(app: Finsam) -> None:
    _register_plain(app)
    refused(
        app,
        MembershipRuleViolation,
        "bara en kommun eller en region",
        lambda: app.give_member_notice("222000-2279", "FK", date(2024, 1, 1), BOARD_DECISION),
    )


def test_the_last_kommun_may_leave_and_the_forbund_is_flagged_for_liquidation(app: Finsam) -> None:
    _register_plain(app)
    app.give_member_notice("222000-2279", "K", date(2024, 1, 1), BOARD_DECISION)
    (flag,) = app.forbund("222000-2279").liquidation_flags
    assert "saknar förbundet kommun" in flag.message


def test_a_kommun_leaves_three_years_after_its_notice(app: Finsam) -> None:
    _register_plain(app)
    app.admit_member(
        "222000-2279",
        MemberOrganisation("K2", "Grannkommun", MemberKind.KOMMUN),
        date(2021, 1, 1),
        BOARD_DECISION,
    )
    leaves_on = app.give_member_notice("222000-2279", "K2", date(2024, 3, 1), BOARD_DECISION)
    assert leaves_on == date(2027, 3, 1)
    members = app.forbund("222000-2279")
    assert "K2" in [m.key for m in members.members_on(date(2027, 2, 28))]
    assert "K2" not in [m.key for m in members.members_on(date(2027, 3, 1))]


def test_a_membership_keeps_the_decisions_that_admitted_it_and_recorded_its_notice(app: Finsam) -> None:
    _register_plain(app)
    notice = DecisionRef(body="Medlemmarna", reference="beslut 2025", decided_on=date(2025, 3, 1))
    app.admit_member(
        "222000-2279", MemberOrganisation("K2", "Grannkommun", MemberKind.KOMMUN), date(2021, 1, 1), BOARD_DECISION
    )
    app.give_member_notice("222000-2279", "K2", date(2025, 3, 1), notice)
    membership = next(m for m in app.forbund("222000-2279").memberships if m.member.key == "K2")
    assert (membership.admitted_by, membership.notice_by) == (BOARD_DECISION, notice)
    founding = next(m for m in app.forbund("222000-2279").memberships if m.member.key == "K")
    assert (founding.admitted_by, founding.notice_by) == (None, None)
