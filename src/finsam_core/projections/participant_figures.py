"""Participant figures per förbund and summed over the network (aggregates only, never persons)."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from finsam_core.domain.interventions import ExitCount, ExitOutcome, ParticipantCounts
from finsam_core.projections.published_participants import Reported, ShownFigures, publish_year

__all__ = ["NetworkParticipants", "Reported", "network_participants", "sum_counts"]


class NetworkParticipants(msgspec.Struct, frozen=True):
    """The network's participant figures for a year: each reporting förbund's, by name, and their sum.

    The one shape of this read model: the library's ``network_participant_figures`` and the HTTP API
    (``GET /v1/network/participants/{year}``) both give it. Every count in it has passed small-count
    suppression (:mod:`finsam_core.projections.published_participants`): ``"<5"`` or ``".."``
    stands where a count could point at a person.
    """

    year: int
    reporting: int
    """How many förbund have reported figures for the year (the entries)."""
    entries: tuple[ShownFigures, ...]
    total: ShownFigures


def network_participants(year: int, reported: Sequence[Reported]) -> NetworkParticipants:
    """The year's published figures from what each förbund reported (sorted by name, then org nr)."""
    ordered = sorted(reported, key=lambda r: (r.name, r.org_nr))
    entries, total = publish_year(year, ordered)
    return NetworkParticipants(year=year, reporting=len(entries), entries=entries, total=total)


def sum_counts(all_counts: list[ParticipantCounts]) -> ParticipantCounts:
    """The exact sum of many förbund's figures (never shown as such: the reads suppress small counts)."""

    def optional(values: list[int | None]) -> int | None:
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    exits = []
    for outcome in ExitOutcome:
        if any(e.outcome is outcome for c in all_counts for e in c.exits):
            exits.append(ExitCount(outcome, sum(c.exits_to(outcome) for c in all_counts)))
    return ParticipantCounts(
        participants=sum(c.participants for c in all_counts),
        exited=sum(c.exited for c in all_counts),
        new=optional([c.new for c in all_counts]),
        women=optional([c.women for c in all_counts]),
        men=optional([c.men for c in all_counts]),
        exits=tuple(exits),
    )
