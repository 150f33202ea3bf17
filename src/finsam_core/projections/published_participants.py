"""Participant figures as every read shows them: small counts suppressed, per förbund and summed.

The views keep the exact counts the förbund reported (they are the write side's facts). Every read —
the JSON of ``/v1/forbund/{org_nr}/participants/{year}`` and ``/v1/network/participants/{year}``,
the CSV/XLSX exports, the pages and the library's :meth:`network_participant_figures` — goes through
:func:`publish_year`, which sums the network's figures exactly, per category, and then applies
:func:`finsam_core.rules.disclosure.suppress` to all of the year's cells at once: each förbund's
breakdowns (a line: the total is the sum of the cells) and the network's sums across förbund (a line
per category). A förbund's own read is its entry in that one computation, so no two reads can be
combined to subtract out a cell.

A cell is an ``int`` or a string: ``"<5"`` (a count from 1 to 4) or ``".."`` (withheld to protect a
small count). A zero is shown.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from finsam_core.domain.interventions import ParticipantCounts
from finsam_core.domain.participant_breakdowns import (
    MISSING,
    SUMS,
    Breakdown,
    Dimension,
    Population,
    Sums,
    category_labels,
    counts_breakdowns,
    population_total,
)
from finsam_core.rules.disclosure import SMALL, WITHHELD, Line, Mark, suppress

__all__ = [
    "NETWORK",
    "Shown",
    "ShownBreakdown",
    "ShownCell",
    "ShownFigures",
    "publish_year",
    "shown_value",
    "without_participant_counts",
]

_FIGURES_TOPIC = "finsam_core.domain.interventions:ParticipantFigures."
_COUNT_FIELDS = ("counts", "breakdowns")

Shown = int | str
"""A count as a read shows it: the number, or ``"<5"`` / ``".."``."""

NETWORK = "Alla rapporterande förbund"


class ShownCell(msgspec.Struct, frozen=True):
    category: str
    label: str
    count: Shown


class ShownBreakdown(msgspec.Struct, frozen=True):
    dimension: Dimension
    population: Population
    title: str
    total: Shown
    sums_to_total: bool
    """True when the cells (with "Uppgift saknas" for those not placed) add up to the total."""
    cells: tuple[ShownCell, ...]


class ShownFigures(msgspec.Struct, frozen=True):
    """One förbund's figures for a year (or the network's sum, ``org_nr`` empty), suppression applied."""

    org_nr: str
    name: str
    year: int
    participants: Shown
    exited: Shown
    new: Shown | None
    breakdowns: tuple[ShownBreakdown, ...]

    def breakdown(self, dimension: Dimension, population: Population) -> ShownBreakdown | None:
        return next((b for b in self.breakdowns if b.dimension is dimension and b.population is population), None)

    def cell(self, dimension: Dimension, population: Population, category: str) -> Shown | None:
        """The shown count of ``category`` in a breakdown (``None``: not reported)."""
        found = self.breakdown(dimension, population)
        return None if found is None else next((c.count for c in found.cells if c.category == category), None)


@dataclass(frozen=True)
class Reported:
    """What one förbund reported for the year (exact), as the views hold it."""

    org_nr: str
    name: str
    counts: ParticipantCounts
    breakdowns: tuple[Breakdown, ...]


Key = tuple[Hashable, ...]
_NET = ""


def shown_value(value: int, mark: Mark) -> Shown:
    """The count, or the sign that stands in for it."""
    if mark is Mark.SMALL:
        return SMALL
    if mark is Mark.WITHHELD:
        return WITHHELD
    return value


@dataclass
class _Table:
    """One breakdown's cells (exact) and whether they sum to its total."""

    dimension: Dimension
    population: Population
    total: Key
    cells: list[tuple[str, str, Key]]
    partition: bool


class _Cells:
    def __init__(self) -> None:
        self.values: dict[Key, int] = {}
        self.lines: list[Line[Key]] = []

    def put(self, key: Key, value: int) -> Key:
        self.values[key] = value
        return key

    def sum(self, key: Key, members: tuple[Key, ...]) -> Key:
        """A cell that is the sum of ``members`` (a line); the member itself when it is the only one,
        so that a sum of one förbund's cell is that cell, shown or hidden with it."""
        if len(members) == 1:
            return members[0]
        self.lines.append(Line(key, members))
        return self.put(key, sum(self.values[m] for m in members))


def _forbund_tables(cells: _Cells, r: Reported) -> list[_Table]:
    org = r.org_nr
    totals: dict[Population, Key] = {
        Population.PARTICIPANTS: cells.put((org, "pop", Population.PARTICIPANTS), r.counts.participants),
        Population.EXITED: cells.put((org, "pop", Population.EXITED), r.counts.exited),
    }
    if r.counts.new is not None:
        totals[Population.NEW] = cells.put((org, "pop", Population.NEW), r.counts.new)
    tables = []
    order = [(d, p) for d in Dimension for p in Population]
    every = sorted(
        (*counts_breakdowns(r.counts), *r.breakdowns), key=lambda b: order.index((b.dimension, b.population))
    )
    for breakdown in every:
        dim, pop = breakdown.dimension, breakdown.population
        total = population_total(r.counts, pop)
        if total is None:
            continue
        labels = category_labels(dim, [c.category for c in breakdown.cells] if dim is Dimension.KOMMUN else ())
        row = [
            (c.category, labels[c.category], cells.put((org, dim, pop, c.category), c.count)) for c in breakdown.cells
        ]
        partition = SUMS[dim] is not Sums.EACH_AT_MOST
        missing = total - sum(c.count for c in breakdown.cells)
        if partition and missing > 0:
            row.append((MISSING[0], MISSING[1], cells.put((org, dim, pop, MISSING[0]), missing)))
        if partition:
            cells.lines.append(Line(totals[pop], tuple(k for _, _, k in row)))
        tables.append(_Table(dim, pop, totals[pop], row, partition))
    return tables


