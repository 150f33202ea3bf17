"""Participants: a förbund's interventions with their funding, and its yearly participant figures.

Finsam records only counts of participants, never anything about a person: a field or a comment
that could identify one is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from finsam_core.application.base import command
from finsam_core.application.money import kronor
from finsam_core.application.network import NetworkCommands
from finsam_core.domain.forbund import Forbund, forbund_id
from finsam_core.domain.interventions import (
    ExitCount,
    ExitOutcome,
    Funding,
    FundingSource,
    Intervention,
    InterventionKind,
    ParticipantCounts,
    ParticipantFigures,
    check_no_person,
    intervention_id,
    participant_figures_id,
)
from finsam_core.domain.participant_breakdowns import Breakdown, breakdown_from
from finsam_core.errors import InvalidInput, MoneyRuleViolation, PrivacyViolation
from finsam_core.projections.participant_figures import NetworkParticipants, Reported, network_participants
from finsam_core.values import MemberKind, today_or, validate_org_nr

__all__ = ["ParticipantCommands"]

_PARTICIPANT_FIELDS = frozenset({"participants", "exited", "new", "women", "men", "exits"})
_IDENTIFYING_FIELDS = frozenset(
    {
        "name",
        "namn",
        "person",
        "personnummer",
        "personal_number",
        "samordningsnummer",
        "participant",
        "deltagare",
        "address",
        "adress",
        "email",
        "epost",
        "telefon",
        "phone",
        "birth_date",
        "fodelsedatum",
    }
)


class ParticipantCommands(NetworkCommands):
    """Commands and reads of interventions and participant figures, per förbund and for all of NNS."""

    @command
    def register_intervention(
        self,
        org_nr: str,
        name: str,
        kind: InterventionKind,
        owner: str,
        starts_on: date,
        ends_on: date | None = None,
        funding: Mapping[str, Decimal | int | str] | tuple[Funding, ...] = (),
    ) -> UUID:
        """An intervention with its funding (source -> kronor, e.g. ``{"finsam": 4407000, "esf": 0}``)."""
        forbund = self.forbund(org_nr)
        if isinstance(funding, Mapping):
            try:
                items = tuple(
                    Funding(source=FundingSource(source), amount=kronor(value, f"Finansieringen {source}"))
                    for source, value in funding.items()
                )
            except ValueError as exc:
                raise InvalidInput(f"Okänd finansieringskälla: {exc}") from None
        else:
            items = funding
        if self._has(intervention_id(forbund.id, name.strip())):
            raise MoneyRuleViolation(f"Insatsen {name!r} är redan registrerad.")
        intervention = Intervention.register(
            forbund_id=forbund.id,
            name=name,
            kind=kind,
            owner=owner,
            starts_on=starts_on,
            ends_on=ends_on,
            funding=items,
        )
        self._stage(intervention)
        return intervention.id

    def intervention(self, org_nr: str, name: str) -> Intervention:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            intervention_id(forbund_id(org_nr), name.strip()), Intervention, f"Insatsen {name!r} finns inte."
        )

    @command
    def report_participants(
        self,
        org_nr: str,
        year: int,
        figures: ParticipantCounts | Mapping[str, Any],
        *,
        reported_on: date | None = None,
        comment: str = "",
        breakdowns: Iterable[Breakdown | Mapping[str, Any]] | None = None,
    ) -> None:
        """Aggregate participant figures for the year; anything that identifies a person is refused.

        ``breakdowns`` (kommun, age, ...) replace the year's when given; when not, those already
        reported must fit the new counts.
        """
        forbund = self.forbund(org_nr)
        check_no_person(comment)
        counts = figures if isinstance(figures, ParticipantCounts) else _counts_from(figures)
        given = None if breakdowns is None else _breakdowns_from(breakdowns)
        aggregate_id = participant_figures_id(forbund.id, year)
        if self._has(aggregate_id):
            aggregate = self._get(aggregate_id, ParticipantFigures, "deltagarsiffror")
        else:
            aggregate = ParticipantFigures(forbund_id=forbund.id, org_nr=forbund.org_nr, year=year)
        aggregate.report(counts, today_or(reported_on), kommuner=_kommuner(forbund), breakdowns=given)
        self._stage(aggregate)

    @command
    def report_participant_breakdowns(
        self,
        org_nr: str,
        year: int,
        breakdowns: Iterable[Breakdown | Mapping[str, Any]],
        *,
        reported_on: date | None = None,
    ) -> None:
        """The year's participants by kommun, age, gender, income source and time in the intervention.

        Each breakdown is a :class:`Breakdown` or ``{"dimension": "kommun", "population": "deltagare",
        "cells": {"Karlskoga kommun": 162, ...}}``; they replace the year's earlier breakdowns.
        """
        forbund = self.forbund(org_nr)
        aggregate = self._find(participant_figures_id(forbund.id, year), ParticipantFigures)
        if aggregate is None or aggregate.counts is None:
            raise InvalidInput(f"Rapportera deltagarsiffrorna för {year} innan fördelningarna.")
        aggregate.report_breakdowns(_breakdowns_from(breakdowns), today_or(reported_on), kommuner=_kommuner(forbund))
        self._stage(aggregate)

    def participant_breakdowns(self, org_nr: str, year: int) -> tuple[Breakdown, ...]:
        """The year's breakdowns as reported (exact counts: the förbund's own, never a public read)."""
        org_nr = validate_org_nr(org_nr)
        aggregate = self._get(
            participant_figures_id(forbund_id(org_nr), year),
            ParticipantFigures,
            f"Inga deltagarsiffror för {year} är registrerade för förbundet {org_nr}.",
        )
        return aggregate.breakdowns

    def participant_figures(self, org_nr: str, year: int) -> ParticipantCounts:
        org_nr = validate_org_nr(org_nr)
        aggregate = self._get(
            participant_figures_id(forbund_id(org_nr), year),
            ParticipantFigures,
            f"Inga deltagarsiffror för {year} är registrerade för förbundet {org_nr}.",
        )
        assert aggregate.counts is not None
        return aggregate.counts

    def network_participant_figures(self, year: int) -> NetworkParticipants:
        """The figures of every förbund NNS knows that has reported for ``year``, summed; small counts
        suppressed (``"<5"``, ``".."``) as in every read."""
        network = self.network()
        reported: list[Reported] = []
        for org_nr, name in network.known.items():
            aggregate = self._find(participant_figures_id(forbund_id(org_nr), year), ParticipantFigures)
            if aggregate is not None and aggregate.counts is not None:
                reported.append(Reported(org_nr, name, aggregate.counts, aggregate.breakdowns))
        return network_participants(year, reported)


def _kommuner(forbund: Forbund) -> tuple[str, ...]:
    """The names of the förbund's member kommuner, present and past: the kommun categories."""
    return tuple(m.member.name for m in forbund.memberships if m.member.kind is MemberKind.KOMMUN)


