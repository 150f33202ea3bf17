"""Who recorded each event: kept beside every write, covered by the chain, never read by a rule."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.actor import UNKNOWN, Actor
from finsam_core.audit.export import ForbundEvent, export_audit, forbund_events, verify_export
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.replay import replay_forbund, summary_text
from finsam_core.audit.verify import verify_store
from finsam_core.cli import main
from finsam_core.errors import InvalidInput
from finsam_core.formats import import_paths

from .conftest import RawStore

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
SECRETARY = Actor.python("Sekreteraren Anna")


def _events(app: Finsam, org_nr: str) -> list[ForbundEvent]:
    return [e for e in forbund_events(audit_storage(app.recorder), org_nr) if isinstance(e, ForbundEvent)]


def test_every_event_of_a_write_carries_the_actor_the_caller_gave(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    with app.batch(actor=SECRETARY) as secretary:
        testing.register_ornskoldsvik(secretary)
    events = _events(app, testing.ORNSKOLDSVIK)
    assert events and {e.actor for e in events} == {SECRETARY}
    assert verify_store(app).ok


def test_without_an_actor_a_write_from_python_is_the_os_users(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(app)
    [actor] = {e.actor for e in _events(app, testing.ORNSKOLDSVIK)}
    assert actor.channel == "python" and actor.name == actor.os_user and actor.name


def test_an_application_that_requires_an_actor_refuses_a_write_without_one_and_records_nothing(
    store_url: str,
) -> None:
    app = Finsam(store_url=store_url, require_actor=True)
    testing.refused(app, InvalidInput, "aktör", lambda: testing.register_ornskoldsvik(app))
    assert testing.events_recorded(app) == 0


def test_the_actor_is_inside_what_the_chain_covers(store_url: str, raw_store: RawStore) -> None:
    app = Finsam(store_url=store_url)
    with app.batch(actor=SECRETARY) as secretary:
        testing.register_ornskoldsvik(secretary)
    forged = json.dumps({"channel": "python", "name": "Någon annan"}).encode()
    raw_store.execute("UPDATE {events}_audit_actors SET actor = ?", (forged,))
    report = verify_store(Finsam(store_url=store_url))
    assert not report.ok and report.problems[0].position == 1
    assert "vem som registrerade" in report.problems[0].what


def test_a_deleted_actor_is_detected(store_url: str, raw_store: RawStore) -> None:
    app = Finsam(store_url=store_url)
    with app.batch(actor=SECRETARY) as secretary:
        testing.register_ornskoldsvik(secretary)
    raw_store.execute("DELETE FROM {events}_audit_actors")
    assert not verify_store(Finsam(store_url=store_url)).ok


def test_a_store_written_without_actors_verifies_and_shows_them_as_unknown(store_url: str) -> None:
    """Events recorded the old way (no actor reaches the recorder), then verified and extended by this code."""
    old = Finsam(store_url=store_url)
    old.save = lambda *objs, **kwargs: Finsam.save(old, *objs, **{**kwargs, "actor": None})  # type: ignore[method-assign]
    testing.register_ornskoldsvik(old)
    testing.record_ornskoldsvik_2024_05_30(old)
    assert audit_storage(old.recorder).actors() == []
    del old.save  # This code from here on.
    new = Finsam(store_url=store_url) if not store_url.startswith("memory") else old
    report = verify_store(new)
    assert report.ok and report.minutes_signatures_checked == 3
    assert {e.actor for e in _events(new, testing.ORNSKOLDSVIK)} == {UNKNOWN}
    new.run(lambda app: app.take_down_notice(testing.ORNSKOLDSVIK, "2024-05-30", date(2024, 7, 3)), actor=SECRETARY)
    assert verify_store(new).ok
    assert {e.actor for e in _events(new, testing.ORNSKOLDSVIK)} == {UNKNOWN, SECRETARY}


def test_an_imports_actor_names_the_file_and_its_hash(tmp_path: Path) -> None:
    app = Finsam(store_url=f"sqlite:///{(tmp_path / 'i.sqlite').as_posix().lstrip('/')}")
    folder = SEEDS / "ornskoldsvik"
    assert all(r.ok for r in import_paths(app, [folder], actor="Revisor Rut"))
    actors = {e.actor for e in _events(app, testing.ORNSKOLDSVIK)}
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.toml")}
    assert {(a.channel, a.name, a.file_name, a.file_sha256) for a in actors} == {
        ("import", "Revisor Rut", name, digest) for name, digest in files.items()
    }


def test_finsam_import_records_the_os_user_or_the_given_actor(tmp_path: Path) -> None:
    store = f"sqlite:///{(tmp_path / 'c.sqlite').as_posix().lstrip('/')}"
    assert main(["import", "--store", store, "--actor", "Kansliet", str(SEEDS / "ornskoldsvik" / "forbund.toml")]) == 0
    [actor] = {e.actor for e in _events(Finsam(store_url=store), testing.ORNSKOLDSVIK)}
    assert actor.name == "Kansliet" and actor.os_user and actor.file_name == "forbund.toml"


def test_the_export_shows_each_events_actor_and_still_verifies(tmp_path: Path) -> None:
    app = Finsam(store_url=f"sqlite:///{(tmp_path / 'e.sqlite').as_posix().lstrip('/')}")
    with app.batch(actor=SECRETARY) as secretary:
        testing.register_ornskoldsvik(secretary)
    out = tmp_path / "export.jsonl"
    with out.open("w", encoding="utf-8") as file:
        export_audit(app, testing.ORNSKOLDSVIK, file)
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {e["actor"]["name"] for e in events if e["kind"] == "event"} == {"Sekreteraren Anna"}
    assert verify_export(out).ok


def test_an_actor_changed_in_the_export_is_caught(tmp_path: Path) -> None:
    app = Finsam(store_url=f"sqlite:///{(tmp_path / 'e.sqlite').as_posix().lstrip('/')}")
    with app.batch(actor=SECRETARY) as secretary:
        testing.register_ornskoldsvik(secretary)
    out = tmp_path / "export.jsonl"
    with out.open("w", encoding="utf-8") as file:
        export_audit(app, testing.ORNSKOLDSVIK, file)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    target = next(line for line in lines if line["kind"] == "event")
    target["actor"] = {**target["actor"], "name": "Någon annan"}
    target["actor_state"] = json.dumps(target["actor"], separators=(",", ":"), ensure_ascii=False)
    forged = tmp_path / "forged.jsonl"
    forged.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    report = verify_export(forged)
    assert not report.ok and report.problems[0].position == target["position"]


def test_replay_names_who_recorded_what(store_url: str) -> None:
    app = Finsam(store_url=store_url)
    with app.batch(actor=SECRETARY) as secretary:
        testing.register_ornskoldsvik(secretary)
    text = summary_text(replay_forbund(app, testing.ORNSKOLDSVIK))
    assert "Registrerat av:" in text and "Sekreteraren Anna via python" in text
