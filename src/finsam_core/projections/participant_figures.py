"""Participant figures per förbund and summed over the network (aggregates only, never persons)."""

from __future__ import annotations

import msgspec

from finsam_core.domain.interventions import ExitCount, ExitOutcome, ParticipantCounts

__all__ = ["NetworkParticipants", "ParticipantsEntry", "sum_counts"]


class ParticipantsEntry(msgspec.Struct, frozen=True):
    """One förbund's participant figures for a year."""

    org_nr: str
    name: str
    counts: ParticipantCounts


class NetworkParticipants(msgspec.Struct, frozen=True):
    """The network's participant figures for a year: each reporting förbund's, by name, and their sum.

    The one shape of this read model: the library's ``network_participant_figures`` and the HTTP API
    (``GET /v1/network/participants/{year}``) both give it.
    """

    year: int
    reporting: int
    """How many förbund have reported figures for the year (the entries)."""
    entries: tuple[ParticipantsEntry, ...]
    total: ParticipantCounts


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