def _breakdowns_from(items: Iterable[Breakdown | Mapping[str, Any]]) -> tuple[Breakdown, ...]:
    found: list[Breakdown] = []
    for item in items:
        if isinstance(item, Breakdown):
            found.append(item)
            continue
        if not isinstance(item, Mapping) or not isinstance(item.get("cells") or {}, Mapping):
            raise InvalidInput(
                f"En fördelning anges som dimension, population och cells (kategori = antal), inte {item!r}."
            )
        unknown = sorted(set(item) - {"dimension", "population", "cells"})
        if unknown:
            raise InvalidInput(
                f"Okända fält i en fördelning: {', '.join(unknown)}. Tillåtna är dimension, population och cells."
            )
        found.append(
            breakdown_from(str(item.get("dimension")), str(item.get("population")), dict(item.get("cells") or {}))
        )
    return tuple(found)


def _counts_from(data: Mapping[str, Any]) -> ParticipantCounts:
    """Figures from plain data; a field that could identify a participant is refused, not ignored."""
    identifying = sorted(key for key in data if key.casefold() in _IDENTIFYING_FIELDS)
    if identifying:
        raise PrivacyViolation(
            "Finsam registrerar bara antal deltagare, aldrig uppgifter om enskilda personer; "
            f"ta bort fälten {', '.join(identifying)}."
        )
    unknown = sorted(set(data) - _PARTICIPANT_FIELDS)
    if unknown:
        raise InvalidInput(
            f"Okända fält i deltagarsiffrorna: {', '.join(unknown)}. Tillåtna är "
            + ", ".join(sorted(_PARTICIPANT_FIELDS))
            + "."
        )
    for key, value in data.items():
        if key != "exits" and value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise InvalidInput(f"{key} ska vara ett heltal (antal), inte {value!r}.")
    exits_data = data.get("exits") or {}
    try:
        exits = tuple(ExitCount(ExitOutcome(outcome), int(count)) for outcome, count in dict(exits_data).items())
    except ValueError as exc:
        raise InvalidInput(f"Okänt utfall efter avslut: {exc}") from None
    if "participants" not in data or "exited" not in data:
        raise InvalidInput("Ange minst antal deltagare (participants) och antal avslutade (exited).")
    return ParticipantCounts(
        participants=data["participants"],
        exited=data["exited"],
        new=data.get("new"),
        women=data.get("women"),
        men=data.get("men"),
        exits=exits,
    )
