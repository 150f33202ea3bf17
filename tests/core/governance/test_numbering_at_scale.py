"""The minute book's indexes give exactly the § numbers and refusals the year-walking rule gave.

``MinuteBook`` and ``Forbund`` keep in-memory indexes so that the 400th meeting of a year costs
what the 1st does (issue 10). The reference below is the rule as it was written before: it walks
every number taken and searches the meeting list for each owner. Every answer of the indexed book
(the next number, an accepted or refused number and the refusal's sentence) must be the reference's,
for meetings entered in date order, out of order (an archive imported late) and several on one day;
and a book replayed from the store must hold the same state.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.forbund import Forbund, forbund_id
from finsam_core.domain.minute_book import MinuteBook, minute_book_id
from finsam_core.errors import ParagraphNumberingViolation
from finsam_core.testing import ORNSKOLDSVIK, register_ornskoldsvik

YEAR = 2024


def _reference_order(meetings: dict[UUID, date], meeting_id: UUID) -> tuple[date, int]:
    return meetings[meeting_id], list(meetings).index(meeting_id)


def reference_next_number(book: MinuteBook, meeting_id: UUID) -> int:
    order = _reference_order(book.meetings, meeting_id)
    before = [
        number
        for number, owner in book.numbers.items()
        if owner == meeting_id or _reference_order(book.meetings, owner) < order
    ]
    return max(before, default=0) + 1


def reference_refusal(book: MinuteBook, meeting_id: UUID, number: int) -> str | None:
    """The sentence the year-walking rule refused ``number`` with, or None if it accepted it."""
    if number < 1:
        return "Paragrafnummer börjar på 1."
    if number in book.numbers:
        return (
            f"§ {number} finns redan i protokollboken för {book.year}; paragrafnumren löper "
            "vidare genom året och får inte upprepas."
        )
    order = _reference_order(book.meetings, meeting_id)
    for used, owner in book.numbers.items():
        day = book.meetings[owner].isoformat()
        if owner == meeting_id and used > number:
            return f"§ {number} kommer efter § {used} i samma sammanträde; numren får inte gå bakåt."
        if owner != meeting_id and _reference_order(book.meetings, owner) < order and used > number:
            return (
                f"§ {number} är lägre än § {used} från ett tidigare sammanträde "
                f"({day}); paragrafnumren löper vidare genom året."
            )
        if owner != meeting_id and _reference_order(book.meetings, owner) > order and used < number:
            return (
                f"§ {number} är högre än § {used} från ett senare sammanträde "
                f"({day}); paragrafnumren löper vidare genom året."
            )
    return None


def _refusal(book: MinuteBook, meeting_id: UUID, number: int) -> str | None:
    try:
        book.take(meeting_id, number)
    except ParagraphNumberingViolation as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("seed", range(8))
def test_the_indexed_minute_book_answers_as_the_year_walking_rule_does(seed: int) -> None:
    rng = random.Random(seed)
    book = MinuteBook(forbund_id=uuid4(), year=YEAR)
    entered: list[UUID] = []
    for _ in range(400):
        if not entered or rng.random() < 0.15:
            meeting = uuid4()
            # mostly later and later, sometimes an earlier date (imported late) or the same day
            last = book.meetings[entered[-1]] if entered else date(YEAR, 1, 1)
            held_on = min(last + timedelta(days=rng.choice([0, 1, 7, 30, -40])), date(YEAR, 12, 31))
            held_on = max(held_on, date(YEAR, 1, 1))
            book.enter_meeting(meeting, held_on)
            entered.append(meeting)
        meeting = rng.choice(entered[-3:]) if rng.random() < 0.8 else rng.choice(entered)
        expected_next = reference_next_number(book, meeting)
        assert book.next_number(meeting) == expected_next
        number = expected_next if rng.random() < 0.7 else max(0, expected_next + rng.randint(-5, 5))
        expected = reference_refusal(book, meeting, number)
        assert _refusal(book, meeting, number) == expected
        if expected is None:
            assert book.numbers[number] == meeting


def test_a_year_of_400_meetings_replays_to_the_same_numbers_on_every_store(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    register_ornskoldsvik(app)
    book_id = minute_book_id(forbund_id(ORNSKOLDSVIK), YEAR)
    expected_numbers: dict[str, list[int]] = {}
    following = 1
    # 400 meetings, two a day in date order; every 50th is an archived meeting of 1 January
    # entered late, with no paragraphs (it takes no numbers, so the later meetings' numbers go on)
    for m in range(400):
        reference = f"{YEAR}-{m:03d}"
        held_on = date(YEAR, 1, 1) + timedelta(days=m // 2) if m % 50 else date(YEAR, 1, 1)
        app.convene_meeting(ORNSKOLDSVIK, reference, held_on, "Örnsköldsvik")
        if m % 50 == 0:
            continue
        if m in (1, 99, 399):
            book: MinuteBook = app.repository.get(book_id)
            meeting_id = app.meeting(ORNSKOLDSVIK, reference).id
            assert reference_next_number(book, meeting_id) == following
        numbers = [app.add_paragraph(ORNSKOLDSVIK, reference, f"Ärende {p}") for p in range(3)]
        assert numbers == [following, following + 1, following + 2]
        expected_numbers[reference] = numbers
        following += 3
    assert expected_numbers[f"{YEAR}-399"] == [1174, 1175, 1176]

    again = app if store_url == "memory:" else Finsam(store_url=store_url)
    replayed: MinuteBook = again.repository.get(book_id)
    owners = {again.meeting(ORNSKOLDSVIK, reference).id: reference for reference in expected_numbers}
    by_meeting: dict[str, list[int]] = {}
    for number, owner in replayed.numbers.items():
        by_meeting.setdefault(owners[owner], []).append(number)
    assert by_meeting == expected_numbers
    archived = again.meeting(ORNSKOLDSVIK, f"{YEAR}-050").id
    assert replayed.next_number(archived) == reference_next_number(replayed, archived) == 4
    assert _refusal(replayed, archived, 4) == reference_refusal(replayed, archived, 4) is not None
    forbund: Forbund = again.forbund(ORNSKOLDSVIK)
    assert len(forbund.meetings) == 400
    assert [m.reference for m in forbund.meetings][:11] == [
        f"{YEAR}-{m:03d}" for m in (0, 1, 50, 100, 150, 200, 250, 300, 350, 2, 3)
    ]
