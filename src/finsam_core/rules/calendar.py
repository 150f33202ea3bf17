"""Dates the rules set: adjustment, notice, appeal, leaving a förbund and leaving NNS.

Every statutory last day follows the law on computing statutory time (lag 1930:173 om beräkning
av lagstadgad tid): a last day on a Saturday, Sunday, other public holiday, midsommarafton, julafton
or nyårsafton moves to the next day that is none of these. :func:`statutory_last_day` is that one
rule; the adjustment's 14th day, the posting's second day and the appeal period's end all use it.
The public holidays come from the
``holidays`` library: its ``PUBLIC`` category for Sweden is exactly the list in lag 1989:253 om
allmänna helgdagar, and its ``DE_FACTO`` category is exactly the three eves; its ``BANK`` and
``OPTIONAL`` categories (Holy Saturday, Walpurgis night, "squeeze days") are not in the law and are
left out. Saturdays and Sundays are judged by weekday.

The adjustment and notice periods are counted in calendar days (the seeds and the domain primer
count them that way) up to the last day, which then moves as the law says; a late adjustment or
notice is flagged, not refused.

Every date of an act is the date in Sweden: an act given as an instant (a signature at 01:30
Swedish time is 23:30 UTC the day before) is dated by :func:`swedish_date` in Europe/Stockholm.
"""

from __future__ import annotations

import calendar as _gregorian
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from holidays import DE_FACTO, PUBLIC
from holidays.countries.sweden import Sweden

from finsam_core.errors import (
    AdjustmentRuleViolation,
    InvalidInput,
    NoticeRuleViolation,
)
from finsam_core.rules.parameters import StatutoryParameters, parameters_on

__all__ = [
    "SWEDISH_TIME",
    "add_months",
    "adjustment_deadline",
    "annual_report_deadline",
    "appeal_period_end",
    "is_adjustment_late",
    "is_non_working_day",
    "is_notice_late",
    "kallelse_deadline",
    "member_exit_date",
    "next_working_day",
    "nns_last_notice_day",
    "nns_withdrawal_effective",
    "notice_deadline",
    "statutory_last_day",
    "swedish_date",
]

SWEDISH_TIME: Final = ZoneInfo("Europe/Stockholm")
"""The time zone every date of an act is read in."""


def swedish_date(when: date) -> date:
    """The date in Sweden of an act: a ``date`` as it is, an instant (``datetime``) in Europe/Stockholm.

    An instant without a time zone says nothing about which day it was in Sweden and is refused.
    """
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            raise InvalidInput(
                f"Tidpunkten {when.isoformat()} saknar tidszon; ange den med tidszon så att dagen i "
                "Sverige kan bestämmas."
            )
        return when.astimezone(SWEDISH_TIME).date()
    return when


_SATURDAY = 5


@lru_cache(maxsize=64)
def _holidays_in(year: int) -> frozenset[date]:
    """Public holidays (lag 1989:253) and the three eves (lag 1930:173) of ``year``."""
    calendar = Sweden(
        years=year,
        categories=(PUBLIC, DE_FACTO),
        include_sundays=False,
    )
    return frozenset(calendar.keys())


