"""Members' payments of their contributions (Kramfors 2024, `003_*` § 2): the kommun up front, the
region in two instalments (January/February and June), Försäkringskassan quarterly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from finsam_core.application import Finsam
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.formats.importer import Status, import_paths
from finsam_core.rules.payments import PaymentPlan, default_due_dates, instalments
from finsam_core.testing import KRAMFORS, events_recorded, record_kramfors_allocation, refused, register_kramfors

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"


@pytest.fixture
def kramfors(app: Finsam) -> Finsam:
    register_kramfors(app)
    record_kramfors_allocation(app, 2024)
    app.set_payment_plan(KRAMFORS, 2024, "KRK", PaymentPlan.UP_FRONT)
    app.set_payment_plan(KRAMFORS, 2024, "RVN", PaymentPlan.TWO_INSTALMENTS)
    app.set_payment_plan(KRAMFORS, 2024, "FK", PaymentPlan.QUARTERLY)
    return app


def _member(app: Finsam, key: str, on: date) -> tuple[Decimal | int, ...]:
    status = app.payment_status(KRAMFORS, 2024, on)
    m = next(m for m in status.members if m.member_key == key)
    return m.due, m.paid, m.outstanding, m.overdue


def test_the_seed_file_records_the_kommun_as_paid_in_full_on_the_meeting_day() -> None:
    app = Finsam(store_url="memory:")
    results = import_paths(app, [SEEDS / "kramfors"])
    assert all(r.status is Status.IMPORTED for r in results), [r.summary for r in results]
    status = app.payment_status(KRAMFORS, 2024, date(2024, 1, 26))
    by_key = {m.member_key: m for m in status.members}
    assert by_key["KRK"].paid == by_key["KRK"].contribution == Decimal(646_500)
    assert by_key["KRK"].outstanding == 0
    assert (by_key["RVN"].plan, by_key["FK"].plan) == ("tva_tillfallen", "kvartalsvis")
    assert status.contribution == Decimal(2_586_000)
    assert status.outstanding == Decimal(2_586_000 - 646_500)


def test_the_plans_split_the_contributions_of_2_586_000_as_the_seed_describes() -> None:
    assert instalments(PaymentPlan.TWO_INSTALMENTS, 2024, Decimal(646_500)) == (
        (date(2024, 2, 29), Decimal("323250.00")),
        (date(2024, 6, 30), Decimal("323250.00")),
    )
    quarters = instalments(PaymentPlan.QUARTERLY, 2024, Decimal(1_293_000))
    assert [day for day, _ in quarters] == [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]
    assert sum(amount for _, amount in quarters) == Decimal(1_293_000)


def test_the_ore_left_over_falls_on_the_last_instalment() -> None:
    parts = instalments(PaymentPlan.QUARTERLY, 2024, Decimal(1_000_001))
    assert [a for _, a in parts] == [Decimal("250000.25")] * 3 + [Decimal("250000.25")]
    parts = instalments(PaymentPlan.QUARTERLY, 2024, Decimal("100.02"))
    assert [a for _, a in parts] == [Decimal("25.00"), Decimal("25.00"), Decimal("25.00"), Decimal("25.02")]


def test_due_dates_of_another_year_are_refused() -> None:
    with pytest.raises(InvalidInput, match="ligger inte i tilldelningens år 2024"):
        instalments(PaymentPlan.UP_FRONT, 2024, Decimal(1), [date(2023, 12, 31)])
    assert default_due_dates(PaymentPlan.TWO_INSTALMENTS, 2023) == (date(2023, 2, 28), date(2023, 6, 30))


def test_what_is_due_paid_outstanding_and_overdue_on_a_day(kramfors: Finsam) -> None:
    kramfors.record_member_payment(KRAMFORS, 2024, "RVN", 323_250, date(2024, 2, 20))
    kramfors.record_member_payment(KRAMFORS, 2024, "FK", 323_250, date(2024, 3, 28))
    # 1 July: the region's June half is overdue, FK's second quarter too.
    assert _member(kramfors, "RVN", date(2024, 7, 1)) == (646_500, 323_250, 323_250, 323_250)
    assert _member(kramfors, "FK", date(2024, 7, 1)) == (646_500, 323_250, 969_750, 323_250)
    # Before the first instalment is due nothing is overdue.
    assert _member(kramfors, "FK", date(2024, 3, 1)) == (0, 0, 1_293_000, 0)
    status = kramfors.payment_status(KRAMFORS, 2024, date(2024, 7, 1))
    assert status.overdue == Decimal(323_250 * 2) + Decimal(646_500)  # the kommun has not paid
    assert status.paid == Decimal(646_500)


def test_a_payment_ahead_of_its_instalment_is_not_overdue_and_reduces_what_is_outstanding(kramfors: Finsam) -> None:
    kramfors.record_member_payment(KRAMFORS, 2024, "KRK", 646_500, date(2024, 1, 15))
    assert _member(kramfors, "KRK", date(2024, 1, 20)) == (0, 646_500, 0, 0)


def test_a_payment_by_an_organisation_that_is_not_a_member_that_year_is_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        MembershipRuleViolation,
        "ÖK bidrar inte till förbundets tilldelning för 2024",
        lambda: kramfors.record_member_payment(KRAMFORS, 2024, "ÖK", 1_000, date(2024, 2, 1)),
    )


def test_a_payment_beyond_the_contribution_is_refused(kramfors: Finsam) -> None:
    kramfors.record_member_payment(KRAMFORS, 2024, "KRK", 600_000, date(2024, 1, 15))
    refused(
        kramfors,
        MoneyRuleViolation,
        "Kramfors kommun har att betala 646 500 kr för 2024 och har betalat 600 000 kr; ytterligare 50 000 kr "
        "skulle överskrida bidraget med 3 500 kr",
        lambda: kramfors.record_member_payment(KRAMFORS, 2024, "KRK", 50_000, date(2024, 2, 1)),
    )


def test_a_payment_dated_in_the_future_is_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "efter dagens datum",
        lambda: kramfors.record_member_payment(KRAMFORS, 2024, "KRK", 1_000, date(2024, 3, 2), today=date(2024, 3, 1)),
    )


def test_a_payment_more_than_a_year_ahead_is_refused(kramfors: Finsam) -> None:
    refused(
        kramfors,
        MoneyRuleViolation,
        "den tidigaste dagen är 2023-01-01",
        lambda: kramfors.record_member_payment(KRAMFORS, 2024, "KRK", 1_000, date(2022, 12, 30)),
    )


def test_a_float_payment_is_refused_with_the_exact_amount_rule(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "aldrig som flyttal",
        lambda: kramfors.record_member_payment(KRAMFORS, 2024, "KRK", 1000.0, date(2024, 2, 1)),  # type: ignore[arg-type]
    )


def test_a_payment_needs_the_members_plan_first(app: Finsam) -> None:
    register_kramfors(app)
    record_kramfors_allocation(app, 2024)
    refused(
        app,
        MembershipRuleViolation,
        "Ange först hur Kramfors kommun betalar",
        lambda: app.record_member_payment(KRAMFORS, 2024, "KRK", 1_000, date(2024, 2, 1)),
    )


def test_a_plan_needs_the_years_allocation(app: Finsam) -> None:
    register_kramfors(app)
    refused(
        app,
        MoneyRuleViolation,
        "Ingen tilldelning för 2024",
        lambda: app.set_payment_plan(KRAMFORS, 2024, "KRK", PaymentPlan.UP_FRONT),
    )


def test_an_unknown_plan_is_refused_in_swedish(kramfors: Finsam) -> None:
    refused(
        kramfors,
        InvalidInput,
        "välj forskott, tva_tillfallen eller kvartalsvis",
        lambda: kramfors.set_payment_plan(KRAMFORS, 2024, "KRK", "manadsvis"),
    )


def test_an_over_payment_in_a_payments_file_names_the_field_and_records_nothing_of_the_file(tmp_path: Path) -> None:
    app = Finsam(store_url="memory:")
    seeded = [SEEDS / "kramfors" / name for name in ("forbund.toml", "tilldelning-2024.toml")]
    assert all(r.status is Status.IMPORTED for r in import_paths(app, seeded))
    text = (SEEDS / "kramfors" / "betalningar-2024.toml").read_text(encoding="utf-8")
    path = tmp_path / "betalningar-2024.toml"
    path.write_text(text.replace("belopp = 646500", "belopp = 700000"), encoding="utf-8")
    (result,) = refused_import(app, path)
    assert "$.betalning[0]" in result
    assert "skulle överskrida bidraget med 53 500 kr" in result
    assert app.payment_status(KRAMFORS, 2024, date(2024, 12, 31)).members == ()


def refused_import(app: Finsam, path: Path) -> list[str]:
    """Import ``path``: it must be refused and record nothing; returns the summaries."""
    before = events_recorded(app)
    results = import_paths(app, [path])
    assert [r.status for r in results] == [Status.REFUSED]
    assert events_recorded(app) == before
    return [r.summary for r in results]
