"""Small-count suppression: which participant counts a read may show exactly.

Participants in interventions are people in a small town; a cell of 1–4 (three women from Degerfors
who went to studies) can point at a person. Every read and export of participant figures therefore
passes its cells through :func:`suppress` first:

* **Primary suppression**: a count of 1 to ``threshold - 1`` (default :data:`SMALL_COUNT_THRESHOLD`,
  5) is shown as ``"<5"`` (:data:`SMALL`). Zero is shown: it points at nobody.
* **Secondary suppression**: a reader who knows a total and all but one of the cells that sum to it
  could subtract. Each :class:`Line` says ``total == sum(members)``. After the primary step a reader's
  subtractions are chained: a hidden cell that is the only unknown of a line is known, and may be the
  last unknown of another. Then each line bounds its remaining hidden cells (a ``"<5"`` 1–4, a
  withheld cell 0 up to the sum of everything). A ``"<5"`` cell that is known, or bounded to a single
  value, is *pinned*: the smallest shown member of a line through it (a total only when no member is
  left) is withheld too, shown as ``".."`` (:data:`WITHHELD`, Statistics Sweden's sign for a figure
  not given), and the check runs again.

A withheld cell may hold any count, zero included, so ``".."`` gives the reader no bound.
The check chains exact subtractions across lines and bounds within each line; it is not a full
linear-programming audit (bounds narrowed in one line are not carried into another). Lines across
förbund (the network's sums) are lines like any other.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Generic, TypeVar

__all__ = ["SMALL", "SMALL_COUNT_THRESHOLD", "WITHHELD", "Line", "Mark", "suppress"]

SMALL_COUNT_THRESHOLD: Final = 5
"""Counts from 1 to this minus one are never shown (docs/security.md, "Små antal")."""

SMALL: Final = f"<{SMALL_COUNT_THRESHOLD}"
"""What a read shows instead of a count under the threshold."""

WITHHELD: Final = ".."
"""What a read shows instead of a count withheld so that a small one cannot be subtracted out."""

K = TypeVar("K", bound=Hashable)


class Mark(StrEnum):
    """How a cell is shown."""

    SHOWN = "shown"
    SMALL = "small"
    WITHHELD = "withheld"


@dataclass(frozen=True, slots=True)
class Line(Generic[K]):
    """An identity a reader knows: the cell ``total`` is the sum of the cells ``members``."""

    total: K
    members: tuple[K, ...]


def suppress(
    values: Mapping[K, int], lines: Iterable[Line[K]], *, threshold: int = SMALL_COUNT_THRESHOLD
) -> dict[K, Mark]:
    """How each cell of ``values`` may be shown, primary and secondary suppression applied.

    ``values`` holds the exact counts (its order breaks ties: the first of equally small cells is
    withheld first); every cell a line names must be in it. Each round withholds one cell for every
    pinned small cell at once, then checks again.
    """
    marks = {key: Mark.SMALL if 0 < value < threshold else Mark.SHOWN for key, value in values.items()}
    all_lines = [line for line in lines if line.members]
    order = {key: i for i, key in enumerate(values)}
    through: dict[K, list[int]] = {}
    for i, line in enumerate(all_lines):
        for key in (line.total, *line.members):
            through.setdefault(key, []).append(i)
    ceiling = sum(values.values())
    while True:
        pinned = _pinned(values, marks, all_lines, through, threshold, ceiling)
        chosen = {
            choice
            for cell in pinned
            if (choice := _to_withhold(cell, values, marks, all_lines, through, order)) is not None
        }
        if not chosen:
            return marks
        for key in chosen:
            marks[key] = Mark.WITHHELD


def _bounds(value: int, mark: Mark, threshold: int, ceiling: int) -> tuple[int, int]:
    if mark is Mark.SHOWN:
        return value, value
    if mark is Mark.SMALL:
        return 1, threshold - 1
    return 0, ceiling


def _pinned(
    values: Mapping[K, int],
    marks: Mapping[K, Mark],
    lines: Sequence[Line[K]],
    through: Mapping[K, list[int]],
    threshold: int,
    ceiling: int,
) -> list[K]:
    """The ``"<5"`` cells a reader can compute exactly from the lines and the cells shown.

    First every hidden cell that is the only unknown of some line is known (and so on, through every
    line, as a reader would chain the subtractions); then each line's hidden cells are bounded from
    the line alone, the known ones exact and the others by their signs.
    """
    known = {key for key, mark in marks.items() if mark is Mark.SHOWN}
    unknown_in = [sum(1 for k in (line.total, *line.members) if k not in known) for line in lines]
    pending = [i for i, n in enumerate(unknown_in) if n == 1]
    while pending:
        i = pending.pop()
        if unknown_in[i] != 1:
            continue
        line = lines[i]
        (cell,) = [k for k in (line.total, *line.members) if k not in known]
        known.add(cell)
        for j in through.get(cell, ()):
            unknown_in[j] -= 1
            if unknown_in[j] == 1:
                pending.append(j)
    pinned = {key for key, mark in marks.items() if mark is Mark.SMALL and key in known}
    for line, hidden in zip(lines, unknown_in, strict=True):
        if hidden < 2:
            continue
        bounds = [
            (values[k], values[k]) if k in known else _bounds(values[k], marks[k], threshold, ceiling)
            for k in line.members
        ]
        total = (
            (values[line.total], values[line.total])
            if line.total in known
            else _bounds(values[line.total], marks[line.total], threshold, ceiling)
        )
        low, high = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
        total_low, total_high = max(total[0], low), min(total[1], high)
        for member, (member_low, member_high) in zip(line.members, bounds, strict=True):
            if marks[member] is not Mark.SMALL or member in known:
                continue
            lowest = max(member_low, total_low - (high - member_high))
            highest = min(member_high, total_high - (low - member_low))
            if lowest >= highest:
                pinned.add(member)
        if marks[line.total] is Mark.SMALL and line.total not in known and total_low >= total_high:
            pinned.add(line.total)
    return [key for key in marks if key in pinned]


def _to_withhold(
    pinned: K,
    values: Mapping[K, int],
    marks: Mapping[K, Mark],
    lines: Sequence[Line[K]],
    through: Mapping[K, list[int]],
    order: Mapping[K, int],
) -> K | None:
    """The cell to withhold for ``pinned``: the smallest shown member of the shortest line through it
    that has one (a total when no member is shown); when every cell of those lines is hidden, the
    nearest line further out that has a shown cell (the subtraction that made a hidden neighbour known)."""
    layer = [pinned]
    seen_cells = {pinned}
    seen_lines: set[int] = set()
    while layer:
        near = sorted(
            {i for cell in layer for i in through.get(cell, ()) if i not in seen_lines},
            key=lambda i: (len(lines[i].members), i),
        )
        seen_lines.update(near)
        for i in near:  # the shortest line first: the breakdown itself before a sum across förbund
            shown = [key for key in lines[i].members if marks[key] is Mark.SHOWN]
            if shown:
                return min(shown, key=lambda key: (values[key], order[key]))
        totals = [lines[i].total for i in near if marks[lines[i].total] is Mark.SHOWN]
        if totals:
            return min(totals, key=lambda key: (values[key], order[key]))
        layer = [k for i in near for k in (lines[i].total, *lines[i].members) if k not in seen_cells]
        seen_cells.update(layer)
    return None
