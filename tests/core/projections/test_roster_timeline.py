"""The roster view's rows (one per stretch of days) show, on every day, the entry the domain's rule gives."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from finsam_core.domain.network import MembershipPeriod, NetworkMembership
from finsam_core.projections.roster import RosterEntry, roster_entry, roster_timeline

ORG_NR = "222000-1883"


def _membership(periods: list[MembershipPeriod]) -> NetworkMembership:
    membership = NetworkMembership(org_nr=ORG_NR, name="Förbundet", joined_on=periods[0].joined_on)
    membership.periods = periods
    return membership


def _entry_on(timeline: list[tuple[date | None, date | None, RosterEntry]], day: date) -> RosterEntry:
    found = [
        entry for first, last, entry in timeline if (first is None or first <= day) and (last is None or day <= last)
    ]
    assert len(found) == 1, f"{day}: {len(found)} rows"
    return found[0]


@st.composite
def periods(draw: st.DrawFn) -> list[MembershipPeriod]:
    """Up to three periods in order; each but perhaps the last ends on a year end after a notice."""
    result: list[MembershipPeriod] = []
    day = draw(st.dates(date(2004, 1, 1), date(2010, 12, 31)))
    for index in range(draw(st.integers(1, 3))):
        ends = index < 2 and draw(st.booleans())
        if not ends:
            result.append(MembershipPeriod(joined_on=day))
            break
        notice = day + timedelta(days=draw(st.integers(0, 400)))
        last_day = date(notice.year + 1, 12, 31)
        result.append(MembershipPeriod(joined_on=day, notice_received=notice, last_day=last_day))
        day = last_day + timedelta(days=draw(st.integers(1, 900)))
    return result


@given(periods(), st.lists(st.dates(date(2000, 1, 1), date(2030, 12, 31)), min_size=1, max_size=20))
def test_every_day_has_one_row_and_it_is_the_domains_entry(found: list[MembershipPeriod], days: list[date]) -> None:
    membership = _membership(found)
    timeline = roster_timeline(ORG_NR, "Förbundet", membership)
    edges = [p.joined_on for p in found] + [p.last_day + timedelta(days=k) for p in found if p.last_day for k in (0, 1)]
    for day in [*days, *edges]:
        assert _entry_on(timeline, day) == roster_entry(ORG_NR, "Förbundet", membership, day)


def test_a_forbund_without_membership_has_one_row_for_all_time() -> None:
    timeline = roster_timeline(ORG_NR, "Förbundet", None)
    assert timeline == [(None, None, roster_entry(ORG_NR, "Förbundet", None, date(2024, 1, 1)))]
    assert not timeline[0][2].member
