"""Small-count suppression: which participant counts a read may show exactly.

Participants in interventions are people in a small town; a cell of 1–4 (three women from Degerfors
who went to studies) can point at a person. Every read and export of participant figures therefore
passes its cells through :func:`suppress` first:

* **Primary suppression**: a count of 1 to ``threshold - 1`` (default :data:`SMALL_COUNT_THRESHOLD`,
  5) is shown as ``"<5"`` (:data:`SMALL`). Zero is shown: it points at nobody.
* **Secondary suppression**: a reader who knows a total and all but one of the cells that sum to it
  could subtract. Each :class:`Line` says ``total == sum(members)``; after the primary step, the
  bounds every cell can take (a shown cell its value, ``"<5"`` 1–4, a withheld cell 0 up to the sum
  of everything) are narrowed line by line until nothing changes (interval propagation). If a
  ``"<5"`` cell is then pinned to a single value, the smallest shown member of a line through it
  (a total only when no member is left) is withheld too, shown as ``".."`` (:data:`WITHHELD`,
  Statistics Sweden's sign for a figure not given), and the check runs again.

A withheld cell may hold any count, zero included, so ``".."`` gives the reader no bound.
The check is per line with interval propagation, not a full linear-programming audit; lines across
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

_MAX_ROUNDS: Final = 200


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
    withheld first); every cell a line names must be in it.
    """
    marks = {key: Mark.SMALL if 0 < value < threshold else Mark.SHOWN for key, value in values.items()}
    all_lines = [line for line in lines if line.members]
    order = {key: i for i, key in enumerate(values)}
    ceiling = sum(values.values())
    while True:
        pinned = _pinned(values, marks, all_lines, threshold, ceiling)
        if not pinned:
            return marks
        choice = _to_withhold(pinned, values, marks, all_lines, order)
        if choice is None:
            return marks
        marks[choice] = Mark.WITHHELD


def _bounds(value: int, mark: Mark, threshold: int, ceiling: int) -> tuple[int, int]:
    if mark is Mark.SHOWN:
        return value, value
    if mark is Mark.SMALL:
        return 1, threshold - 1
    return 0, ceiling


def _pinned(
    values: Mapping[K, int], marks: Mapping[K, Mark], lines: Sequence[Line[K]], threshold: int, ceiling: int
) -> list[K]:
    """The ``"<5"`` cells a reader can compute exactly from the lines and the cells shown."""
    bounds = {key: _bounds(values[key], marks[key], threshold, ceiling) for key in values}
    for _ in range(_MAX_ROUNDS):
        changed = False
        for line in lines:
            low = sum(bounds[m][0] for m in line.members)
            high = sum(bounds[m][1] for m in line.members)
            total_low, total_high = bounds[line.total]
            narrowed = (max(total_low, low), min(total_high, high))
            if narrowed != bounds[line.total]:
                bounds[line.total] = narrowed
                changed = True
            total_low, total_high = narrowed
            for member in line.members:
                member_low, member_high = bounds[member]
                new = (
                    max(member_low, total_low - (high - member_high)),
                    min(member_high, total_high - (low - member_low)),
                )
                if new != (member_low, member_high):
                    bounds[member] = new
                    low += new[0] - member_low
                    high += new[1] - member_high
                    changed = True
        if not changed:
            break
    return [key for key, mark in marks.items() if mark is Mark.SMALL and bounds[key][0] == bounds[key][1]]


def _to_withhold(
    pinned: Sequence[K],
    values: Mapping[K, int],
    marks: Mapping[K, Mark],
    lines: Sequence[Line[K]],
    order: Mapping[K, int],
) -> K | None:
    """The next cell to withhold: the smallest shown member of a line through a pinned cell."""
    exposed = set(pinned)
    through = [line for line in lines if line.total in exposed or exposed.intersection(line.members)]
    for candidates in (
        [m for line in through for m in line.members],
        [line.total for line in through],
        [m for line in lines for m in (line.total, *line.members)],
    ):
        shown = [key for key in candidates if marks[key] is Mark.SHOWN]
        if shown:
            return min(shown, key=lambda key: (values[key], order[key]))
    return None
