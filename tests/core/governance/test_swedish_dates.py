"""Dates of acts are Swedish dates (issue 15): an instant is dated in Europe/Stockholm, not in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from finsam_core.application import Finsam
from finsam_core.audit.dates import domain_date
from finsam_core.errors import InvalidInput
from finsam_core.rules.calendar import swedish_date
from finsam_core.testing import ORNSKOLDSVIK as OVIK
from finsam_core.testing import record_ornskoldsvik_2024_05_30, refused, register_ornskoldsvik

REF = "2024-05-30"
CHAIR = "Jan-Olov Häggström"


@pytest.fixture
def draft(app: Finsam) -> Finsam:
    register_ornskoldsvik(app)
    record_ornskoldsvik_2024_05_30(app, sign=False)
    return app


def _sign_all(app: Finsam, at: datetime) -> None:
    meeting = app.meeting(OVIK, REF)
    for name in [meeting.chair or "", *meeting.adjusters]:
        app.sign_minutes(OVIK, REF, name, at)


def test_an_instant_at_half_past_one_in_sweden_is_dated_that_day() -> None:
    assert swedish_date(datetime(2024, 5, 29, 23, 30, tzinfo=UTC)) == date(2024, 5, 30)
    assert swedish_date(datetime(2024, 1, 25, 23, 30, tzinfo=UTC)) == date(2024, 1, 26)


def test_a_date_is_its_own_swedish_date() -> None:
    assert swedish_date(date(2024, 5, 30)) == date(2024, 5, 30)


def test_an_instant_without_a_time_zone_cannot_be_dated() -> None:
    with pytest.raises(InvalidInput, match="tidszon"):
        swedish_date(datetime(2024, 5, 30, 1, 30))


def test_a_signature_at_half_past_one_on_the_meeting_day_is_not_before_the_meeting(draft: Finsam) -> None:
    _sign_all(draft, datetime(2024, 5, 29, 23, 30, tzinfo=UTC))
    assert draft.meeting(OVIK, REF).adjusted_on == date(2024, 5, 30)


def test_a_signature_at_half_past_one_after_the_fourteenth_day_is_late(draft: Finsam) -> None:
    _sign_all(draft, datetime(2024, 6, 13, 23, 30, tzinfo=UTC))
    meeting = draft.meeting(OVIK, REF)
    assert meeting.adjusted_on == date(2024, 6, 14)
    assert meeting.adjustment_late


def test_a_notice_posted_at_an_instant_is_recorded_on_its_swedish_date(draft: Finsam) -> None:
    _sign_all(draft, datetime(2024, 6, 10, 10, 0, tzinfo=UTC))
    draft.post_notice(OVIK, REF, datetime(2024, 6, 10, 23, 30, tzinfo=UTC), "Förbundets anslagstavla")
    assert draft.meeting(OVIK, REF).notice_posted_on == date(2024, 6, 11)


def test_a_notice_posted_at_an_instant_without_a_time_zone_is_refused(draft: Finsam) -> None:
    _sign_all(draft, datetime(2024, 6, 10, 10, 0, tzinfo=UTC))
    refused(
        draft,
        InvalidInput,
        "tidszon",
        lambda: draft.post_notice(OVIK, REF, datetime(2024, 6, 11, 1, 30), "Förbundets anslagstavla"),
    )


def test_a_withdrawal_notice_to_nns_at_an_instant_is_dated_in_sweden(app: Finsam) -> None:
    register_ornskoldsvik(app)
    app.found_network()
    app.join_network(OVIK, date(2010, 1, 1))
    # 23:30 UTC on 30 September is 1 October in Sweden: too late for this year's end.
    assert app.give_network_withdrawal_notice(OVIK, datetime(2024, 9, 30, 23, 30, tzinfo=UTC)) == date(2025, 12, 31)


def test_the_audit_dates_a_signature_on_its_day_in_sweden() -> None:
    payload = {"signature": {"signed_at": "2024-05-29T23:30:00+00:00"}}
    assert domain_date("finsam_core.domain.meeting:Meeting.Signed", payload, None) == date(2024, 5, 30)
