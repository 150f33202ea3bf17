"""The NNS roster as of a date: every förbund the network knows, member or not."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from finsam_core.domain.network import NetworkMembership

__all__ = ["Roster", "RosterEntry", "roster", "roster_entry", "roster_timeline"]


class RosterEntry(msgspec.Struct, frozen=True):
    org_nr: str
    name: str
    member: bool
    joined_on: date | None
    withdrawal_notice: date | None
    leaves_after: date | None
    """The last day of membership when a withdrawal is pending or has taken effect."""


class Roster(msgspec.Struct, frozen=True):
    as_of: date
    entries: tuple[RosterEntry, ...]

    @property
    def members(self) -> int:
        return sum(1 for entry in self.entries if entry.member)

    @property
    def total(self) -> int:
        return len(self.entries)

    def __str__(self) -> str:
        return f"{self.members} av {self.total} förbund är medlemmar i NNS {self.as_of.isoformat()}."


def roster_entry(org_nr: str, name: str, membership: NetworkMembership | None, as_of: date) -> RosterEntry:
    """The förbund as the roster shows it on ``as_of``: its latest membership period begun by then."""
    period = None
    if membership is not None:
        started = [p for p in membership.periods if p.joined_on <= as_of]
        period = started[-1] if started else None
    return RosterEntry(
        org_nr=org_nr,
        name=name,
        member=period is not None and period.is_member_on(as_of),
        joined_on=period.joined_on if period else None,
        withdrawal_notice=period.notice_received if period else None,
        leaves_after=period.last_day if period else None,
    )


def roster(as_of: date, known: dict[str, str], memberships: dict[str, NetworkMembership]) -> Roster:
    entries = tuple(
        roster_entry(org_nr, name, memberships.get(org_nr), as_of)
        for org_nr, name in sorted(known.items(), key=lambda item: (item[1], item[0]))
    )
    return Roster(as_of=as_of, entries=entries)


def roster_timeline(
    org_nr: str, name: str, membership: NetworkMembership | None
) -> list[tuple[date | None, date | None, RosterEntry]]:
    """The förbund's roster entry over all time: (first day, last day, entry), ``None`` for an open end.

    The entry changes only on a day a period begins or the day after one ends, so evaluating
    :func:`roster_entry` on those days gives every entry the roster can show, and a view that stores
    these rows answers "the roster on a date" by filtering on the date alone.
    """
    starts: set[date] = set()
    for period in membership.periods if membership is not None else ():
        starts.add(period.joined_on)
        if period.last_day is not None and period.last_day < date.max:
            starts.add(period.last_day + timedelta(days=1))
    days = sorted(starts)
    timeline: list[tuple[date | None, date | None, RosterEntry]] = []
    if not days or days[0] > date.min:
        first_day = days[0] if days else None
        before = roster_entry(org_nr, name, membership, first_day - timedelta(days=1) if first_day else date.min)
        timeline.append((None, first_day - timedelta(days=1) if first_day else None, before))
    for index, day in enumerate(days):
        until = days[index + 1] - timedelta(days=1) if index + 1 < len(days) else None
        timeline.append((day, until, roster_entry(org_nr, name, membership, day)))
    return timeline
