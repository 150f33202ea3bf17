"""Interventions (insatser) and the yearly aggregate participant figures of a förbund.

Participants in interventions are never recorded as persons: the figures are counts only, and any
text that looks like it identifies a person (a personnummer or samordningsnummer) is refused.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.participant_breakdowns import Breakdown, check_breakdowns
from finsam_core.domain.versions import association_to_forbund
from finsam_core.errors import InvalidInput, PrivacyViolation
from finsam_core.rules.money import format_kronor
from finsam_core.values import Value, require_exact

__all__ = [
    "ExitCount",
    "ExitOutcome",
    "Funding",
    "FundingSource",
    "Intervention",
    "InterventionKind",
    "ParticipantCounts",
    "ParticipantFigures",
    "check_no_person",
    "intervention_id",
    "participant_figures_id",
]

_PERSONAL_NUMBER: Final = re.compile(r"(?<!\d)(\d{2})?\d{2}[01]\d[0-9]\d[-+ ]?\d{4}(?!\d)")


def check_no_person(*texts: str) -> None:
    """Refuse text that looks like a personnummer or samordningsnummer."""
    for text in texts:
        if _PERSONAL_NUMBER.search(text):
            raise PrivacyViolation(
                "Texten innehåller något som liknar ett personnummer. Finsam registrerar aldrig "
                "enskilda deltagare, bara antal; ta bort uppgiften."
            )


def intervention_id(forbund_id: UUID, name: str) -> UUID:
    return uuid5(forbund_id, f"intervention:{name.casefold()}")


def participant_figures_id(forbund_id: UUID, year: int) -> UUID:
    return uuid5(forbund_id, f"participants:{year}")


class InterventionKind(StrEnum):
    INDIVIDUAL = "individuell"
    STRUCTURAL = "strukturell"


class FundingSource(StrEnum):
    FINSAM = "finsam"
    ESF = "esf"
    OTHER = "ovrigt"


class Funding(Value, frozen=True):
    source: FundingSource
    amount: Decimal
    note: str = ""

    def __post_init__(self) -> None:
        require_exact(self.amount, f"Finansieringen ({self.source.value})")


class Intervention(Aggregate):
    """An intervention the förbund funds: individual (a coaching team) or structural (a conference)."""

    @staticmethod
    def create_id(forbund_id: UUID, name: str) -> UUID:
        return intervention_id(forbund_id, name)

    @classmethod
    def register(
        cls,
        *,
        forbund_id: UUID,
        name: str,
        kind: InterventionKind,
        owner: str,
        starts_on: date,
        ends_on: date | None,
        funding: tuple[Funding, ...],
    ) -> Intervention:
        if not name.strip() or not owner.strip():
            raise InvalidInput("En insats behöver ett namn och en ägare (huvudman).")
        check_no_person(name, owner, *(f.note for f in funding))
        if ends_on is not None and ends_on < starts_on:
            raise InvalidInput("Insatsen kan inte sluta innan den börjar.")
        for item in funding:
            if item.amount < 0:
                raise InvalidInput(f"Finansieringen kan inte vara negativ ({format_kronor(item.amount)}).")
        return cls(
            forbund_id=forbund_id,
            name=name.strip(),
            kind=kind,
            owner=owner.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            funding=funding,
        )

    class Registered(Aggregate.Created):
        """Version 2 names the förbund ``forbund_id``; version 1 said ``association_id``."""

        class_version = 2
        forbund_id: UUID
        name: str
        kind: InterventionKind
        owner: str
        starts_on: date
        ends_on: date | None
        funding: tuple[Funding, ...]
        upcast_v1_v2 = staticmethod(association_to_forbund)

    @event(Registered)
    def __init__(
        self,
        forbund_id: UUID,
        name: str,
        kind: InterventionKind,
        owner: str,
        starts_on: date,
        ends_on: date | None,
        funding: tuple[Funding, ...],
    ) -> None:
        self.forbund_id = forbund_id
        self.name = name
        self.kind = kind
        self.owner = owner
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.funding = funding

    def funded_by(self, source: FundingSource) -> Decimal:
        return sum((f.amount for f in self.funding if f.source is source), Decimal(0))


class ExitOutcome(StrEnum):
    """Where participants went when they exited an intervention."""

    WORK = "arbete"
    SUBSIDISED_WORK = "subventionerat_arbete"
    STUDIES = "studier"
    JOB_SEEKING = "arbetssokande"
    CONTINUED_REHABILITATION = "fortsatt_rehabilitering"
    HEALTH_CARE = "vard"
    OTHER = "annat"


class ExitCount(Value, frozen=True):
    outcome: ExitOutcome
    count: int


class ParticipantCounts(Value, frozen=True):
    """Aggregate figures for a year: counts only, never a person."""

    participants: int
    exited: int
    new: int | None = None
    women: int | None = None
    men: int | None = None
    exits: tuple[ExitCount, ...] = ()

    def exits_to(self, outcome: ExitOutcome) -> int:
        return sum(e.count for e in self.exits if e.outcome is outcome)


def check_counts(counts: ParticipantCounts) -> None:
    numbers = [counts.participants, counts.exited, counts.new, counts.women, counts.men]
    numbers += [e.count for e in counts.exits]
    if any(n is not None and n < 0 for n in numbers):
        raise InvalidInput("Antal deltagare kan inte vara negativa.")
    if counts.exited > counts.participants:
        raise InvalidInput(f"{counts.exited} avslutade är fler än de {counts.participants} deltagarna under året.")
    if counts.new is not None and counts.new > counts.participants:
        raise InvalidInput(f"{counts.new} nya är fler än de {counts.participants} deltagarna.")
    if (counts.women or 0) + (counts.men or 0) > counts.participants:
        raise InvalidInput(
            f"Kvinnor och män ({(counts.women or 0) + (counts.men or 0)}) är fler än deltagarna "
            f"({counts.participants})."
        )
    if counts.women is not None and counts.men is not None and counts.women + counts.men != counts.participants:
        raise InvalidInput(
            f"Kvinnor och män ({counts.women} + {counts.men} = {counts.women + counts.men}) ska tillsammans "
            f"vara lika många som deltagarna ({counts.participants})."
        )
    outcomes = [e.outcome for e in counts.exits]
    if len(set(outcomes)) != len(outcomes):
        raise InvalidInput("Varje utfall efter avslut anges en gång.")
    exits = sum(e.count for e in counts.exits)
    if exits > counts.exited:
        raise InvalidInput(f"Avsluten per utfall ({exits}) är fler än antalet avslutade ({counts.exited}).")


class ParticipantFigures(Aggregate):
    """A förbund's aggregate participant figures for one year (a later report replaces the figures)."""

    @staticmethod
    def create_id(forbund_id: UUID, org_nr: str, year: int) -> UUID:
        return participant_figures_id(forbund_id, year)

    class Opened(Aggregate.Created):
        """Version 2 names the förbund ``forbund_id``; version 1 said ``association_id``."""

        class_version = 2
        forbund_id: UUID
        org_nr: str
        year: int
        upcast_v1_v2 = staticmethod(association_to_forbund)

    @event(Opened)
    def __init__(self, forbund_id: UUID, org_nr: str, year: int) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.year = year
        self.counts: ParticipantCounts | None = None
        self.reported_on: date | None = None
        self.breakdowns: tuple[Breakdown, ...] = ()

    def report(
        self,
        counts: ParticipantCounts,
        reported_on: date,
        *,
        kommuner: tuple[str, ...] = (),
        breakdowns: tuple[Breakdown, ...] | None = None,
    ) -> None:
        """New counts; the breakdowns given replace the year's, or those kept must fit the new counts."""
        check_counts(counts)
        kept = self.breakdowns if breakdowns is None else breakdowns
        checked = check_breakdowns(kept, counts, kommuner)
        self._reported(counts=counts, reported_on=reported_on)
        if breakdowns is not None and checked != self.breakdowns:
            self._breakdowns_reported(breakdowns=checked, reported_on=reported_on)

    def report_breakdowns(
        self, breakdowns: tuple[Breakdown, ...], reported_on: date, *, kommuner: tuple[str, ...]
    ) -> None:
        """The year's breakdowns (kommun, age, ...), replacing the earlier ones; counts come first."""
        if self.counts is None:
            raise InvalidInput(f"Rapportera deltagarsiffrorna för {self.year} innan fördelningarna.")
        checked = check_breakdowns(breakdowns, self.counts, kommuner)
        self._breakdowns_reported(breakdowns=checked, reported_on=reported_on)

    @event("Reported")
    def _reported(self, counts: ParticipantCounts, reported_on: date) -> None:
        self.counts = counts
        self.reported_on = reported_on

    @event("BreakdownsReported")
    def _breakdowns_reported(self, breakdowns: tuple[Breakdown, ...], reported_on: date) -> None:
        self.breakdowns = breakdowns
        self.reported_on = reported_on
