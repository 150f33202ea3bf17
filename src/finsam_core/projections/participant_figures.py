"""Participant figures per förbund and summed over the network (aggregates only, never persons)."""

from __future__ import annotations

import msgspec

from finsam_core.domain.interventions import ExitCount, ExitOutcome, ParticipantCounts

__all__ = ["NetworkParticipants", "sum_counts"]


class NetworkParticipants(msgspec.Struct, frozen=True):
    year: int
    reporting: tuple[str, ...]
    """Org nrs of the förbund whose figures are in the sum."""
    counts: ParticipantCounts


def sum_counts(all_counts: list[ParticipantCounts]) -> ParticipantCounts:
    """The sum of many förbund's figures; a breakdown is summed over those that report it."""

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
