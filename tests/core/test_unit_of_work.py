"""Commands run in one unit of work: all of its events or none, the position it reached, its actor."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from finsam_core import testing
from finsam_core.application import Finsam, command
from finsam_core.audit.actor import Actor, decode_actor
from finsam_core.audit.export import ForbundEvent, forbund_events
from finsam_core.audit.recording import audit_storage
from finsam_core.errors import InvalidInput

ORG = testing.ORNSKOLDSVIK


class WithOpening(Finsam):
    """A command built of other commands, as an application's own composite command would be."""

    @command
    def convene_with_opening(self, reference: str, held_on: date, titles: Sequence[str]) -> None:
        self.convene_meeting(ORG, reference, held_on, "Örnsköldsvik")
        for title in titles:
            self.add_paragraph(ORG, reference, title, number=1)


def _actors(app: Finsam) -> set[Actor]:
    return {e.actor for e in forbund_events(audit_storage(app.recorder), ORG) if isinstance(e, ForbundEvent)}


def test_run_returns_the_commands_result_and_the_position_of_its_write(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(app)
    meeting_id, position = app.run(lambda tx: tx.convene_meeting(ORG, "2024-9", date(2024, 9, 1), "Örnsköldsvik"))
    assert meeting_id == app.meeting(ORG, "2024-9").id
    assert position == app.recorder.max_notification_id()


def test_a_run_that_records_nothing_returns_the_end_of_the_log(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(app)
    end = app.recorder.max_notification_id()
    assert app.run(lambda tx: tx.is_registered(ORG)) == (True, end)


def test_commands_in_one_run_are_one_write_that_fails_whole(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(app)
    before = testing.events_recorded(app)

    def two_paragraphs_numbered_alike(tx: Finsam) -> None:
        tx.convene_meeting(ORG, "2024-9", date(2024, 9, 1), "Örnsköldsvik")
        tx.add_paragraph(ORG, "2024-9", "Öppnande", number=1)
        tx.add_paragraph(ORG, "2024-9", "Igen", number=1)

    with pytest.raises(InvalidInput, match="§ 1"):
        app.run(two_paragraphs_numbered_alike)
    assert testing.events_recorded(app) == before
    assert not app.has_meeting(ORG, "2024-9")


def test_a_command_that_calls_commands_joins_their_unit_of_work(store_url: str) -> None:
    app = WithOpening(store_url=store_url)
    testing.register_ornskoldsvik(app)
    before = testing.events_recorded(app)
    with pytest.raises(InvalidInput, match="§ 1"):
        app.convene_with_opening("2024-9", date(2024, 9, 1), ["Öppnande", "Igen"])
    assert testing.events_recorded(app) == before
    app.convene_with_opening("2024-9", date(2024, 9, 1), ["Öppnande"])
    assert list(app.meeting(ORG, "2024-9").paragraphs) == [1]


def test_the_application_bound_to_a_finished_unit_refuses_more_commands(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    with app.batch() as tx:
        testing.register_ornskoldsvik(tx)
    with pytest.raises(RuntimeError, match="unit of work has ended"):
        tx.convene_meeting(ORG, "2024-9", date(2024, 9, 1), "Örnsköldsvik")
    assert app.is_registered(ORG)


def test_a_batch_inside_a_unit_joins_it_and_run_inside_one_is_refused(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    with app.batch() as tx:
        with tx.batch() as inner:
            assert inner is tx
        with pytest.raises(RuntimeError, match="unit of work of its own"):
            tx.run(lambda again: again.is_registered(ORG))


def test_the_actor_of_a_run_records_its_write_even_where_one_is_required(store_url: str) -> None:
    app = Finsam(store_url=store_url, require_actor=True)
    secretary = Actor.python("Sekreteraren Anna")
    app.run(testing.register_ornskoldsvik, actor=secretary)
    assert _actors(app) == {secretary}


def test_concurrent_runs_on_one_application_keep_their_own_actor_and_position(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    results: dict[int, int] = {}
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            actor = Actor.python(f"Skrivare {index}")
            _, results[index] = app.run(
                lambda tx: tx.record_imported_file("test", f"fil {index}", f"{index:064x}", f"fil-{index}.toml"),
                actor=actor,
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    writes = {made_by.last: decode_actor(made_by.actor) for made_by in audit_storage(app.recorder).actors()}
    assert {index: writes[position] for index, position in results.items()} == {
        index: Actor.python(f"Skrivare {index}") for index in range(6)
    }


def test_a_write_hook_runs_in_the_writes_transaction_with_its_positions(store_url: str) -> None:
    if not store_url.startswith("postgres"):
        pytest.skip("write hooks run in PostgreSQL stores only")
    app = Finsam(store_url=store_url)
    seen: list[list[int]] = []

    def hook(cursor: Any, positions: Sequence[int]) -> None:
        assert cursor.execute("SELECT txid_current_if_assigned()").fetchone() is not None
        seen.append(list(positions))

    _, position = app.run(testing.register_ornskoldsvik, also=(hook,))
    assert seen and seen[-1][-1] == position


def test_a_command_called_on_the_application_inside_its_batch_is_refused_and_nothing_is_written() -> None:
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    before = testing.events_recorded(app)
    with pytest.raises(RuntimeError, match="call it on tx"), app.batch() as tx:
        tx.convene_meeting(testing.ORNSKOLDSVIK, "2024-9", date(2024, 9, 12), "Kansliet")
        app.add_paragraph(testing.ORNSKOLDSVIK, "2024-9", "Öppnande")  # the mistake: app, not tx
    assert testing.events_recorded(app) == before
    app.convene_meeting(testing.ORNSKOLDSVIK, "2024-9", date(2024, 9, 12), "Kansliet")  # after the block, app works
