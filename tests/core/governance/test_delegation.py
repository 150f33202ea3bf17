"""Delegation (kommunallagen 6 kap. 37–40 §§): the order over time, delegated decisions, reporting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.delegation import DelegationItem
from finsam_core.errors import DelegationRuleViolation, InvalidInput, MinutesAreFinal
from finsam_core.rules.delegation import MatterClass, ReportState, next_meeting_after, report_state
from finsam_core.testing import ORNSKOLDSVIK as OVIK
from finsam_core.testing import adjust_minutes, record_board_decision, refused, register_ornskoldsvik

ITEMS = (
    DelegationItem("1.1", "Brådskande ärenden som inte kan vänta till nästa sammanträde", "ordförande", urgent=True),
    DelegationItem("2.1", "Medfinansiering av föreläsningar och konferenser", "förbundschef", limit=Decimal(50_000)),
    DelegationItem("3.1", "Attest av fakturor inom budget", "förbundschef"),
)


def _adopted(app: Finsam) -> DecisionRef:
    register_ornskoldsvik(app)
    ref = record_board_decision(
        app, OVIK, "2024-1", date(2024, 2, 9), "Delegationsordning", ("att anta delegationsordningen",)
    )
    app.adopt_delegation_order(OVIK, date(2024, 2, 10), ITEMS, ref)
    return ref


@pytest.fixture
def mem() -> Finsam:
    return Finsam(store_url="memory:")


def test_the_order_in_force_on_a_day_is_the_one_adopted_by_the_board(app: Finsam) -> None:
    ref = _adopted(app)
    order = app.delegation_order_on(OVIK, date(2024, 3, 1))
    assert order is not None
    assert (order.valid_from, order.valid_to, order.adopted_in, order.adopted_paragraph) == (
        date(2024, 2, 10),
        None,
        "2024-1",
        ref.paragraph,
    )
    assert [i.code for i in order.items] == ["1.1", "2.1", "3.1"]
    assert app.delegation_order_on(OVIK, date(2024, 2, 9)) is None


def test_a_replaced_order_stays_as_history(mem: Finsam) -> None:
    _adopted(mem)
    ref = record_board_decision(mem, OVIK, "2024-3", date(2024, 5, 30), "Ny delegationsordning", ("att anta",))
    lower = (DelegationItem("2.1", "Medfinansiering", "förbundschef", limit=Decimal(30_000)),)
    mem.adopt_delegation_order(OVIK, date(2024, 6, 1), lower, ref)
    before = mem.delegation_order_on(OVIK, date(2024, 5, 31))
    after = mem.delegation_order_on(OVIK, date(2024, 6, 1))
    assert before is not None and after is not None
    assert before.valid_to == date(2024, 5, 31)
    assert [(o.valid_from, o.valid_to) for o in mem.delegation_orders(OVIK)] == [
        (date(2024, 2, 10), date(2024, 5, 31)),
        (date(2024, 6, 1), None),
    ]
    assert before.items[1].limit == Decimal(50_000)
    assert after.items[0].limit == Decimal(30_000)
    # A decision in May is judged by the May order: 40 000 kr was within its limit.
    mem.record_delegated_decision(OVIK, date(2024, 5, 20), "2.1", "förbundschef", "Konferens", Decimal(40_000))
    refused(
        mem,
        DelegationRuleViolation,
        "40 000 kr överstiger gränsen 30 000 kr i punkt 2.1",
        lambda: mem.record_delegated_decision(OVIK, date(2024, 6, 2), "2.1", "förbundschef", "Konf", Decimal(40_000)),
    )


def test_a_new_order_must_start_after_the_one_in_force(mem: Finsam) -> None:
    ref = _adopted(mem)
    refused(
        mem,
        DelegationRuleViolation,
        "senare datum än den gällande",
        lambda: mem.adopt_delegation_order(OVIK, date(2024, 2, 10), ITEMS, ref),
    )


def test_an_order_needs_a_decision_in_the_boards_minutes(mem: Finsam) -> None:
    register_ornskoldsvik(mem)
    other = DecisionRef(body="Regionfullmäktige", reference="RF § 1", decided_on=date(2024, 1, 1))
    refused(
        mem,
        DelegationRuleViolation,
        "6 kap. 37 §",
        lambda: mem.adopt_delegation_order(OVIK, date(2024, 2, 10), ITEMS, other),
    )


@pytest.mark.parametrize(
    ("matter_class", "paragraph"),
    [(MatterClass.BUDGET, "38 § 1"), (MatterClass.PRINCIPLE, "38 § 3"), (MatterClass.GOALS, "38 § 1")],
)
def test_the_law_keeps_some_matters_with_the_board(mem: Finsam, matter_class: MatterClass, paragraph: str) -> None:
    register_ornskoldsvik(mem)
    ref = record_board_decision(mem, OVIK, "2024-1", date(2024, 2, 9), "Delegationsordning", ("att anta",))
    items = (*ITEMS, DelegationItem("9.9", "Budget för nästa år", "förbundschef", matter_class=matter_class))
    refused(
        mem,
        DelegationRuleViolation,
        f"Punkt 9.9 .* kan inte delegeras.*6 kap. {paragraph}",
        lambda: mem.adopt_delegation_order(OVIK, date(2024, 2, 10), items, ref),
    )


def test_urgent_matters_go_only_to_the_chair_or_a_ledamot(mem: Finsam) -> None:
    register_ornskoldsvik(mem)
    ref = record_board_decision(mem, OVIK, "2024-1", date(2024, 2, 9), "Delegationsordning", ("att anta",))
    refused(
        mem,
        DelegationRuleViolation,
        "6 kap. 39 §",
        lambda: mem.adopt_delegation_order(
            OVIK, date(2024, 2, 10), (DelegationItem("1", "Brådskande", "förbundschef", urgent=True),), ref
        ),
    )
    # A ledamot named by the board may have it.
    mem.adopt_delegation_order(
        OVIK, date(2024, 2, 10), (DelegationItem("1", "Brådskande", "Camilla Steen", urgent=True),), ref
    )


def test_a_delegated_decision_needs_an_order_in_force(mem: Finsam) -> None:
    _adopted(mem)
    refused(
        mem,
        DelegationRuleViolation,
        "Ingen delegationsordning gällde 2024-02-01.*6 kap. 37 §",
        lambda: mem.record_delegated_decision(OVIK, date(2024, 2, 1), "3.1", "förbundschef", "Attest"),
    )


def test_a_delegated_decision_must_fall_under_an_item_and_its_delegate(mem: Finsam) -> None:
    _adopted(mem)
    refused(
        mem,
        DelegationRuleViolation,
        "ingen punkt 7.7",
        lambda: mem.record_delegated_decision(OVIK, date(2024, 3, 1), "7.7", "förbundschef", "Något"),
    )
    refused(
        mem,
        DelegationRuleViolation,
        "delegerad till förbundschef, inte till ordförande",
        lambda: mem.record_delegated_decision(OVIK, date(2024, 3, 1), "3.1", "ordförande", "Attest"),
    )


def test_an_amount_over_the_cap_is_refused(mem: Finsam) -> None:
    _adopted(mem)
    refused(
        mem,
        DelegationRuleViolation,
        "Beloppet 50 001 kr överstiger gränsen 50 000 kr i punkt 2.1",
        lambda: mem.record_delegated_decision(
            OVIK, date(2024, 3, 20), "2.1", "förbundschef", "Föreläsning", Decimal(50_001)
        ),
    )
    refused(
        mem,
        InvalidInput,
        "ange beslutets belopp",
        lambda: mem.record_delegated_decision(OVIK, date(2024, 3, 20), "2.1", "förbundschef", "Föreläsning"),
    )
    decision = mem.record_delegated_decision(
        OVIK, date(2024, 3, 20), "2.1", "förbundschef", "Föreläsning", Decimal(50_000)
    )
    assert decision.number == 1


def test_a_matter_of_principle_is_refused_even_under_an_item(mem: Finsam) -> None:
    _adopted(mem)
    refused(
        mem,
        DelegationRuleViolation,
        "principiell beskaffenhet.*6 kap. 38 § 3",
        lambda: mem.record_delegated_decision(
            OVIK, date(2024, 3, 1), "3.1", "förbundschef", "Ny policy", matter_class=MatterClass.PRINCIPLE
        ),
    )


def test_reported_decisions_are_written_in_the_minutes_and_leave_the_unreported_list(app: Finsam) -> None:
    _adopted(app)
    app.record_delegated_decision(
        OVIK, date(2024, 3, 20), "2.1", "förbundschef", "Föreläsning Sanna Lundell", Decimal(6000)
    )
    app.record_delegated_decision(OVIK, date(2024, 4, 2), "3.1", "förbundschef", "Attest mars")
    app.record_delegated_decision(OVIK, date(2024, 4, 25), "3.1", "förbundschef", "Attest april")
    record_board_decision(app, OVIK, "2024-2", date(2024, 4, 19), "Föregående protokoll", ("att lägga",))
    number = app.add_paragraph(OVIK, "2024-2", "Anmälan av delegationsbeslut")
    app.report_delegated_decisions(OVIK, "2024-2", number, [1, 2])
    rows = app.delegated_decisions(OVIK)
    assert [(r.number, r.state, r.reported_in) for r in rows] == [
        (1, ReportState.REPORTED, "2024-2"),
        (2, ReportState.REPORTED, "2024-2"),
        (3, ReportState.UNREPORTED, None),
    ]
    assert all(r.flag is None for r in rows)
    text = app.minutes_text(OVIK, "2024-2")
    assert "Delegationsbeslut nr 1, 2024-03-20, förbundschef (punkt 2.1): Föreläsning Sanna Lundell (6 000 kr)" in text
    refused(
        app,
        DelegationRuleViolation,
        "nr 1 anmäldes redan i § .* 2024-2",
        lambda: app.report_delegated_decisions(OVIK, "2024-2", number, [1]),
    )
    refused(
        app,
        DelegationRuleViolation,
        "nr 3 fattades 2024-04-25, efter sammanträdet 2024-04-19",
        lambda: app.report_delegated_decisions(OVIK, "2024-2", number, [3]),
    )


def test_an_urgent_decision_not_reported_at_the_next_meeting_is_flagged(mem: Finsam) -> None:
    _adopted(mem)
    mem.record_delegated_decision(OVIK, date(2024, 3, 4), "1.1", "ordförande", "Yttrande om projektansökan")
    mem.record_delegated_decision(OVIK, date(2024, 3, 5), "1.1", "ordförande", "Brådskande avtal")
    [first, second] = mem.delegated_decisions(OVIK)
    assert (first.urgent, first.state, first.due_at, first.flag) == (True, ReportState.UNREPORTED, None, None)
    record_board_decision(mem, OVIK, "2024-2", date(2024, 4, 19), "Föregående protokoll", ("att lägga",))
    number = mem.add_paragraph(OVIK, "2024-2", "Anmälan av ordförandebeslut")
    mem.report_delegated_decisions(OVIK, "2024-2", number, [1])
    [first, second] = mem.delegated_decisions(OVIK)
    assert (first.state, first.due_at, first.flag) == (ReportState.REPORTED, "2024-2", None)
    assert second.state is ReportState.OVERDUE
    assert second.flag is not None and "2024-2 (2024-04-19)" in second.flag and "6 kap. 40 §" in second.flag
    record_board_decision(mem, OVIK, "2024-3", date(2024, 5, 30), "Föregående protokoll", ("att lägga",))
    later = mem.add_paragraph(OVIK, "2024-3", "Anmälan av ordförandebeslut")
    mem.report_delegated_decisions(OVIK, "2024-3", later, [2])
    second = mem.delegated_decisions(OVIK)[1]
    assert second.state is ReportState.REPORTED_LATE
    assert second.flag is not None and "2024-2" in second.flag


def test_the_next_meeting_is_the_first_held_after_the_decision() -> None:
    meetings = [("b", date(2024, 5, 30)), ("a", date(2024, 4, 19)), ("c", date(2024, 3, 4))]
    assert next_meeting_after(date(2024, 3, 4), meetings) == ("a", date(2024, 4, 19))
    assert next_meeting_after(date(2024, 6, 1), meetings) is None
    assert report_state(date(2024, 3, 4), "b", meetings, at_next_meeting=True)[0] is ReportState.REPORTED_LATE
    assert report_state(date(2024, 3, 4), "b", meetings, at_next_meeting=False)[0] is ReportState.REPORTED
    assert report_state(date(2024, 3, 4), None, meetings, at_next_meeting=False)[0] is ReportState.UNREPORTED


def test_adjusted_minutes_take_no_new_report(mem: Finsam) -> None:
    _adopted(mem)
    mem.record_delegated_decision(OVIK, date(2024, 3, 1), "3.1", "förbundschef", "Attest")
    record_board_decision(mem, OVIK, "2024-2", date(2024, 4, 19), "Anmälan av delegationsbeslut", ("att notera",))
    adjust_minutes(mem, OVIK, "2024-2", date(2024, 4, 22))
    number = max(mem.meeting(OVIK, "2024-2").paragraphs)
    refused(
        mem,
        MinutesAreFinal,
        "är justerat",
        lambda: mem.report_delegated_decisions(OVIK, "2024-2", number, [1]),
    )
    assert mem.delegated_decisions(OVIK)[0].state is ReportState.UNREPORTED
