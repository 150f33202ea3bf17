"""A förbund's yearly participant figures broken down: counts per category, never a person.

The breakdowns and their category labels are those of the annual report 2020 of Karlskoga/Degerfors
(`shared/seeds/001_*`, statistics via SUS): participants by kommun (mantalsskrivna i Karlskoga /
Degerfors), by age band (16–29, 30–50, 50–65 år), by gender, by main income source
(försörjningskälla), exits by outcome (the table "Avslutade deltagare") and time in the
intervention (the seed's chart "Tid i insats (månadsintervall)" is lost in the copy; its bands are
the ones in :data:`TIME_LABELS`).

Two breakdowns already live in :class:`~finsam_core.domain.interventions.ParticipantCounts`: gender
of all participants (``women``, ``men``) and exits by outcome (``exits``). They are not stored twice;
:func:`counts_breakdowns` presents them in the same shape, and a :class:`Breakdown` for them is refused.

Whether the cells must sum to their total is decided per breakdown (:data:`SUMS`, docs/rules.md):

* ``EXACT``: kommun (every participant is mantalsskriven in a member kommun; the seed's 162 + 41 =
  203) and gender when both are given (106 + 97 = 203, 37 + 29 = 66, 40 + 33 = 73);
* ``AT_MOST``: age, time in the intervention and exits by outcome — each person in one category,
  but the report may give only some (Kramfors 2023 gives 15 to work and 22 to studies of 57 exited);
  the rest is shown as "Uppgift saknas";
* ``EACH_AT_MOST``: income source — a person may be counted under more than one source (the seed's
  Degerfors figures are 37 % + 39 % + 34 % = 110 %), so only each cell is checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Final, Protocol

from finsam_core.errors import InvalidInput
from finsam_core.values import Value

__all__ = [
    "AGE_LABELS",
    "DIMENSION_LABELS",
    "GENDER_LABELS",
    "INCOME_LABELS",
    "MISSING",
    "OUTCOME_LABELS",
    "POPULATION_LABELS",
    "SUMS",
    "TIME_LABELS",
    "Breakdown",
    "CategoryCount",
    "Dimension",
    "Population",
    "Sums",
    "breakdown_from",
    "category_labels",
    "check_breakdowns",
    "counts_breakdowns",
    "population_total",
]


class _ExitLike(Protocol):
    @property
    def outcome(self) -> StrEnum: ...
    @property
    def count(self) -> int: ...


class ParticipantCountsLike(Protocol):
    """What a breakdown needs of a year's counts (:class:`~finsam_core.domain.interventions.ParticipantCounts`,
    which imports this module: the protocol keeps the import one way)."""

    @property
    def participants(self) -> int: ...
    @property
    def exited(self) -> int: ...
    @property
    def new(self) -> int | None: ...
    @property
    def women(self) -> int | None: ...
    @property
    def men(self) -> int | None: ...
    @property
    def exits(self) -> Sequence[_ExitLike]: ...


class Dimension(StrEnum):
    """What the participants are counted by."""

    KOMMUN = "kommun"
    AGE = "alder"
    GENDER = "kon"
    INCOME = "forsorjning"
    OUTCOME = "utfall"
    TIME = "tid_i_insats"


class Population(StrEnum):
    """Whom a breakdown counts: all the year's participants, the new ones, or those who exited."""

    PARTICIPANTS = "deltagare"
    NEW = "nya"
    EXITED = "avslutade"


class Sums(StrEnum):
    EXACT = "exact"
    AT_MOST = "at_most"
    EACH_AT_MOST = "each_at_most"


DIMENSION_LABELS: Final[Mapping[Dimension, str]] = {
    Dimension.KOMMUN: "Kommun",
    Dimension.AGE: "Åldersgrupp",
    Dimension.GENDER: "Kön",
    Dimension.INCOME: "Försörjningskälla",
    Dimension.OUTCOME: "Utfall",
    Dimension.TIME: "Tid i insats",
}

POPULATION_LABELS: Final[Mapping[Population, str]] = {
    Population.PARTICIPANTS: "Samtliga deltagare",
    Population.NEW: "Nya deltagare",
    Population.EXITED: "Avslutade deltagare",
}

