"""Tampering with real SQLite and PostgreSQL rows is detected and located."""

from __future__ import annotations

from uuid import UUID

import pytest

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.verify import verify_store

from .conftest import RawStore, cut_tail_after, recompute_every_hash

pytestmark = pytest.mark.usefixtures("ornskoldsvik_2024_05_30")
"""``app`` holds Örnsköldsvik and its signed and posted minutes of 2024-05-30."""


def _row(raw: RawStore, position: int) -> tuple[UUID, int]:
    [(originator_id, version)] = raw.execute(
        "SELECT originator_id, originator_version FROM {events} WHERE {pos} = ?", (position,)
    )
    return (originator_id if isinstance(originator_id, UUID) else UUID(originator_id)), version


def _fresh(store_url: str) -> Finsam:
    """A new process's view of the store: nothing cached from the writer."""
    return Finsam(store_url=store_url)


_cut_tail_after = cut_tail_after


def test_an_intact_store_verifies(app: Finsam) -> None:
    report = verify_store(app)
    assert report.ok, report.summary()
    assert report.events == 48
    assert report.streams == 3
    assert report.minutes_signatures_checked == 3
    assert report.last_head is not None and report.last_head.position == 48


def test_an_updated_payload_is_detected_and_located(app: Finsam, raw_store: RawStore, store_url: str) -> None:
    stream, version = _row(raw_store, 20)
    raw_store.execute("UPDATE {events} SET state = ? WHERE {pos} = 20", (b'{"forged":true}',))
    report = verify_store(_fresh(store_url))
    assert not report.ok
    problem = report.problems[0]
    assert (problem.position, problem.stream, problem.version) == (20, stream, version)
    assert "ändrats" in problem.what


def test_a_deleted_event_is_detected_and_located(app: Finsam, raw_store: RawStore, store_url: str) -> None:
    stream, version = _row(raw_store, 20)
    raw_store.execute("DELETE FROM {events} WHERE {pos} = 20")
    problem = verify_store(_fresh(store_url)).problems[0]
    assert (problem.position, problem.stream, problem.version) == (20, stream, version)
    assert "saknas" in problem.what


def test_a_forged_insert_is_detected_and_located(app: Finsam, raw_store: RawStore, store_url: str) -> None:
    stream, version = _row(raw_store, 48)
    [(topic, state)] = raw_store.execute("SELECT topic, state FROM {events} WHERE {pos} = 48")
    stored_id = stream if raw_store.postgres else stream.hex
    raw_store.execute(
        "INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
        (stored_id, version + 1, topic, state),
    )
    problem = verify_store(_fresh(store_url)).problems[0]
    assert problem.stream == stream and problem.version == version + 1
    assert problem.position is not None and problem.position > 48
    assert "infogad" in problem.what


def test_two_swapped_events_are_detected_and_located(app: Finsam, raw_store: RawStore, store_url: str) -> None:
    stream, version = _row(raw_store, 21)
    raw_store.execute("UPDATE {events} SET {pos} = -1 WHERE {pos} = 20")
    raw_store.execute("UPDATE {events} SET {pos} = 20 WHERE {pos} = 21")
    raw_store.execute("UPDATE {events} SET {pos} = 21 WHERE {pos} = -1")
    problem = verify_store(_fresh(store_url)).problems[0]
    assert (problem.position, problem.stream, problem.version) == (20, stream, version)
    assert "flyttats" in problem.what


def test_a_truncated_tail_is_detected_and_located(app: Finsam, raw_store: RawStore, store_url: str) -> None:
    stream, version = _row(raw_store, 41)
    raw_store.execute("DELETE FROM {events} WHERE {pos} > 40")
    problem = verify_store(_fresh(store_url)).problems[0]
    assert (problem.position, problem.stream, problem.version) == (41, stream, version)


def test_a_forger_who_recomputes_every_hash_is_stopped_by_the_signature(
    app: Finsam, raw_store: RawStore, store_url: str
) -> None:
    raw_store.execute("UPDATE {events} SET state = ? WHERE {pos} = 20", (b'{"forged":true}',))
    recompute_every_hash(raw_store)  # The log chain, the förbund chains and every head, from the events.
    problem = verify_store(_fresh(store_url)).problems[0]
    assert problem.position == 48
    assert "signatur" in problem.what


def test_a_tail_cut_together_with_its_chain_is_caught_by_a_head_the_auditor_kept(
    app: Finsam, raw_store: RawStore, store_url: str
) -> None:
    kept = verify_store(app).last_head
    assert kept is not None
    _cut_tail_after(raw_store, audit_storage(app.recorder).heads()[-2].position)  # An intruder cuts whole writes.
    fresh = _fresh(store_url)
    assert verify_store(fresh).ok  # Consistent to anyone who kept nothing...
    report = verify_store(fresh, known_heads=[(kept.position, kept.log_hash)])
    assert not report.ok and "tagits bort" in report.problems[0].what  # ...but not to the auditor.


