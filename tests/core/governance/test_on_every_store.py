"""The Örnsköldsvik meeting recorded and read back on every store: memory, SQLite file, PostgreSQL."""

from __future__ import annotations

from datetime import date

from finsam_core.application import Finsam
from finsam_core.errors import InvalidInput, ParagraphNumberingViolation
from finsam_core.testing import ORNSKOLDSVIK, record_ornskoldsvik_2024_05_30, refused, register_ornskoldsvik


def test_a_meeting_recorded_in_one_batch_reads_back_the_same_from_a_new_application(
    store_url: str,
) -> None:
    app = Finsam(store_url=store_url)
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app)
    minutes = app.minutes_text(ORNSKOLDSVIK, "2024-05-30")
    register = app.decision_register(ORNSKOLDSVIK)
    again = app if store_url == "memory:" else Finsam(store_url=store_url)
    assert again.minutes_text(ORNSKOLDSVIK, "2024-05-30") == minutes
    assert again.decision_register(ORNSKOLDSVIK) == register
    assert again.meeting(ORNSKOLDSVIK, "2024-05-30").is_final


def test_a_failing_batch_records_nothing(app: Finsam) -> None:
    register_ornskoldsvik(app)

    def a_batch_with_a_duplicate_paragraph_number() -> None:
        with app.batch() as tx:
            tx.convene_meeting(ORNSKOLDSVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
            tx.add_paragraph(ORNSKOLDSVIK, "2024-09-01", "Öppnande", number=1)
            tx.add_paragraph(ORNSKOLDSVIK, "2024-09-01", "Igen", number=1)

    refused(app, InvalidInput, "§ 1 finns redan", a_batch_with_a_duplicate_paragraph_number)


def test_a_refused_command_leaves_no_trace_in_the_aggregate_cache(app: Finsam) -> None:
    register_ornskoldsvik(app)
    app.convene_meeting(ORNSKOLDSVIK, "2024-09-01", date(2024, 9, 1), "Örnsköldsvik")
    app.add_paragraph(ORNSKOLDSVIK, "2024-09-01", "Öppnande", number=5)
    app.convene_meeting(ORNSKOLDSVIK, "2024-10-01", date(2024, 10, 1), "Örnsköldsvik")
    # the meeting takes § 5 in memory, then the minute book refuses the repeat
    refused(
        app,
        ParagraphNumberingViolation,
        "§ 5 finns redan",
        lambda: app.add_paragraph(ORNSKOLDSVIK, "2024-10-01", "Öppnande", number=5),
    )
    assert app.meeting(ORNSKOLDSVIK, "2024-10-01").paragraphs == {}
    assert app.add_paragraph(ORNSKOLDSVIK, "2024-10-01", "Öppnande") == 6
