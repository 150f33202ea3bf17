"""The amount a decision carries and the members' payments, in both implementations of the views."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finsam_core import testing
from finsam_core.projections.payment_status import forbund_status
from finsam_core.projections.registers import DecisionEntry
from finsam_core.rules.payments import PaymentPlan

from .conftest import Projected


def test_the_decision_register_of_the_views_carries_the_amount(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, amount=True)  # § 43 carries its 50 000 kr a year
    rows = projected.views().decisions(testing.ORNSKOLDSVIK)
    fields = DecisionEntry.__struct_fields__
    assert [DecisionEntry(**{n: getattr(r, n) for n in fields}) for r in rows] == app.decision_register(
        testing.ORNSKOLDSVIK
    )
    row = next(r for r in rows if r.paragraph == 43)
    assert (row.amount, row.period) == (Decimal(50_000), "ar")


def test_the_payment_status_from_the_views_is_the_librarys(projected: Projected) -> None:
    app = projected.app
    testing.register_kramfors(app)
    testing.record_kramfors_allocation(app, 2024)
    app.set_payment_plan(testing.KRAMFORS, 2024, "KRK", PaymentPlan.UP_FRONT)
    app.set_payment_plan(testing.KRAMFORS, 2024, "RVN", PaymentPlan.TWO_INSTALMENTS)
    app.record_member_payment(testing.KRAMFORS, 2024, "KRK", 646_500, date(2024, 1, 15))
    app.record_member_payment(testing.KRAMFORS, 2024, "RVN", "323250.50", date(2024, 2, 10))
    (row,) = projected.views().member_payments(2024)
    on = date(2024, 7, 1)
    from_views = forbund_status(row.org_nr, row.year, row.schedules, row.payments, on)
    assert from_views == app.payment_status(testing.KRAMFORS, 2024, on)
    assert from_views.paid == Decimal("969750.50")
    assert from_views.overdue == Decimal("323249.50")
    assert projected.views().member_payments(2023) == []


def test_the_spending_against_a_decision_is_in_the_views(projected: Projected) -> None:
    app = projected.app
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, amount=True)
    app.record_spending(testing.ORNSKOLDSVIK, "2024-05-30", 43, 30_000, date(2024, 11, 1), "Doktorandtjänst")
    app.record_spending(testing.ORNSKOLDSVIK, "2024-05-30", 43, "12500.50", date(2025, 1, 10))
    (row,) = projected.views().decision_spending(testing.ORNSKOLDSVIK)
    assert (row.meeting, row.paragraph, row.decision) == ("2024-05-30", 43, 0)
    assert [(s.spent_on, s.amount) for s in row.spending] == [
        (date(2024, 11, 1), Decimal(30_000)),
        (date(2025, 1, 10), Decimal("12500.50")),
    ]
    assert row.spending[0].note == "Doktorandtjänst"
