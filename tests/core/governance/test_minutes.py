"""Minutes: canonical text, adjustment by signatures, finality, corrections and the public notice."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time

import pytest

from finsam_core.application import Finsam
from finsam_core.errors import (
    AdjustmentRuleViolation,
    InvalidInput,
    MinutesAreFinal,
    NoticeRuleViolation,
    SignatureNotAllowed,
)
from finsam_core.testing import (
    ORNSKOLDSVIK as OVIK,
)
from finsam_core.testing import (
    STOCKHOLM_SUMMER,
    record_ornskoldsvik_2024_05_30,
    refused,
    register_ornskoldsvik,
)

REF = "2024-05-30"


def _at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), STOCKHOLM_SUMMER)


@pytest.fixture
def draft(app: Finsam) -> Finsam:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    return app


@pytest.fixture
def adjusted(app: Finsam) -> Finsam:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app)
    return app


def test_signing_does_not_change_the_canonical_minutes(draft: Finsam) -> None:
    before = draft.meeting(OVIK, REF).canonical_minutes()
    draft.sign_minutes(OVIK, REF, "Fredrik Berglund", _at(date(2024, 6, 10), 14))
    draft.sign_minutes(OVIK, REF, "Jan-Olov Häggström", _at(date(2024, 6, 10)))
    meeting = draft.meeting(OVIK, REF)
    assert meeting.canonical_minutes() == before
    assert meeting.canonical_sha256() == hashlib.sha256(before).hexdigest()
    assert before.decode("utf-8").startswith("PROTOKOLL\nSamordningsförbundet i Örnsköldsvik")


def test_minutes_are_final_once_chair_and_adjuster_have_signed(draft: Finsam) -> None:
    assert draft.sign_minutes(OVIK, REF, "Fredrik Berglund", _at(date(2024, 6, 10), 14)) is False
    assert draft.sign_minutes(OVIK, REF, "JAN OLOV HÄGGSTRÖM", _at(date(2024, 6, 10))) is True
    meeting = draft.meeting(OVIK, REF)
    assert meeting.is_final and meeting.adjusted_on == date(2024, 6, 10)


def test_every_signature_carries_the_hash_of_the_canonical_minutes(adjusted: Finsam) -> None:
    meeting = adjusted.meeting(OVIK, REF)
    assert {s.sha256 for s in meeting.signatures} == {meeting.canonical_sha256()}
    assert len(meeting.signatures) == 3


def test_someone_who_is_neither_chair_nor_adjuster_cannot_sign(draft: Finsam) -> None:
    refused(
        draft,
        SignatureNotAllowed,
        "Camilla Steen får inte justera",
        lambda: draft.sign_minutes(OVIK, REF, "Camilla Steen", _at(date(2024, 6, 10))),
    )


def test_adjustment_dated_before_the_meeting_is_refused(draft: Finsam) -> None:
    refused(
        draft,
        AdjustmentRuleViolation,
        "före sammanträdet 2024-05-30",
        lambda: draft.sign_minutes(OVIK, REF, "Fredrik Berglund", _at(date(2022, 2, 5))),
    )


def test_a_signature_on_another_version_of_the_minutes_is_refused(draft: Finsam) -> None:
    refused(
        draft,
        SignatureNotAllowed,
        "annan version",
        lambda: draft.sign_minutes(OVIK, REF, "Fredrik Berglund", _at(date(2024, 6, 10)), sha256="00" * 32),
    )


def test_a_change_after_a_signature_voids_it(draft: Finsam) -> None:
    draft.sign_minutes(OVIK, REF, "Fredrik Berglund", _at(date(2024, 6, 10), 14))
    draft.note_information(OVIK, REF, 41, "Ytterligare information.")
    assert draft.sign_minutes(OVIK, REF, "Jan-Olov Häggström", _at(date(2024, 6, 10))) is False


def test_final_minutes_cannot_be_changed(adjusted: Finsam) -> None:
    refused(adjusted, MinutesAreFinal, "rättelse", lambda: adjusted.decide(OVIK, REF, 45, ("Att lägga till något.",)))
    refused(
        adjusted,
        MinutesAreFinal,
        "justerat och kan inte ändras",
        lambda: adjusted.add_paragraph(OVIK, REF, "Ny paragraf", number=46),
    )


def test_a_correction_of_final_minutes_shows_as_a_correction(adjusted: Finsam) -> None:
    signed_hash = adjusted.meeting(OVIK, REF).canonical_sha256()
    adjusted.correct(
        OVIK,
        REF,
        43,
        "Ska vara: följeforskningsprojektet.",
        "Stavfel i beslutet.",
        date(2024, 6, 20),
    )
    meeting = adjusted.meeting(OVIK, REF)
    assert meeting.canonical_sha256() == signed_hash
    assert "RÄTTELSE 2024-06-20: Ska vara: följeforskningsprojektet." in adjusted.minutes_text(OVIK, REF)


def test_a_correction_of_a_draft_is_refused(draft: Finsam) -> None:
    refused(draft, InvalidInput, "inte justerat", lambda: draft.correct(OVIK, REF, 43, "x", "y", date(2024, 6, 1)))


def test_the_notice_cannot_be_posted_before_adjustment(draft: Finsam) -> None:
    refused(
        draft,
        NoticeRuleViolation,
        "förrän protokollet är justerat",
        lambda: draft.post_notice(OVIK, REF, date(2024, 6, 11), "anslagstavlan"),
    )


def test_the_appeal_period_ends_three_weeks_after_posting(adjusted: Finsam) -> None:
    meeting = adjusted.meeting(OVIK, REF)
    assert meeting.notice_posted_on == date(2024, 6, 11)
    assert meeting.appeal_ends_on == date(2024, 7, 2)
    assert not meeting.posting_late and not meeting.adjustment_late


def test_an_appeal_period_ending_on_midsommarafton_moves_to_monday(draft: Finsam) -> None:
    draft.sign_minutes(OVIK, REF, "Fredrik Berglund", _at(date(2024, 5, 31)))
    draft.sign_minutes(OVIK, REF, "Jan-Olov Häggström", _at(date(2024, 5, 31)))
    assert draft.post_notice(OVIK, REF, date(2024, 5, 31), "anslagstavlan") == date(2024, 6, 24)


def test_late_adjustment_and_late_posting_are_recorded_and_flagged(draft: Finsam) -> None:
    draft.sign_minutes(OVIK, REF, "Fredrik Berglund", _at(date(2024, 6, 20)))
    draft.sign_minutes(OVIK, REF, "Jan-Olov Häggström", _at(date(2024, 6, 20)))
    draft.post_notice(OVIK, REF, date(2024, 6, 25), "anslagstavlan")
    meeting = draft.meeting(OVIK, REF)
    assert meeting.adjustment_late and meeting.posting_late
    text = draft.minutes_text(OVIK, REF)
    assert "senare än 14 dagar" in text and "senare än andra dagen" in text


def test_the_notice_stays_up_through_the_appeal_period(adjusted: Finsam) -> None:
    refused(
        adjusted,
        NoticeRuleViolation,
        "hela överklagandetiden",
        lambda: adjusted.take_down_notice(OVIK, REF, date(2024, 7, 1)),
    )
    adjusted.take_down_notice(OVIK, REF, date(2024, 7, 2))
    assert adjusted.meeting(OVIK, REF).notice_taken_down_on == date(2024, 7, 2)


def test_rendered_paragraph_43_reads_as_the_source(adjusted: Finsam) -> None:
    text = adjusted.minutes_text(OVIK, REF)
    section = text[text.index("§ 43") : text.index("§ 44")]
    assert (
        "Med tre röster mot en så beslutade styrelsen att säga ja till att delta i följeforskningprojektet." in section
    )
    assert "Camilla Steen reserverade sig för Försäkringskassans räkning mot beslutet enligt följande;" in section
    assert "Ja: Jan-Olov Häggström, Fredrik Berglund, Zenitha Nordfjell. Nej: Camilla Steen." in section


def test_the_header_names_place_time_decision_makers_and_adjusters(adjusted: Finsam) -> None:
    text = adjusted.minutes_text(OVIK, REF)
    assert "Plats och tid: Trolltjärn stadshuset Kronan, 2024-05-30, 08:30–11:00" in text
    assert (
        "Beslutande: Ordförande Jan-Olov Häggström RVN, Fredrik Berglund AF, Camilla Steen FK, Zenitha Nordfjell ÖK"
        in text
    )
    assert "Justerande: Fredrik Berglund" in text
    assert "Paragrafer: 37–45" in text
    assert "Peter Vigren NNS (§ 42)" in text
