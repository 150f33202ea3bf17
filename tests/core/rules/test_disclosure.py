"""Small-count suppression: counts 1–4 are never shown, and never left to be subtracted out."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_core.rules.disclosure import SMALL, SMALL_COUNT_THRESHOLD, WITHHELD, Line, Mark, suppress


def test_the_threshold_is_five_and_its_sign_says_so() -> None:
    assert SMALL_COUNT_THRESHOLD == 5
    assert SMALL == "<5"
    assert WITHHELD == ".."


def test_counts_from_one_to_four_are_small_and_zero_and_five_are_shown() -> None:
    marks = suppress({n: n for n in range(7)}, [])
    assert [marks[n] for n in range(7)] == [Mark.SHOWN] + [Mark.SMALL] * 4 + [Mark.SHOWN] * 2


def test_a_lone_small_cell_under_a_shown_total_takes_the_next_smallest_cell_with_it() -> None:
    values = {"total": 203, "kvinnor": 3, "män": 200}
    marks = suppress(values, [Line("total", ("kvinnor", "män"))])
    assert (marks["kvinnor"], marks["män"], marks["total"]) == (Mark.SMALL, Mark.WITHHELD, Mark.SHOWN)


def test_the_cell_withheld_is_the_smallest_shown_one() -> None:
    values = {"total": 48, "a": 2, "b": 30, "c": 7, "d": 9}
    marks = suppress(values, [Line("total", ("a", "b", "c", "d"))])
    assert [k for k, m in marks.items() if m is Mark.WITHHELD] == ["c"]


def test_two_small_cells_that_could_only_both_be_four_are_protected_by_a_third() -> None:
    # 28 - 20 = 8 = 4 + 4: both cells would be known exactly.
    values = {"total": 28, "a": 4, "b": 4, "c": 20}
    marks = suppress(values, [Line("total", ("a", "b", "c"))])
    assert marks["c"] is Mark.WITHHELD


def test_two_small_cells_with_more_than_one_split_need_no_partner() -> None:
    values = {"total": 25, "a": 2, "b": 3, "c": 20}
    marks = suppress(values, [Line("total", ("a", "b", "c"))])
    assert marks == {"total": Mark.SHOWN, "a": Mark.SMALL, "b": Mark.SMALL, "c": Mark.SHOWN}


def test_a_small_total_is_itself_suppressed() -> None:
    values = {"total": 3, "a": 3, "b": 0}
    marks = suppress(values, [Line("total", ("a", "b"))])
    assert (marks["total"], marks["a"]) == (Mark.SMALL, Mark.SMALL)


def test_a_sum_across_förbund_cannot_give_away_one_förbunds_small_cell() -> None:
    # The network's sum of one category is a line like any other: 103 - 100 = 3.
    values = {"net": 103, "A": 3, "B": 100}
    marks = suppress(values, [Line("net", ("A", "B"))])
    assert marks["B"] is Mark.WITHHELD


def test_the_threshold_is_a_parameter() -> None:
    assert suppress({"a": 9}, [], threshold=10) == {"a": Mark.SMALL}


def _feasible(values: dict[str, int], marks: dict[str, Mark], total: int, members: list[str]) -> dict[str, set[int]]:
    """Brute force: every value each hidden member can take, given what a reader sees."""
    hidden = [m for m in members if marks[m] is not Mark.SHOWN]
    shown = sum(values[m] for m in members if marks[m] is Mark.SHOWN)
    ranges = [range(1, 5) if marks[m] is Mark.SMALL else range(0, total + 1) for m in hidden]
    found: dict[str, set[int]] = {m: set() for m in hidden}
    for combination in itertools.product(*ranges):
        if shown + sum(combination) == total:
            for member, value in zip(hidden, combination, strict=True):
                found[member].add(value)
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=3))
def test_no_small_cell_can_be_worked_out_from_a_shown_total(cells: list[int]) -> None:
    members = [f"c{i}" for i in range(len(cells))]
    values = {"total": sum(cells), **dict(zip(members, cells, strict=True))}
    marks = suppress(values, [Line("total", tuple(members))])
    assert all(marks[k] is not Mark.SHOWN or not 0 < v < 5 for k, v in values.items())
    if marks["total"] is Mark.SHOWN:
        feasible = _feasible(values, marks, values["total"], members)
        for member, possible in feasible.items():
            if marks[member] is Mark.SMALL:
                assert len(possible) > 1, (values, marks, member, possible)