def _network_tables(
    cells: _Cells, reported: Sequence[Reported], tables: dict[str, list[_Table]]
) -> tuple[dict[Population, Key], list[_Table]]:
    """The network's totals and sums per category, each a line over the förbund that report it."""
    population_keys: dict[Population, Key] = {}
    reporting_population: dict[Population, list[str]] = {}
    for pop in Population:
        orgs = [r.org_nr for r in reported if (r.org_nr, "pop", pop) in cells.values]
        if orgs:
            totals: tuple[Key, ...] = tuple((org, "pop", pop) for org in orgs)
            population_keys[pop] = cells.sum((_NET, "pop", pop), totals)
            reporting_population[pop] = orgs
    found: list[_Table] = []
    for dim in Dimension:
        for pop in Population:
            parts = [(org, t) for org, ts in tables.items() for t in ts if t.dimension is dim and t.population is pop]
            if not parts:
                continue
            orgs = [org for org, _ in parts]
            if orgs == reporting_population.get(pop):
                total = population_keys[pop]
            else:
                total = cells.sum((_NET, dim, pop, "total"), tuple(t.total for _, t in parts))
            order: list[tuple[str, str]] = []
            for _, t in parts:
                for category, label, _key in t.cells:
                    if (category, label) not in order:
                        order.append((category, label))
            fixed = list(category_labels(dim)) if dim is not Dimension.KOMMUN else []
            order.sort(key=lambda cl: (cl[0] == MISSING[0], fixed.index(cl[0]) if cl[0] in fixed else 0))
            row = []
            for category, label in order:
                summed = tuple(k for _, t in parts for c, _, k in t.cells if c == category)
                row.append((category, label, cells.sum((_NET, dim, pop, category), summed)))
            partition = all(t.partition for _, t in parts)
            if partition:
                cells.lines.append(Line(total, tuple(k for _, _, k in row)))
            found.append(_Table(dim, pop, total, row, partition))
    return population_keys, found


def _shown(
    cells: _Cells,
    marks: dict[Key, Mark],
    org_nr: str,
    name: str,
    year: int,
    totals: dict[Population, Key],
    tables: list[_Table],
) -> ShownFigures:
    def show(key: Key) -> Shown:
        return shown_value(cells.values[key], marks[key])

    def pop(population: Population) -> Shown | None:
        key = totals.get(population)
        return None if key is None else show(key)

    breakdowns = tuple(
        ShownBreakdown(
            dimension=t.dimension,
            population=t.population,
            title=Breakdown(t.dimension, t.population, ()).title,
            total=show(t.total),
            sums_to_total=t.partition,
            cells=tuple(ShownCell(category, label, show(key)) for category, label, key in t.cells),
        )
        for t in tables
    )
    participants, exited = pop(Population.PARTICIPANTS), pop(Population.EXITED)
    return ShownFigures(
        org_nr=org_nr,
        name=name,
        year=year,
        participants=0 if participants is None else participants,
        exited=0 if exited is None else exited,
        new=pop(Population.NEW),
        breakdowns=breakdowns,
    )


def publish_year(year: int, reported: Sequence[Reported]) -> tuple[tuple[ShownFigures, ...], ShownFigures]:
    """Each förbund's figures and the network's sum for ``year``, small counts suppressed together."""
    cells = _Cells()
    by_org_nr = sorted(reported, key=lambda r: r.org_nr)  # the cells' order breaks ties: never the names'
    tables = {r.org_nr: _forbund_tables(cells, r) for r in by_org_nr}
    network_totals, network = _network_tables(cells, by_org_nr, tables)
    marks = suppress(cells.values, cells.lines)

    def own_totals(org_nr: str) -> dict[Population, Key]:
        return {p: (org_nr, "pop", p) for p in Population if (org_nr, "pop", p) in cells.values}

    entries = tuple(
        _shown(cells, marks, r.org_nr, r.name, year, own_totals(r.org_nr), tables[r.org_nr]) for r in reported
    )
    return entries, _shown(cells, marks, _NET, NETWORK, year, network_totals, network)


def without_participant_counts(topic: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload as a read of the audit trail shows it: the counts of a participant-figures
    event withheld (``".."``), since they are exact and may be small; the event and its hashes stay."""
    if not topic.startswith(_FIGURES_TOPIC):
        return payload
    return {key: WITHHELD if key in _COUNT_FIELDS else value for key, value in payload.items()}
