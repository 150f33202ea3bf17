"""The same scenarios on both implementations of the views (memory, PostgreSQL): every row is what the
domain computes, the library's own answer, and reads only select and filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finsam_core import testing
from finsam_core.domain.charter import DecisionRef
from finsam_core.errors import NotFound
from finsam_core.projections.network import fee_list_from, roster_from
from finsam_core.projections.registers import DecisionEntry
from finsam_core.projections.roster import RosterEntry

from .conftest import Projected


def test_a_forbund_and_its_adjusted_minutes_are_in_the_views(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    views = projected.views()
    forbund = views.forbund(testing.ORNSKOLDSVIK)
    recorded = app.forbund(testing.ORNSKOLDSVIK)
    assert forbund is not None and forbund.name == recorded.name
    assert [m.key for m in forbund.members] == [m.member.key for m in recorded.memberships]
    (meeting,) = views.meetings(testing.ORNSKOLDSVIK)
    assert (meeting.reference, meeting.final) == ("2024-05-30", True)
    assert meeting.minutes_text == app.minutes_text(testing.ORNSKOLDSVIK, "2024-05-30")
    assert views.draft_marks() == []


def test_the_decision_register_of_the_views_is_the_librarys(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    register = app.decision_register(testing.ORNSKOLDSVIK)
    rows = projected.views().decisions(testing.ORNSKOLDSVIK)
    fields = DecisionEntry.__struct_fields__
    assert [DecisionEntry(**{name: getattr(row, name) for name in fields}) for row in rows] == register
    assert any(row.yes is not None for row in rows)  # The vote counts are the register's too.


def test_minutes_in_draft_mark_their_events_until_they_are_adjusted(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, sign=False)
    views = projected.views()
    (meeting,) = views.meetings(testing.ORNSKOLDSVIK)
    assert not meeting.final
    marks = views.draft_marks()
    assert marks and {mark.meeting_id for mark in marks} == {meeting.meeting_id}
    testing.adjust_minutes(app, testing.ORNSKOLDSVIK, "2024-05-30", date(2024, 6, 3))
    views = projected.views()
    assert views.meetings(testing.ORNSKOLDSVIK)[0].final
    assert views.draft_marks() == []


def _nns(projected: Projected) -> None:
    app = projected.app
    testing.register_nns(app)
    testing.register_kramfors(app)
    app.join_network(testing.KRAMFORS, date(2010, 1, 1))


def test_the_roster_on_a_date_is_the_librarys_roster(projected: Projected) -> None:
    _nns(projected)
    app = projected.app
    testing.register_fictitious_network(app, known=71, members=67, joined_on=date(2015, 1, 1))
    app.give_network_withdrawal_notice(testing.KRAMFORS, date(2024, 9, 13))
    views = projected.views()
    for day in (date(2009, 12, 31), date(2014, 12, 31), date(2015, 1, 1), date(2024, 1, 26), date(2025, 12, 31)):
        expected = app.network_roster(day).entries
        shown = [
            RosterEntry(r.org_nr, r.name, r.member, r.joined_on, r.withdrawal_notice, r.leaves_after)
            for r in views.roster(day)
        ]
        assert sorted(shown, key=lambda e: e.org_nr) == sorted(expected, key=lambda e: e.org_nr), day
    assert sum(1 for r in views.roster(date(2024, 1, 26)) if r.member) == 68
    assert sum(1 for r in views.roster(date(2025, 1, 1)) if r.member) == 67  # Kramfors left at the end of 2024.


def test_the_fee_policy_in_force_and_the_fees_are_the_domains(projected: Projected) -> None:
    _nns(projected)
    app = projected.app
    testing.register_karlskoga_degerfors(app)
    app.join_network(testing.KARLSKOGA_DEGERFORS, date(2010, 1, 1))
    for year in (2023, 2024):
        testing.record_kramfors_allocation(app, year)
    testing.record_karlskoga_allocation(app, 2024)
    views = projected.views()
    assert [(p.per_mille, p.cap) for p in (views.fee_policy(2023), views.fee_policy(2024)) if p] == [
        (Decimal(2), None),
        (Decimal("3.5"), Decimal(30_000)),
    ]
    assert views.fee_policy(2003) is None
    for year in (2023, 2024):
        fees = {row.org_nr: (row.allocation, row.fee, row.capped) for row in views.fees(year)}
        library = {e.org_nr: (e.allocation, e.fee, e.capped) for e in app.fee_list(year).entries if e.fee is not None}
        assert fees == library, year
    assert {row.org_nr for row in views.memberships(2024)} == {testing.KRAMFORS, testing.KARLSKOGA_DEGERFORS}


def test_a_new_fee_policy_recomputes_the_fees_of_its_years(projected: Projected) -> None:
    _nns(projected)
    app = projected.app
    testing.record_kramfors_allocation(app, 2026)
    assert [r.fee for r in projected.views().fees(2026)] == [Decimal(9_051)]
    app.set_fee_policy(2026, "1", None, "Sänkt avgift")  # FICTITIOUS
    views = projected.views()
    assert [r.fee for r in views.fees(2026)] == [app.service_fee(testing.KRAMFORS, 2026).fee] == [Decimal(2_586)]
    policy = views.fee_policy(2025)
    assert policy is not None and (policy.effective_year, policy.until_year) == (2024, 2025)


def test_a_withdrawal_ends_the_membership_years(projected: Projected) -> None:
    _nns(projected)
    app = projected.app
    app.give_network_withdrawal_notice(testing.KRAMFORS, date(2024, 9, 13))
    views = projected.views()
    assert [r.org_nr for r in views.memberships(2024)] == [testing.KRAMFORS]
    assert views.memberships(2025) == []


def test_the_budget_status_with_its_equity_ratio_is_the_domains(projected: Projected) -> None:
    app = projected.app
    testing.register_karlskoga_degerfors(app)
    testing.appoint_board(app, testing.KARLSKOGA_DEGERFORS, testing.TERM_2019)
    testing.record_karlskoga_allocation(app, 2023)
    testing.karlskoga_october_2023(app)
    row = projected.views().budget_status(testing.KARLSKOGA_DEGERFORS, 2023)
    status = app.budget_status(testing.KARLSKOGA_DEGERFORS, 2023)
    assert row is not None and row.status == status
    assert row.status.equity_ratio is not None and row.status.equity_ratio == status.equity_ratio


def test_the_allocation_and_participant_figures_are_in_the_views(projected: Projected) -> None:
    app = projected.app
    testing.register_kramfors(app)
    testing.record_kramfors_allocation(app, 2024)
    app.report_participants(testing.KRAMFORS, 2024, {"participants": 120, "exited": 40}, reported_on=date(2025, 2, 1))
    views = projected.views()
    allocation = views.allocation(testing.KRAMFORS, 2024)
    assert allocation is not None and allocation.total == app.allocation(testing.KRAMFORS, 2024).total
    (participants,) = views.participants(2024)
    assert participants.counts == app.participant_figures(testing.KRAMFORS, 2024)


def test_open_assignments_are_the_librarys_and_a_completed_one_leaves(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, sign=False)
    org = testing.ORNSKOLDSVIK
    number = max(app.meeting(org, "2024-05-30").paragraphs)
    app.assign(org, "2024-05-30", number, "Förbundschefen", "Följa upp insatserna", date(2024, 6, 30))
    app.assign(org, "2024-05-30", number, "Kansliet", "Skriva rapporten", None)
    rows = projected.views().open_assignments(org)
    library = app.open_assignments(org, date(2024, 7, 1))
    assert [(r.meeting, r.paragraph, r.assignee, r.task, r.due_on) for r in rows] == [
        (e.meeting, e.paragraph, e.assignee, e.task, e.due_on) for e in library
    ]
    assert len(rows) >= 2 and not any(r.final for r in rows)
    app.complete_assignment(org, "2024-05-30", number, "Kansliet", date(2024, 6, 1))
    assert [r.assignee for r in projected.views().open_assignments(org)] == [
        e.assignee for e in app.open_assignments(org)
    ]


def test_the_roster_and_fee_list_read_from_the_views_are_the_applications(projected: Projected) -> None:
    _nns(projected)
    app = projected.app
    testing.register_fictitious_network(app, known=5, members=3, joined_on=date(2020, 1, 1))
    testing.register_karlskoga_degerfors(app)
    app.join_network(testing.KARLSKOGA_DEGERFORS, date(2010, 1, 1))
    testing.record_kramfors_allocation(app, 2024)
    testing.record_karlskoga_allocation(app, 2024)
    app.give_network_withdrawal_notice(testing.KRAMFORS, date(2024, 9, 13))
    views = projected.views()
    for day in (date(2019, 6, 1), date(2024, 12, 31), date(2025, 1, 1)):
        assert roster_from(views, day) == app.network_roster(day)
    for year in (2023, 2024, 2025):
        assert fee_list_from(views, year) == app.fee_list(year)
    with pytest.raises(NotFound, match="ingen avgiftsmodell som gäller 2003"):
        fee_list_from(views, 2003)


def test_the_last_regions_notice_shows_the_liquidation_flag_in_the_views(projected: Projected) -> None:
    app = projected.app
    testing.register_kramfors(app)
    council = DecisionRef("Regionfullmäktige", "RF § 1", date(2024, 3, 1))  # FICTITIOUS
    app.give_member_notice(testing.KRAMFORS, "RVN", date(2024, 3, 1), council)
    forbund = projected.views().forbund(testing.KRAMFORS)
    assert forbund is not None
    (flag,) = app.forbund(testing.KRAMFORS).liquidation_flags
    assert {m.key: m.liquidation for m in forbund.members} == {
        "FK": None,
        "AF": None,
        "RVN": flag.message,
        "KRK": None,
    }
