"""Replay as of a date: as decided by a domain date, and as recorded at a time, on every store."""

from __future__ import annotations

from datetime import UTC, date, datetime

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.replay import replay_forbund, summary_text
from finsam_core.domain.allocation import Allocation
from finsam_core.domain.budget import Budget
from finsam_core.domain.charter import Charter, DecisionRef
from finsam_core.errors import NotFound
from finsam_core.values import Ratio


def test_an_amended_charter_shows_only_from_the_day_it_takes_effect(app: Finsam) -> None:
    testing.register_ornskoldsvik(app)
    seats = app.forbund(testing.ORNSKOLDSVIK).charter_on(date(2024, 1, 1)).seats
    decision = DecisionRef(body="Medlemmarna", reference="2024:1", decided_on=date(2024, 10, 1))
    app.amend_charter(
        testing.ORNSKOLDSVIK,
        Charter(seats=seats, qualified_majority=Ratio(2, 3), qualified_for_all=True),
        date(2025, 1, 1),
        decision,
    )
    before = replay_forbund(app, testing.ORNSKOLDSVIK, as_of=date(2024, 12, 31)).forbund
    after = replay_forbund(app, testing.ORNSKOLDSVIK, as_of=date(2025, 1, 1)).forbund
    assert before is not None and after is not None
    assert len(before.charters) == 1 and before.charter_on(date(2025, 6, 1)).qualified_majority is None
    assert after.charter_on(date(2025, 6, 1)).qualified_majority == Ratio(2, 3)


def test_an_allocation_belongs_to_the_day_it_was_recorded_in_the_domain(app: Finsam) -> None:
    testing.register_karlskoga_degerfors(app)
    testing.record_karlskoga_allocation(app, 2022)  # recorded_on 2021-11-01

    def allocations(day: date) -> list[Allocation]:
        others = replay_forbund(app, testing.KARLSKOGA_DEGERFORS, as_of=day).others
        return [a for a in others if isinstance(a, Allocation)]

    assert allocations(date(2021, 10, 31)) == []
    assert [a.total for a in allocations(date(2021, 11, 1))] == [5_574_000]


def test_monthly_outcome_belongs_to_the_end_of_its_month(app: Finsam) -> None:
    testing.register_karlskoga_degerfors(app)
    testing.appoint_board(app, testing.KARLSKOGA_DEGERFORS, testing.TERM_2019)
    testing.karlskoga_october_2023(app)

    def budget_2023(day: date) -> Budget:
        others = replay_forbund(app, testing.KARLSKOGA_DEGERFORS, as_of=day).others
        return next(b for b in others if isinstance(b, Budget) and b.year == 2023)

    assert budget_2023(date(2023, 6, 30)).months_reported == 6
    assert budget_2023(date(2023, 7, 30)).months_reported == 6
    assert budget_2023(date(2023, 10, 31)).months_reported == 10


def test_as_recorded_at_a_time_ignores_what_was_recorded_later(app: Finsam) -> None:
    testing.register_ornskoldsvik(app)
    cut = datetime.now(UTC)
    testing.record_ornskoldsvik_2024_05_30(app)
    assert replay_forbund(app, testing.ORNSKOLDSVIK, recorded_at=cut).meetings == []
    (meeting,) = replay_forbund(app, testing.ORNSKOLDSVIK).meetings
    assert meeting.is_final


def test_a_forbund_not_yet_registered_at_the_time_is_not_found(app: Finsam) -> None:
    testing.register_ornskoldsvik(app)
    testing.refused(
        app, NotFound, "fanns inte", lambda: replay_forbund(app, testing.ORNSKOLDSVIK, as_of=date(2000, 1, 1))
    )


def test_the_summary_names_money_records_in_swedish(app: Finsam) -> None:
    testing.register_karlskoga_degerfors(app)
    testing.record_karlskoga_allocation(app, 2022)
    text = summary_text(replay_forbund(app, testing.KARLSKOGA_DEGERFORS, as_of=date(2022, 12, 31)))
    assert "Tilldelning 2022: 5 574 000 kr" in text
    assert "kvalificerad majoritet 2/3" in text
