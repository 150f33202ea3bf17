"""The delegation views on both implementations: the facts kept, and read with the meetings they are the library's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from finsam_core import testing
from finsam_core.domain.delegation import DelegationItem
from finsam_core.projections.delegation import decision_rows, order_on, orders_shown, per_capsulam_rows
from finsam_core.values import Ballot

from .conftest import Projected

OVIK = testing.ORNSKOLDSVIK
ITEMS = (
    DelegationItem("1.1", "Brådskande ärenden", "ordförande", urgent=True),
    DelegationItem("2.1", "Medfinansiering", "förbundschef", limit=Decimal("50000.50")),
)


def test_orders_and_decisions_in_the_views_read_as_the_library_reads_them(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    ref = testing.record_board_decision(app, OVIK, "2024-1", date(2024, 2, 9), "Delegationsordning", ("att anta",))
    app.adopt_delegation_order(OVIK, date(2024, 2, 10), ITEMS, ref)
    app.record_delegated_decision(OVIK, date(2024, 3, 4), "1.1", "ordförande", "Brådskande yttrande")
    app.record_delegated_decision(OVIK, date(2024, 3, 20), "2.1", "förbundschef", "Föreläsning", Decimal("6000.25"))
    later = testing.record_board_decision(app, OVIK, "2024-2", date(2024, 4, 19), "Delegationsordning", ("att anta",))
    app.adopt_delegation_order(OVIK, date(2024, 5, 1), ITEMS[1:], later)
    number = app.add_paragraph(OVIK, "2024-2", "Anmälan av delegationsbeslut")
    app.report_delegated_decisions(OVIK, "2024-2", number, [2])
    views = projected.views()
    row = views.delegation(OVIK)
    assert row is not None
    meetings = [(m.reference, m.held_on) for m in views.meetings(OVIK)]
    drafts = {m.reference for m in views.meetings(OVIK) if not m.final}
    final = {str(m.meeting_id) for m in views.meetings(OVIK) if m.final}
    assert decision_rows(row.decisions, meetings, drafts) == app.delegated_decisions(OVIK)
    assert [d.flag is not None for d in app.delegated_decisions(OVIK)] == [True, False]
    for day in (date(2024, 2, 9), date(2024, 3, 1), date(2024, 4, 30), date(2024, 5, 1)):
        assert order_on(orders_shown(row.orders, final, drafts=True), day) == app.delegation_order_on(OVIK, day)
    assert row.orders[0].valid_to == date(2024, 4, 30)


def test_per_capsulam_in_the_views_reads_as_the_library_reads_it(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    ref = testing.record_board_decision(app, OVIK, "2024-1", date(2024, 2, 9), "Förbundsordning", ("att ändra",))
    charter = msgspec.structs.replace(app.forbund(OVIK).charter_on(date(2024, 3, 1)), per_capsulam=True)
    app.amend_charter(OVIK, charter, date(2024, 3, 1), ref)
    app.propose_per_capsulam(OVIK, "PC 1", "att delta", date(2024, 3, 10))
    for name in ("Jan-Olov Häggström", "Camilla Steen", "Fredrik Berglund"):
        app.answer_per_capsulam(OVIK, "PC 1", name, Ballot.YES, date(2024, 3, 11))
    app.close_per_capsulam(OVIK, "PC 1", date(2024, 3, 12))
    app.propose_per_capsulam(OVIK, "PC 2", "att avstå", date(2024, 3, 20))
    views = projected.views()
    row = views.per_capsulam(OVIK)
    assert row is not None and [p.reference for p in row.proposals] == ["PC 1", "PC 2"]
    meetings = [(m.reference, m.held_on) for m in views.meetings(OVIK)]
    drafts = {m.reference for m in views.meetings(OVIK) if not m.final}
    assert per_capsulam_rows(row.proposals, meetings, drafts) == app.per_capsulam_decisions(OVIK)


def test_an_order_adopted_and_a_report_made_in_draft_minutes_are_marked_until_adjusted(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    ref = testing.record_board_decision(app, OVIK, "2024-1", date(2024, 2, 9), "Delegationsordning", ("att anta",))
    testing.adjust_minutes(app, OVIK, "2024-1", date(2024, 2, 12))
    marked_before = len(projected.views().draft_marks())
    assert marked_before == 0
    later = testing.record_board_decision(app, OVIK, "2024-2", date(2024, 4, 19), "Delegationsordning", ("att anta",))
    app.adopt_delegation_order(OVIK, date(2024, 2, 10), ITEMS, ref)  # adopted in adjusted minutes: not marked
    app.adopt_delegation_order(OVIK, date(2024, 5, 1), ITEMS[1:], later)
    app.record_delegated_decision(OVIK, date(2024, 3, 20), "2.1", "förbundschef", "Föreläsning", Decimal(6000))
    number = app.add_paragraph(OVIK, "2024-2", "Anmälan av delegationsbeslut")
    app.report_delegated_decisions(OVIK, "2024-2", number, [1])
    views = projected.views()
    draft = app.meeting(OVIK, "2024-2").id
    ref_meeting = app.meeting(OVIK, "2024-1").id
    register = app.delegation_register_id(OVIK)
    marked = [m for m in views.draft_marks() if m.stream == register]
    assert len(marked) == 2 and {m.meeting_id for m in marked} == {draft}  # the later order and the report
    row = views.delegation(OVIK)
    assert row is not None and [o.decided_in for o in row.orders] == [[str(ref_meeting)], [str(draft)]]
    final = {str(ref_meeting)}
    shown = orders_shown(row.orders, final, drafts=False)
    assert [(o.valid_from, o.valid_to, o.draft) for o in shown] == [(date(2024, 2, 10), None, False)]
    assert shown == app.delegation_orders(OVIK, drafts=False)
    assert [(o.valid_to, o.draft) for o in app.delegation_orders(OVIK)] == [(date(2024, 4, 30), False), (None, True)]
    assert app.delegation_order_on(OVIK, date(2024, 6, 1), drafts=False) == shown[0]
    meetings = [(m.reference, m.held_on) for m in views.meetings(OVIK)]
    [public] = decision_rows(row.decisions, meetings, {"2024-2"}, drafts=False)
    assert (public.state.value, public.reported_in, public.draft) == ("ej_anmalt", None, False)
    assert app.delegated_decisions(OVIK, drafts=False) == [public]
    [marked_report] = app.delegated_decisions(OVIK)
    assert (marked_report.state.value, marked_report.reported_in, marked_report.draft) == ("anmalt", "2024-2", True)
    testing.adjust_minutes(app, OVIK, "2024-2", date(2024, 4, 22))
    assert projected.views().draft_marks() == []
    [adjusted] = app.delegated_decisions(OVIK, drafts=False)
    assert (adjusted.state.value, adjusted.reported_in, adjusted.draft) == ("anmalt", "2024-2", False)
    assert [o.draft for o in app.delegation_orders(OVIK, drafts=False)] == [False, False]