def is_non_working_day(day: date) -> bool:
    """True on a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton."""
    return day.weekday() >= _SATURDAY or day in _holidays_in(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, otherwise the first working day after it."""
    while is_non_working_day(day):
        day += timedelta(days=1)
    return day


def statutory_last_day(day: date) -> date:
    """The last day of a statutory period whose count ends on ``day``, moved as lag 1930:173 says.

    A day that is a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton moves
    to the next day that is none of these (midsommarafton 2024, 21 June, moves to Monday 24 June).
    """
    return next_working_day(day)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when that month is shorter.

    31 August plus three months is 30 November; 29 February plus twelve months is 28 February.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _gregorian.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def kallelse_deadline(meeting_day: date, notice_days: int) -> date:
    """The last day to send the kallelse to a meeting on ``meeting_day``: ``notice_days`` before it."""
    return meeting_day - timedelta(days=notice_days)


def adjustment_deadline(meeting_day: date, params: StatutoryParameters) -> date:
    """The last day the minutes of a meeting held on ``meeting_day`` may be adjusted.

    The ``adjustment_days``-th day after the meeting, moved by :func:`statutory_last_day`.
    """
    return statutory_last_day(meeting_day + timedelta(days=params.adjustment_days))


def is_adjustment_late(meeting_day: date, adjusted_on: date, params: StatutoryParameters) -> bool:
    """True when the minutes were adjusted after the deadline.

    Raises :class:`AdjustmentRuleViolation` when ``adjusted_on`` is before the meeting: such a date
    is a typing error in the record (seed ``003_*`` has one), not a late adjustment.
    """
    if adjusted_on < meeting_day:
        raise AdjustmentRuleViolation(
            f"Protokollet kan inte ha justerats {adjusted_on.isoformat()}, före sammanträdet "
            f"{meeting_day.isoformat()}. Kontrollera datumen."
        )
    return adjusted_on > adjustment_deadline(meeting_day, params)


def notice_deadline(adjusted_on: date, params: StatutoryParameters) -> date:
    """The last day to post the notice that minutes adjusted on ``adjusted_on`` are adjusted.

    The ``notice_posting_days``-th day after the adjustment, moved by :func:`statutory_last_day`.
    """
    return statutory_last_day(adjusted_on + timedelta(days=params.notice_posting_days))


def is_notice_late(adjusted_on: date, posted_on: date, params: StatutoryParameters) -> bool:
    """True when the notice was posted after the deadline.

    Raises :class:`NoticeRuleViolation` when ``posted_on`` is before the adjustment: a notice can
    only say that the minutes are adjusted once they are.
    """
    if posted_on < adjusted_on:
        raise NoticeRuleViolation(
            f"Anslaget kan inte ha satts upp {posted_on.isoformat()}, före justeringen "
            f"{adjusted_on.isoformat()}. Kontrollera datumen."
        )
    return posted_on > notice_deadline(adjusted_on, params)


def appeal_period_end(posted_on: date, params: StatutoryParameters) -> date:
    """The last day an appeal may arrive, when the notice was posted on ``posted_on``.

    The period ends on the same weekday ``appeal_weeks`` weeks later; a last day that is not a
    working day moves to the next working day (lag 1930:173, :func:`statutory_last_day`).
    """
    return statutory_last_day(posted_on + timedelta(weeks=params.appeal_weeks))


def annual_report_deadline(financial_year: int, params: StatutoryParameters) -> date:
    """The day the annual report for ``financial_year`` is due (31 March with three months)."""
    return add_months(date(financial_year, 12, 31), params.annual_report_months)


def member_exit_date(notice_received: date, notice_years: int) -> date:
    """The day a kommun's or region's membership ends, counted from the notice.

    The law sets the notice period (three years unless the charter sets a shorter one) but no
    year-end rule, so the membership ends on the same date ``notice_years`` later (28 February for
    a notice on 29 February). A charter that ties the exit to a year end needs its own rule.
    """
    if notice_years < 0:
        raise InvalidInput("Uppsägningstiden för en medlem kan inte vara negativ.")
    return add_months(notice_received, 12 * notice_years)


def nns_last_notice_day(year: int, months: int = 3) -> date:
    """The last day a written notice may arrive for a withdrawal from NNS at the end of ``year``.

    NNS's statutes (seed ``003_*``): "minst tre månader i förväg", effective "först vid nästa
    årsskifte". finsam reads it as: the notice arrives no later than the day ``months`` months
    before 31 December, counted as :func:`add_months` counts (the same day number, or the month's
    last day when it is shorter): 30 September for three months. A notice on that day is exactly
    three months ahead and in time; one on 1 October is not. docs/rules.md states the reading.
    """
    if months < 0:
        raise InvalidInput("Uppsägningstiden för utträde ur NNS kan inte vara negativ.")
    return add_months(date(year, 12, 31), -months)


def nns_withdrawal_effective(notice_received: date, months: int | None = None) -> date:
    """The year end (31 December) when a förbund's withdrawal from NNS takes effect.

    It is the first year end whose :func:`nns_last_notice_day` the notice meets: a notice on
    30 September 2024 takes effect on 31 December 2024, one on 1 October 2024 on 31 December 2025.
    ``months`` defaults to the notice period in force on the day the notice was received.
    """
    if months is None:
        months = parameters_on(notice_received).nns_withdrawal_notice_months
    year = notice_received.year
    while notice_received > nns_last_notice_day(year, months):
        year += 1
    return date(year, 12, 31)
