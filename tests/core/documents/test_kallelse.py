"""The kallelse: recorded with its recipients and documents, a late one recorded but flagged, and as a document."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from pypdf import PdfReader

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.documents import kallelse_pdf, kallelse_text
from finsam_core.documents.reading import meeting_row, views_of
from finsam_core.errors import InvalidInput
from finsam_core.projections.clock import deadlines
from finsam_core.projections.minutes_sheet import MinutesSheet
from finsam_core.rules.deadlines import DeadlineStatus

ORG, REF = testing.ORNSKOLDSVIK, "2024-09-12"
RECIPIENTS = ("Jan-Olov Häggström", "Fredrik Berglund", "Camilla Steen", "Zenitha Nordfjell", "Mats Helli")


def _convened() -> Finsam:
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    app.convene_meeting(
        ORG, REF, date(2024, 9, 12), "Stadshuset", opens_at=time(8, 30), agenda=("Sammanträdet öppnas", "Budget 2025")
    )
    return app


def _sheet(app: Finsam) -> MinutesSheet:
    return meeting_row(views_of(app), ORG, REF).sheet


def test_a_kallelse_sent_too_late_is_recorded_and_flagged() -> None:
    app = _convened()
    before = testing.events_recorded(app)
    assert app.send_kallelse(ORG, REF, date(2024, 9, 9), RECIPIENTS, ("Budgetförslag 2025",)) is True
    assert testing.events_recorded(app) == before + 1
    sheet = _sheet(app)
    assert (sheet.kallelse.sent_on, sheet.kallelse.due_on, sheet.kallelse.late) == (
        date(2024, 9, 9),
        date(2024, 9, 5),
        True,
    )
    assert "för sent: förbundsordningen kräver att kallelsen skickas senast 2024-09-05" in kallelse_text(sheet)


def test_a_kallelse_in_time_is_not_flagged_and_the_clock_counts_it_met() -> None:
    app = _convened()
    assert app.send_kallelse(ORG, REF, date(2024, 9, 2), RECIPIENTS) is False
    (item,) = [i for i in deadlines(views_of(app), date(2024, 9, 3), ORG, drafts=True) if i.kind == "kallelse"]
    assert (item.status, item.due_on, item.source) == (
        DeadlineStatus.MET,
        date(2024, 9, 5),
        "förbundsordningen (kallelse)",
    )


def test_a_kallelse_not_sent_is_overdue_after_its_last_day() -> None:
    app = _convened()
    (item,) = [i for i in deadlines(views_of(app), date(2024, 9, 6), ORG, drafts=True) if i.kind == "kallelse"]
    assert item.status is DeadlineStatus.OVERDUE


def test_a_kallelse_without_recipients_is_refused_and_nothing_recorded() -> None:
    app = _convened()
    testing.refused(app, InvalidInput, "minst en mottagare", lambda: app.send_kallelse(ORG, REF, date(2024, 9, 1), ()))


def test_the_kallelse_as_pdf_holds_time_place_agenda_documents_and_recipients() -> None:
    app = _convened()
    app.send_kallelse(ORG, REF, date(2024, 9, 2), RECIPIENTS, ("Budgetförslag 2025",))
    reader = PdfReader(io.BytesIO(kallelse_pdf(_sheet(app))))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for part in (
        "2024-09-12 kl. 08:30",
        "Stadshuset",
        "2. Budget 2025",
        "Budgetförslag 2025",
        "Mats Helli",
        "2024-09-02",
    ):
        assert part in text, part


@pytest.mark.parametrize("sent_on", [date(2024, 9, 13)])
def test_a_kallelse_after_the_meeting_is_refused(sent_on: date) -> None:
    app = _convened()
    testing.refused(app, InvalidInput, "efter sammanträdet", lambda: app.send_kallelse(ORG, REF, sent_on, RECIPIENTS))
