"""The statutory clock: each item with its legal source, its date, and met/due/overdue on a day."""

from __future__ import annotations

from datetime import date, time

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.documents.reading import views_of
from finsam_core.projections.clock import deadlines
from finsam_core.rules.deadlines import DeadlineStatus, deadline_status

ORG = testing.ORNSKOLDSVIK


def _convened(held_on: date) -> Finsam:
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    app.convene_meeting(ORG, "2024-09-01", held_on, "Kansliet", opens_at=time(9), closes_at=time(10))
    return app


def _adjustment(app: Finsam, as_of: date, last_day: date = date(2024, 9, 16)) -> DeadlineStatus:
    items = deadlines(views_of(app), as_of, ORG, drafts=True)
    (item,) = [i for i in items if i.kind == "justera_protokoll"]
    assert item.source == "kommunallagen 5 kap. 69 §" and item.due_on == last_day
    return item.status


def test_minutes_never_adjusted_are_due_on_day_14_and_overdue_on_day_15() -> None:
    app = _convened(date(2024, 9, 2))  # a Monday: the 14th day after, 2024-09-16, is a Monday too
    assert _adjustment(app, date(2024, 9, 16)) is DeadlineStatus.DUE
    assert _adjustment(app, date(2024, 9, 17)) is DeadlineStatus.OVERDUE


def test_a_last_day_for_adjustment_on_a_sunday_moves_to_the_monday() -> None:
    app = _convened(date(2024, 9, 1))  # the 14th day after is Sunday 2024-09-15 (lag 1930:173)
    assert _adjustment(app, date(2024, 9, 16)) is DeadlineStatus.DUE
    assert _adjustment(app, date(2024, 9, 17)) is DeadlineStatus.OVERDUE


def test_minutes_still_in_draft_are_not_shown_to_the_public() -> None:
    app = _convened(date(2024, 9, 1))
    assert deadlines(views_of(app), date(2024, 9, 16), ORG) == []


def test_the_seed_minutes_were_adjusted_and_posted_on_time_and_the_appeal_runs() -> None:
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    items = {i.kind: i for i in deadlines(views_of(app), date(2024, 6, 20), ORG)}
    assert items["justera_protokoll"].status is DeadlineStatus.MET
    assert items["justera_protokoll"].met_on == date(2024, 6, 10)
    assert (items["anslag"].source, items["anslag"].due_on) == ("kommunallagen 8 kap. 12 §", date(2024, 6, 12))
    assert items["anslag"].status is DeadlineStatus.MET
    assert (items["overklagandetid"].due_on, items["overklagandetid"].status) == (date(2024, 7, 2), DeadlineStatus.DUE)
    assert items["uppdrag"].due_on == date(2024, 7, 19)
    later = {i.kind: i.status for i in deadlines(views_of(app), date(2024, 7, 20), ORG)}
    assert later["overklagandetid"] is DeadlineStatus.MET and later["uppdrag"] is DeadlineStatus.OVERDUE


def test_a_deadline_met_late_is_met() -> None:
    assert deadline_status(date(2024, 1, 1), date(2024, 1, 5), date(2024, 2, 1)) is DeadlineStatus.MET
    assert deadline_status(date(2024, 1, 1), date(2024, 1, 5), date(2024, 1, 3)) is DeadlineStatus.OVERDUE