SUMS: Final[Mapping[Dimension, Sums]] = {
    Dimension.KOMMUN: Sums.EXACT,
    Dimension.GENDER: Sums.EXACT,
    Dimension.AGE: Sums.AT_MOST,
    Dimension.TIME: Sums.AT_MOST,
    Dimension.OUTCOME: Sums.AT_MOST,
    Dimension.INCOME: Sums.EACH_AT_MOST,
}

MISSING: Final = ("uppgift_saknas", "Uppgift saknas")
"""The category of the participants a partial breakdown does not place (total minus the cells)."""

AGE_LABELS: Final[Mapping[str, str]] = {"16-29": "16–29 år", "30-50": "30–50 år", "50-65": "50–65 år"}
GENDER_LABELS: Final[Mapping[str, str]] = {"kvinnor": "Kvinnor", "man": "Män"}
INCOME_LABELS: Final[Mapping[str, str]] = {
    "forsorjningsstod": "Försörjningsstöd",
    "sjukpenning_rehabersattning": "Sjukpenning/rehabersättning",
    "ingen_offentlig": "Ingen offentlig försörjning",
}
TIME_LABELS: Final[Mapping[str, str]] = {
    "0-3": "0–3 månader",
    "4-6": "4–6 månader",
    "7-12": "7–12 månader",
    "13-24": "13–24 månader",
    "25-": "Mer än 24 månader",
}
OUTCOME_LABELS: Final[Mapping[str, str]] = {
    "arbetssokande": "Aktivt arbetssökande",
    "arbete": "Anställning",
    "subventionerat_arbete": "Subventionerad anställning",
    "studier": "Studier",
    "vard": "Sjukvård pga sjukdom",
    "fortsatt_rehabilitering": "Fortsatt rehabilitering, ord. myndighet",
    "annat": "Utan mätning/övriga orsaker",
}
"""The seed's column heads of "Avslutade deltagare", keyed by :class:`~.interventions.ExitOutcome`."""

_FIXED: Final[Mapping[Dimension, Mapping[str, str]]] = {
    Dimension.AGE: AGE_LABELS,
    Dimension.GENDER: GENDER_LABELS,
    Dimension.INCOME: INCOME_LABELS,
    Dimension.TIME: TIME_LABELS,
    Dimension.OUTCOME: OUTCOME_LABELS,
}

_IN_COUNTS: Final = {
    (Dimension.GENDER, Population.PARTICIPANTS): "kvinnor och män anges i deltagarsiffrorna (women, men)",
    (Dimension.OUTCOME, Population.EXITED): "avslut per utfall anges i deltagarsiffrorna (exits, till)",
}


def category_labels(dimension: Dimension, kommuner: Sequence[str] = ()) -> Mapping[str, str]:
    """The categories a breakdown by ``dimension`` may use, each with its label, in the seed's order.

    Kommun categories are the förbund's member kommuner, by name.
    """
    if dimension is Dimension.KOMMUN:
        return {name: name for name in kommuner}
    return _FIXED[dimension]


class CategoryCount(Value, frozen=True):
    category: str
    count: int


class Breakdown(Value, frozen=True):
    """How many of ``population`` fall in each category of ``dimension``: counts only."""

    dimension: Dimension
    population: Population
    cells: tuple[CategoryCount, ...]

    @property
    def title(self) -> str:
        return f"{POPULATION_LABELS[self.population]} efter {DIMENSION_LABELS[self.dimension].lower()}"

    def count(self, category: str) -> int | None:
        return next((c.count for c in self.cells if c.category == category), None)


def population_total(counts: ParticipantCountsLike, population: Population) -> int | None:
    """The total a breakdown of ``population`` is measured against (``None``: new not reported)."""
    if population is Population.PARTICIPANTS:
        return counts.participants
    if population is Population.EXITED:
        return counts.exited
    return counts.new


def counts_breakdowns(counts: ParticipantCountsLike) -> tuple[Breakdown, ...]:
    """The two breakdowns the counts themselves hold: gender of all participants, exits by outcome."""
    found: list[Breakdown] = []
    gender = [CategoryCount(k, v) for k, v in (("kvinnor", counts.women), ("man", counts.men)) if v is not None]
    if gender:
        found.append(Breakdown(Dimension.GENDER, Population.PARTICIPANTS, tuple(gender)))
    if counts.exits:
        order = list(OUTCOME_LABELS)
        exits = sorted(counts.exits, key=lambda e: order.index(e.outcome.value))
        cells = tuple(CategoryCount(e.outcome.value, e.count) for e in exits)
        found.append(Breakdown(Dimension.OUTCOME, Population.EXITED, cells))
    return tuple(found)


