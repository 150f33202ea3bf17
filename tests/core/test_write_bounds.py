"""Writes cannot freeze the store: a huge write, a held lock or a slow statement ends in bounded time.

Every write to PostgreSQL takes the events table's exclusive lock, so one write that never ends
stops every förbund's writes. These tests run on the embedded PostgreSQL, below any length limit of
the API or the commands: the huge event comes from an aggregate of the test's own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event

from finsam_core.application import Finsam
from finsam_core.embedded import connect
from finsam_core.errors import InvalidInput, StoreUnavailable
from finsam_core.stores import WriteBounds
from finsam_core.testing import events_recorded, fictitious_org_nr, register_nns

postgres_only = pytest.mark.parametrize(
    "store_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

HUGE = 6_000_000
"""Bytes in the huge event: far past the socket buffer (about 200 kB) that used to stop the write."""


class Bulky(Aggregate):
    """An aggregate whose one event carries any amount of text."""

    @event("Recorded")
    def __init__(self, text: str) -> None:
        self.text = text


@dataclass
class Outcome:
    """How a call that ran in a thread of its own ended."""

    started: float
    seconds: float | None = None
    error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.seconds is not None


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, Outcome]:
    """Start ``call`` in a daemon thread: a test that would hang fails on its deadline instead."""
    outcome = Outcome(started=time.monotonic())

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            outcome.error = exc
        finally:
            outcome.seconds = time.monotonic() - outcome.started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def finished_within(call: Callable[[], Any], seconds: float) -> Outcome:
    thread, outcome = in_thread(call)
    thread.join(seconds)
    assert outcome.done, f"still running after {seconds} s"
    return outcome


def network_app(store_url: str, **bounds: str) -> Finsam:
    """The application on ``store_url`` with the network registered, so förbund can be listed in it."""
    app = Finsam(bounds, store_url=store_url)
    register_nns(app)
    return app


def list_small(app: Finsam, number: int) -> Callable[[], None]:
    """A small write by another förbund: one short event."""
    return lambda: app.list_in_network(fictitious_org_nr(number), f"Fiktivt förbund {number:02d}")


def hold_events_lock(store_url: str, app: Finsam) -> Any:
    """A connection in a transaction that holds the events table's lock, as a writer does."""
    holder = connect(store_url)
    holder.execute("BEGIN")
    holder.execute(f'LOCK TABLE "{app.recorder.events_table_name}" IN EXCLUSIVE MODE')  # type: ignore[attr-defined]
    return holder


@postgres_only
def test_a_huge_write_does_not_hold_up_another_forbunds_write(store_url: str) -> None:
    app = network_app(store_url)
    alone = min(finished_within(list_small(app, n), 10).seconds or 0 for n in (1, 2, 3))

    huge_thread, huge = in_thread(lambda: app.save(Bulky("x" * HUGE)))
    others: list[Outcome] = []
    number = 4
    while not huge.done and number < 40:
        others.append(finished_within(list_small(app, number), alone + 5))
        number += 1
    huge_thread.join(15)

    assert huge.done, "the huge write did not end within 15 s"
    assert huge.error is None or isinstance(huge.error, StoreUnavailable)
    assert others, "no other write ran while the huge one did"
    assert [o.error for o in others if o.error is not None] == []
    assert max(o.seconds or 0 for o in others) < alone + 2


@postgres_only
def test_a_huge_write_is_recorded_whole(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    bulky = Bulky("§" * HUGE)

    assert finished_within(lambda: app.save(bulky), 15).error is None

    assert len(app.repository.get(bulky.id).text) == HUGE


@postgres_only
def test_a_write_that_waits_past_the_lock_timeout_is_refused_and_records_nothing(store_url: str) -> None:
    app = network_app(store_url, FINSAM_WRITE_LOCK_TIMEOUT_SECONDS="0.3")
    list_small(app, 1)()
    before = events_recorded(app)
    holder = hold_events_lock(store_url, app)
    try:
        refused = finished_within(list_small(app, 2), 10)
    finally:
        holder.close()

    assert isinstance(refused.error, StoreUnavailable)
    assert "upptaget av en annan skrivning" in str(refused.error)
    assert refused.seconds is not None and refused.seconds < 2
    assert events_recorded(app) == before


@postgres_only
def test_the_store_takes_writes_again_once_the_lock_is_released(store_url: str) -> None:
    app = network_app(store_url, FINSAM_WRITE_LOCK_TIMEOUT_SECONDS="0.3")
    before = events_recorded(app)
    holder = hold_events_lock(store_url, app)
    finished_within(list_small(app, 1), 10)
    holder.close()

    assert finished_within(list_small(app, 1), 10).error is None
    assert events_recorded(app) == before + 1


@postgres_only
def test_a_write_slower_than_the_write_timeout_is_refused_and_records_nothing(store_url: str) -> None:
    app = network_app(store_url, FINSAM_WRITE_TIMEOUT_SECONDS="0.3")
    list_small(app, 1)()
    before = events_recorded(app)
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    with connect(store_url) as admin:  # A real slow insert: a trigger that sleeps.
        admin.execute(
            "CREATE FUNCTION finsam_test_slow() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$"
        )
        admin.execute(
            f'CREATE TRIGGER finsam_test_slow BEFORE INSERT ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION finsam_test_slow()"
        )

    refused = finished_within(list_small(app, 2), 10)

    assert isinstance(refused.error, StoreUnavailable)
    assert "tog längre tid än tillåtna 0,3 s" in str(refused.error)
    assert refused.seconds is not None and refused.seconds < 2
    assert events_recorded(app) == before


def test_write_bounds_default_to_five_seconds_for_the_lock_and_ten_for_the_write() -> None:
    assert WriteBounds.from_env({}) == WriteBounds(lock_timeout_seconds=5.0, write_timeout_seconds=10.0)


def test_write_bounds_are_read_from_the_settings() -> None:
    bounds = WriteBounds(lock_timeout_seconds=1.5, write_timeout_seconds=30)

    assert WriteBounds.from_env(bounds.environment()) == bounds


@pytest.mark.parametrize("text", ["fem", "0", "-1", "nan", "1e9"])
def test_a_write_bound_that_is_not_a_sensible_number_of_seconds_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match=WriteBounds.LOCK_TIMEOUT_KEY):
        WriteBounds.from_env({WriteBounds.LOCK_TIMEOUT_KEY: text})
