"""The NNS roster as of a date: every förbund the network knows, member or not."""

from __future__ import annotations

from datetime import date

import msgspec

from finsam_core.domain.network import NetworkMembership

__all__ = ["Roster", "RosterEntry", "roster"]


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


def roster(as_of: date, known: dict[str, str], memberships: dict[str, NetworkMembership]) -> Roster:
    entries: list[RosterEntry] = []
    for org_nr, name in sorted(known.items(), key=lambda item: (item[1], item[0])):
        membership = memberships.get(org_nr)
        period = None
        if membership is not None:
            started = [p for p in membership.periods if p.joined_on <= as_of]
            period = started[-1] if started else None
        entries.append(
            RosterEntry(
                org_nr=org_nr,
                name=name,
                member=period is not None and period.is_member_on(as_of),
                joined_on=period.joined_on if period else None,
                withdrawal_notice=period.notice_received if period else None,
                leaves_after=period.last_day if period else None,
            )
        )
    return Roster(as_of=as_of, entries=tuple(entries))