def breakdown_from(dimension: str, population: str, cells: Mapping[str, int]) -> Breakdown:
    """A breakdown from plain words (an import file, a request); unknown words are refused in Swedish."""
    try:
        dim = Dimension(dimension)
    except ValueError:
        raise InvalidInput(
            f"Okänd fördelning {dimension!r}; välj en av {', '.join(d.value for d in Dimension)}."
        ) from None
    try:
        pop = Population(population)
    except ValueError:
        raise InvalidInput(
            f"Okänd grupp {population!r}; välj en av {', '.join(p.value for p in Population)}."
        ) from None
    for category, count in cells.items():
        if not isinstance(count, int) or isinstance(count, bool):
            raise InvalidInput(f"Antalet för {category!r} ska vara ett heltal, inte {count!r}.")
    return Breakdown(dim, pop, tuple(CategoryCount(k, v) for k, v in cells.items()))


def check_breakdowns(
    breakdowns: Iterable[Breakdown], counts: ParticipantCountsLike, kommuner: Sequence[str]
) -> tuple[Breakdown, ...]:
    """Refuse a breakdown that does not fit the year's counts; the breakdowns in the categories' order."""
    checked: list[Breakdown] = []
    seen: set[tuple[Dimension, Population]] = set()
    for breakdown in breakdowns:
        key = (breakdown.dimension, breakdown.population)
        where = breakdown.title.lower()
        if key in _IN_COUNTS:
            raise InvalidInput(f"Fördelningen {where} ska inte anges separat: {_IN_COUNTS[key]}.")
        if breakdown.dimension is Dimension.OUTCOME:
            raise InvalidInput("Utfall efter avslut gäller bara avslutade deltagare och anges i exits (till).")
        if key in seen:
            raise InvalidInput(f"Fördelningen {where} anges mer än en gång.")
        seen.add(key)
        checked.append(_check_one(breakdown, counts, kommuner))
    order = [(d, p) for d in Dimension for p in Population]
    return tuple(sorted(checked, key=lambda b: order.index((b.dimension, b.population))))


def _check_one(breakdown: Breakdown, counts: ParticipantCountsLike, kommuner: Sequence[str]) -> Breakdown:
    where = breakdown.title.lower()
    total = population_total(counts, breakdown.population)
    if total is None:
        raise InvalidInput(f"Ange antalet nya deltagare (new/nya) innan fördelningen {where} kan anges.")
    labels = category_labels(breakdown.dimension, kommuner)
    names = [c.category for c in breakdown.cells]
    if len(set(names)) != len(names):
        raise InvalidInput(f"Varje kategori anges en gång i fördelningen {where}.")
    unknown = [name for name in names if name not in labels]
    if unknown:
        allowed = ", ".join(labels) or "(förbundet har ingen medlemskommun)"
        raise InvalidInput(
            f"Okänd kategori {', '.join(repr(u) for u in unknown)} i fördelningen {where}; tillåtna är {allowed}."
        )
    for cell in breakdown.cells:
        if cell.count < 0:
            raise InvalidInput(f"Antalet i {labels[cell.category]!r} kan inte vara negativt ({cell.count}).")
        if cell.count > total:
            raise InvalidInput(f"{labels[cell.category]} ({cell.count}) är fler än {total} i fördelningen {where}.")
    cells_sum = sum(names_count.count for names_count in breakdown.cells)
    rule = SUMS[breakdown.dimension]
    complete = len(breakdown.cells) == len(labels)
    if rule is Sums.EXACT and (breakdown.dimension is Dimension.KOMMUN or complete) and cells_sum != total:
        raise InvalidInput(f"Fördelningen {where} summerar till {cells_sum} men ska vara lika med {total}.")
    if rule is not Sums.EACH_AT_MOST and cells_sum > total:
        raise InvalidInput(f"Fördelningen {where} summerar till {cells_sum}, fler än {total}.")
    order = list(labels)
    return Breakdown(
        breakdown.dimension,
        breakdown.population,
        tuple(sorted(breakdown.cells, key=lambda c: order.index(c.category))),
    )
