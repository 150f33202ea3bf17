"""The minutes and the protokollsutdrag as PDF, read back as text: what the seed minutes (`002_*`) show."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.documents import excerpt_pdf, excerpt_text, minutes_html, minutes_pdf
from finsam_core.documents.reading import meeting_row, views_of
from finsam_core.errors import ExcerptNotAllowed
from finsam_core.projections.minutes_sheet import MinutesSheet

ORG, REF = testing.ORNSKOLDSVIK, "2024-05-30"


def _text(pdf: bytes) -> list[str]:
    """Each page's text, with runs of white space as one space (lines wrap where the page ends)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _body(pages: list[str]) -> str:
    """The pages' text without what every page repeats (header and signature boxes), as one text."""
    header = re.compile(r"^.*? Sid \d+\(\d+\) .*? Sammanträdesdatum \d{4}-\d{2}-\d{2} ")
    footer = re.compile(r" Justerandes signatur( Utdragsbestyrkande)?$")
    return " ".join(footer.sub("", header.sub("", page)) for page in pages)


@pytest.fixture(scope="module")
def ornskoldsvik() -> tuple[Finsam, MinutesSheet]:
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    return app, meeting_row(views_of(app), ORG, REF).sheet


@pytest.fixture(scope="module")
def pages(ornskoldsvik: tuple[Finsam, MinutesSheet]) -> list[str]:
    return _text(minutes_pdf(ornskoldsvik[1]))


def test_every_page_says_sid_n_of_m_and_has_the_adjusters_signature_box(pages: list[str]) -> None:
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert f"Sid {n}({len(pages)})" in page
        assert "Justerandes signatur" in page


def test_the_front_page_holds_the_meeting_the_people_and_each_signatures_hash(
    ornskoldsvik: tuple[Finsam, MinutesSheet], pages: list[str]
) -> None:
    front = pages[0]
    for text in (
        "Plats och tid Trolltjärn stadshuset Kronan, 2024-05-30, 08:30–11:00",
        "Ordförande Jan-Olov Häggström",
        "Camilla Steen",
        "Mats Helli ersättare",
        "Peter Vigren NNS (§ 42)",
        "Utses att justera Fredrik Berglund",
        "Justerat 2024-06-10",
        "Paragrafer 37–45",
    ):
        assert text in front, text
    digest = ornskoldsvik[0].meeting(ORG, REF).canonical_sha256().upper()
    assert front.replace(" ", "").count(digest) == 3  # secretary, chair, adjuster


def test_the_bevis_holds_the_anslag_dates_and_the_last_day_to_appeal(pages: list[str]) -> None:
    front = pages[0]
    assert "BEVIS" in front
    assert "2024-06-11 (anslag hos respektive medlem)" in front
    assert "Sista dag att överklaga 2024-07-02" in front
    assert "tidigast 2024-07-02" in front
    assert "Förvaringsplats för protokollet" in front


def test_paragraph_43_lists_each_vote_and_the_outcome_in_words(pages: list[str]) -> None:
    text = _body(pages)
    votes = re.search(r"Omröstningslista Ledamot för Ja Nej Avstår (.*?) Summa", text)
    assert votes is not None
    ballots = votes.group(1)
    for name in ("Jan-Olov Häggström", "Fredrik Berglund", "Zenitha Nordfjell", "Camilla Steen"):
        assert name in ballots
    assert "Camilla Steen FK X" in ballots
    assert "Utfall: 3 ja, 1 nej, 0 avstår: enkel majoritet för förslaget." in text
    assert "Med tre röster mot en så beslutade styrelsen att säga ja till att delta i följeforskningprojektet." in text


def test_camilla_steens_reservation_is_verbatim(pages: list[str]) -> None:
    text = _body(pages)
    assert "Camilla Steen reserverade sig för Försäkringskassans räkning mot beslutet enligt följande;" in text
    assert f"”{testing.ORNSKOLDSVIK_RESERVATION}”" in text


def test_the_same_minutes_give_the_same_bytes(ornskoldsvik: tuple[Finsam, MinutesSheet]) -> None:
    assert minutes_pdf(ornskoldsvik[1]) == minutes_pdf(ornskoldsvik[1])


def test_the_html_escapes_and_holds_the_reservation(ornskoldsvik: tuple[Finsam, MinutesSheet]) -> None:
    html = minutes_html(ornskoldsvik[1])
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert testing.ORNSKOLDSVIK_RESERVATION in html
    assert "Sista dag att överklaga</th><td>2024-07-02" in html


def test_an_excerpt_of_43_holds_only_43_the_front_matter_and_the_certification(
    ornskoldsvik: tuple[Finsam, MinutesSheet],
) -> None:
    app, sheet = ornskoldsvik
    text = _body(_text(excerpt_pdf(sheet, [43], "Pär Eriksson", date(2024, 6, 12))))
    assert "§ 43 Beslut om deltagande" in text
    assert not re.search(r"§ (3[7-9]|4[0-25])\b", text)
    assert "Sammanträdesdatum 2024-05-30" in text and "Justerande Fredrik Berglund" in text
    assert "Utdragsbestyrkande" in text and "Bestyrkt 2024-06-12 av Pär Eriksson." in text
    trail = {s.sha256 for s in app.meeting(ORG, REF).signatures}
    assert trail == {sheet.sha256}
    assert f"SHA-256 för det justerade protokollet: {sheet.sha256.upper()}" in text
    assert testing.ORNSKOLDSVIK_RESERVATION in text


def test_an_excerpt_as_text_holds_the_vote_list(ornskoldsvik: tuple[Finsam, MinutesSheet]) -> None:
    text = excerpt_text(ornskoldsvik[1], [43], "Pär Eriksson", date(2024, 6, 12))
    assert "  Camilla Steen FK: nej" in text
    assert "§ 44" not in text


def test_no_excerpt_of_minutes_not_adjusted() -> None:
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app, sign=False)
    sheet = meeting_row(views_of(app), ORG, REF).sheet
    message = testing.refused(
        app, ExcerptNotAllowed, "bara tas ur justerade protokoll", lambda: excerpt_pdf(sheet, [43], "X", date.today())
    )
    assert "2024-05-30" in message


def test_no_excerpt_of_a_paragraph_the_minutes_do_not_hold(ornskoldsvik: tuple[Finsam, MinutesSheet]) -> None:
    with pytest.raises(ExcerptNotAllowed, match="ingen § 99"):
        excerpt_text(ornskoldsvik[1], [99], "X", date(2024, 6, 12))
