"""The published participant figures, attacked as a reader would: from what the reads show alone,
chain the subtractions every shown sum allows and bound each hidden cell by its line; no ``"<5"``
may come out as one exact count."""

from __future__ import annotations

from collections.abc import Hashable

from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_core.domain.interventions import ExitCount, ExitOutcome, ParticipantCounts
from finsam_core.domain.participant_breakdowns import Breakdown, CategoryCount, Dimension, Population
from finsam_core.projections.participant_figures import NetworkParticipants, Reported, network_participants
from finsam_core.projections.published_participants import Shown

Cell = tuple[Hashable, ...]


def _split(draw: st.DrawFn, total: int, categories: list[str]) -> tuple[CategoryCount, ...]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=len(categories) - 1, max_size=len(categories) - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return tuple(CategoryCount(c, p) for c, p in zip(categories, parts, strict=True))


@st.composite
def years(draw: st.DrawFn) -> list[Reported]:
    reported = []
    for i in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, 40))
        exited = draw(st.integers(0, n))
        women = draw(st.integers(0, n))
        outcomes = [o.value for o in (ExitOutcome.WORK, ExitOutcome.STUDIES, ExitOutcome.OTHER)]
        exits = tuple(ExitCount(ExitOutcome(c.category), c.count) for c in _split(draw, exited, outcomes))
        kommuner = ["Kramfors kommun", "Härnösands kommun"] if i % 2 else ["Karlskoga kommun", "Degerfors kommun"]
        breakdowns = (
            Breakdown(Dimension.KOMMUN, Population.PARTICIPANTS, _split(draw, n, kommuner)),
            Breakdown(Dimension.AGE, Population.EXITED, _split(draw, exited, ["16-29", "30-50", "50-65"])),
        )
        counts = ParticipantCounts(n, exited, None, women, n - women, exits)
        reported.append(Reported(f"22200{i}-0000", f"Förbund {i}", counts, breakdowns))
    return reported


def _reader_lines(published: NetworkParticipants) -> tuple[dict[Cell, Shown], list[tuple[Cell, list[Cell]]]]:
    """The cells a reader sees and the sums the reads state, built from the published figures alone."""
    seen: dict[Cell, Shown] = {}
    lines: list[tuple[Cell, list[Cell]]] = []
    figures = [*published.entries, published.total]
    for f in figures:
        seen[(f.org_nr, "deltagare")] = f.participants
        seen[(f.org_nr, "avslutade")] = f.exited
        for b in f.breakdowns:
            total: Cell = (f.org_nr, b.dimension, b.population, "summa")
            seen[total] = b.total
            members: list[Cell] = []
            for c in b.cells:
                seen[(f.org_nr, b.dimension, b.population, c.category)] = c.count
                members.append((f.org_nr, b.dimension, b.population, c.category))
            if b.sums_to_total:
                lines.append((total, members))
            pop = (f.org_nr, b.population.value)
            if pop in seen and seen[pop] == seen[total]:
                lines.append((pop, [total]))  # the same number twice: the population's total
    for key in [k for k in seen if k[0] == ""]:
        parts = [(e.org_nr, *key[1:]) for e in published.entries if (e.org_nr, *key[1:]) in seen]
        if key[-1] != "summa" and parts:
            lines.append((key, parts))
    return seen, lines


def _derived(seen: dict[Cell, Shown], lines: list[tuple[Cell, list[Cell]]]) -> dict[Cell, int]:
    known = {k: v for k, v in seen.items() if isinstance(v, int)}
    changed = True
    while changed:
        changed = False
        for total, members in lines:
            cells = [total, *members]
            unknown = [c for c in cells if c not in known]
            if len(unknown) == 1:
                rest = sum(known[m] for m in members if m in known)
                known[unknown[0]] = rest if unknown[0] == total else known[total] - rest
                changed = True
        for total, members in lines:
            if total not in known:
                continue
            hidden = [m for m in members if m not in known]
            left = known[total] - sum(known[m] for m in members if m in known)
            smalls = [m for m in hidden if seen[m] == "<5"]
            others = [m for m in hidden if seen[m] != "<5"]
            if not others and smalls and left in (len(smalls), 4 * len(smalls)):
                for m in smalls:  # every "<5" of the line is 1 (or every one is 4)
                    known[m] = left // len(smalls)
                changed = True
    return known


@settings(max_examples=120, deadline=None)
@given(years())
def test_no_small_count_can_be_worked_out_from_the_published_figures(reported: list[Reported]) -> None:
    published = network_participants(2023, reported)
    seen, lines = _reader_lines(published)
    assert not [k for k, v in seen.items() if isinstance(v, int) and 1 <= v <= 4]
    known = _derived(seen, lines)
    exposed = [k for k, v in seen.items() if v == "<5" and k in known]
    assert not exposed, (exposed, [(k, known[k]) for k in exposed])