def test_a_changed_minutes_text_breaks_the_signatures(app: Finsam, raw_store: RawStore, store_url: str) -> None:
    """Re-chaining a changed paragraph cannot be signed; the minutes check names the signature too."""
    from finsam_core.audit.verify import verify_minutes

    rows = raw_store.execute("SELECT {pos}, topic, state FROM {events} ORDER BY {pos}")
    position, _, state = next(r for r in rows if r[1].endswith("ParagraphOpened"))
    raw_store.execute(
        "UPDATE {events} SET state = ? WHERE {pos} = ?",
        (bytes(state).replace(b'"title":"', b'"title":"X'), position),
    )
    checked, problems = verify_minutes(_fresh(store_url))
    assert checked == 3 and len(problems) == 3
    assert "underskriften" in problems[0].what


def test_a_tail_cut_followed_by_one_ordinary_write_is_caught_by_a_known_head(
    app: Finsam, raw_store: RawStore, store_url: str
) -> None:
    kept = verify_store(app).last_head
    assert kept is not None
    _cut_tail_after(raw_store, audit_storage(app.recorder).heads()[-2].position)
    fresh = _fresh(store_url)
    testing.record_ornskoldsvik_2024_05_30(fresh, sign=False)  # The cut meeting, redone unsigned: one write.
    assert verify_store(fresh).ok
    report = verify_store(fresh, known_heads=[(kept.position, kept.log_hash)])
    assert not report.ok
    assert report.problems[0].position == kept.position


def test_a_tail_cut_rewritten_past_the_known_position_is_caught(
    app: Finsam, raw_store: RawStore, store_url: str
) -> None:
    """The rewritten log runs past the known head: the hash there (or its absence) gives it away."""
    kept = verify_store(app).last_head
    assert kept is not None
    _cut_tail_after(raw_store, audit_storage(app.recorder).heads()[-2].position)
    fresh = _fresh(store_url)
    testing.record_ornskoldsvik_2024_05_30(fresh)  # The same meeting recorded again...
    testing.register_kramfors(fresh)  # ...and later writes run past the known position.
    assert testing.events_recorded(fresh) > kept.position
    report = verify_store(fresh, known_heads=[(kept.position, kept.log_hash)])
    assert not report.ok and report.problems[0].position == kept.position
    assert "skrivits om" in report.problems[0].what or "finns inte" in report.problems[0].what


def test_a_known_head_between_signed_heads_holds_on_an_intact_store(app: Finsam) -> None:
    rows = audit_storage(app.recorder).chain_rows(0, None)
    signed = {head.position for head in audit_storage(app.recorder).heads()}
    inside = next(row for row in rows if row.position not in signed)
    assert verify_store(app, known_heads=[(inside.position, inside.hash)]).ok
    wrong = verify_store(app, known_heads=[(inside.position, bytes(32))])
    assert not wrong.ok and wrong.problems[0].position == inside.position


def test_a_payload_rewritten_with_another_type_is_named_not_a_crash(
    app: Finsam, raw_store: RawStore, store_url: str
) -> None:
    if raw_store.postgres:  # A bytea column holds only bytes: the intruder changes the column's type.
        raw_store.execute("ALTER TABLE {events} ALTER COLUMN state TYPE text USING encode(state, 'escape')")
    else:  # SQLite keeps whatever type it is given.
        raw_store.execute("UPDATE {events} SET state = CAST(state AS TEXT) WHERE {pos} = 20")
    report = verify_store(_fresh(store_url))
    assert not report.ok
    problem = report.problems[0]
    assert problem.position == (1 if raw_store.postgres else 20)
    assert "innehållet är str" in problem.what


def test_a_version_rewritten_as_text_is_named(app: Finsam, raw_store: RawStore, store_url: str) -> None:
    if raw_store.postgres:
        pytest.skip("PostgreSQL's bigint column refuses text")
    raw_store.execute("UPDATE {events} SET originator_version = 'tre' WHERE {pos} = 30")
    problem = verify_store(_fresh(store_url)).problems[0]
    assert problem.position == 30 and "versionen är str" in problem.what


def test_finsam_verify_with_the_printed_head_fails_after_a_tail_cut_and_one_write(
    app: Finsam, raw_store: RawStore, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from finsam_core.cli import main

    assert main(["--store", store_url, "verify"]) == 0
    printed = capsys.readouterr().out.split("senaste kontrollpunkt ", 1)[1].split(" ", 1)[0]
    _cut_tail_after(raw_store, audit_storage(app.recorder).heads()[-2].position)
    testing.record_ornskoldsvik_2024_05_30(_fresh(store_url), sign=False)
    assert main(["--store", store_url, "verify"]) == 0
    capsys.readouterr()
    assert main(["--store", store_url, "verify", "--known-head", printed]) == 1
    assert f"position {printed.split(':')[0]}" in capsys.readouterr().err
