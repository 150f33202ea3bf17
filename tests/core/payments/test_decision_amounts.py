"""A decision's amount (Örnsköldsvik 2024 § 43: 50 000 kr per år; Kramfors 2024 § 6: 6 000 kr) and the
spending recorded against it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from finsam_core.application import Finsam
from finsam_core.errors import InvalidInput, MinutesAreFinal, MoneyRuleViolation
from finsam_core.formats.importer import Status, import_paths
from finsam_core.rules.spending import AmountPeriod
from finsam_core.testing import refused

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
ORNSKOLDSVIK = "222000-1883"
KRAMFORS = "222000-1586"


def _seeded(app: Finsam, *forbund: str) -> Finsam:
    results = import_paths(app, [SEEDS / name for name in forbund])
    assert all(r.status is Status.IMPORTED for r in results), [r.summary for r in results]
    return app


@pytest.fixture
def seeded() -> Finsam:
    return _seeded(Finsam(store_url="memory:"), "ornskoldsvik", "kramfors")


def test_section_43_carries_a_cap_of_50_000_kronor_a_year_in_the_register(seeded: Finsam) -> None:
    entry = next(d for d in seeded.decision_register(ORNSKOLDSVIK) if d.paragraph == 43)
    assert (entry.amount, entry.period) == (Decimal(50_000), "ar")
    assert (entry.yes, entry.no) == (3, 1)


def test_kramfors_co_financing_of_6_000_kronor_is_a_one_off_amount(seeded: Finsam) -> None:
    entry = next(d for d in seeded.decision_register(KRAMFORS) if d.paragraph == 6)
    assert (entry.amount, entry.period) == (Decimal(6_000), "engang")


def test_decisions_without_an_amount_show_none(seeded: Finsam) -> None:
    entries = [d for d in seeded.decision_register(ORNSKOLDSVIK) if d.paragraph != 43]
    assert entries and all(d.amount is None and d.period is None for d in entries)


def test_the_minutes_state_the_amount_after_the_decision(seeded: Finsam) -> None:
    from finsam_core.domain.minutes import render_minutes

    text = render_minutes(seeded.meeting(ORNSKOLDSVIK, "2024-05-30"))
    section = text[text.index("§ 43") : text.index("§ 44")]
    assert "Belopp: högst 50 000 kr per år." in section
    assert section.index("så beslutade styrelsen") < section.index("Belopp: högst")


def test_the_minutes_sheet_shows_the_amount_in_the_paragraph(seeded: Finsam) -> None:
    from finsam_core.projections.minutes_sheet import minutes_sheet

    sheet = minutes_sheet(seeded.meeting(KRAMFORS, "2024-01-26"))
    paragraph = next(p for p in sheet.paragraphs if p.number == 6)
    assert ("amount", ("Belopp: högst 6 000 kr totalt.",)) in [(e.kind, e.lines) for e in paragraph.entries]


def test_spending_within_the_years_cap_is_recorded_and_the_rest_returned(seeded: Finsam) -> None:
    left = seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 43, 30_000, date(2024, 11, 1), "Doktorandtjänst")
    assert left == Decimal(20_000)
    status = seeded.decision_spending(ORNSKOLDSVIK, "2024-05-30", 43, date(2024, 12, 31))
    assert (status.spent, status.left, status.period) == (Decimal(30_000), Decimal(20_000), AmountPeriod.YEAR)


def test_spending_past_the_years_cap_is_refused(seeded: Finsam) -> None:
    seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 43, 30_000, date(2024, 11, 1))
    refused(
        seeded,
        MoneyRuleViolation,
        r"medger högst 50 000 kr per år\. 30 000 kr är redan använt under 2024; ytterligare 25 000 kr "
        r"skulle överskrida ramen med 5 000 kr",
        lambda: seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 43, 25_000, date(2024, 12, 1)),
    )


def test_a_yearly_cap_starts_again_each_calendar_year(seeded: Finsam) -> None:
    seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 43, 50_000, date(2024, 11, 1))
    assert seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 43, 50_000, date(2025, 2, 1)) == 0


def test_a_one_off_amount_is_not_renewed_by_a_new_year(seeded: Finsam) -> None:
    seeded.record_spending(KRAMFORS, "2024-01-26", 6, 6_000, date(2024, 3, 20))
    refused(
        seeded,
        MoneyRuleViolation,
        "medger högst 6 000 kr totalt",
        lambda: seeded.record_spending(KRAMFORS, "2024-01-26", 6, 1, date(2025, 1, 2)),
    )


def test_spending_before_the_decision_is_refused(seeded: Finsam) -> None:
    refused(
        seeded,
        MoneyRuleViolation,
        "före beslutet 2024-05-30 § 43",
        lambda: seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 43, 1_000, date(2024, 5, 1)),
    )


def test_spending_against_a_decision_without_an_amount_is_refused(seeded: Finsam) -> None:
    refused(
        seeded,
        MoneyRuleViolation,
        "anger inget belopp",
        lambda: seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 42, 1_000, date(2024, 6, 1)),
    )


def test_a_float_amount_is_refused_with_the_exact_amount_rule(seeded: Finsam) -> None:
    refused(
        seeded,
        InvalidInput,
        "aldrig som flyttal",
        lambda: seeded.record_spending(ORNSKOLDSVIK, "2024-05-30", 43, 1000.5, date(2024, 6, 1)),  # type: ignore[arg-type]
    )


def test_an_amount_cannot_be_attached_to_adjusted_minutes(seeded: Finsam) -> None:
    refused(
        seeded,
        MinutesAreFinal,
        "",
        lambda: seeded.attach_decision_amount(ORNSKOLDSVIK, "2024-05-30", 42, 10_000),
    )


def test_an_amount_needs_a_decision_and_is_positive(app: Finsam) -> None:
    from finsam_core.testing import register_ornskoldsvik
    from finsam_core.testing.minutes import record_ornskoldsvik_2024_05_30

    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    meeting = app.meeting(ORNSKOLDSVIK, "2024-05-30")
    undecided = next(n for n, p in meeting.paragraphs.items() if not p.decisions)
    decided = next(n for n, p in meeting.paragraphs.items() if p.decisions and not p.amounts)
    refused(
        app,
        InvalidInput,
        "inget beslut att knyta",
        lambda: app.attach_decision_amount(ORNSKOLDSVIK, "2024-05-30", undecided, 10_000),
    )
    refused(
        app,
        InvalidInput,
        "större än noll",
        lambda: app.attach_decision_amount(ORNSKOLDSVIK, "2024-05-30", decided, 0),
    )
    app.attach_decision_amount(ORNSKOLDSVIK, "2024-05-30", decided, "12500.50", AmountPeriod.ONCE)
    refused(
        app,
        InvalidInput,
        "har redan ett belopp",
        lambda: app.attach_decision_amount(ORNSKOLDSVIK, "2024-05-30", decided, 1),
    )
    entry = next(d for d in app.decision_register(ORNSKOLDSVIK) if d.paragraph == decided)
    assert entry.amount == Decimal("12500.50")
