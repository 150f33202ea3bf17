"""A witness keeps the heads it saw outside the database: extensions pass, rollbacks and forks are named."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.verify import verify_store
from finsam_core.audit.witness import load_witness_file, witness, witnessed_heads
from finsam_core.audit.witness_wire import StoreSource
from finsam_core.cli import main
from finsam_core.errors import InvalidInput

from .conftest import RawStore, cut_tail_after


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


pytestmark = pytest.mark.usefixtures("ornskoldsvik_2024_05_30")
"""``app`` holds Örnsköldsvik and its signed and posted minutes of 2024-05-30."""


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, its write-ahead log included."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


_cut_tail_after = cut_tail_after


def test_a_witness_that_sees_a_consistent_extension_signs_it(
    app: Finsam, store_url: str, tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    state = tmp_path / "vittne.json"
    first = witness(StoreSource(app, store_url), state, key)
    assert first.ok and first.checked == 48, first.summary()
    testing.register_kramfors(app)
    second = witness(StoreSource(app, store_url), state, key)
    assert second.ok and second.previous is not None and second.previous[0] == 48
    assert second.current is not None and second.checked == second.current.position - 48
    kept = load_witness_file(state.read_bytes(), str(state))
    assert [o.position for o in kept.observations] == [48, second.current.position]
    assert witnessed_heads(kept) == [(o.position, bytes.fromhex(o.hash)) for o in kept.observations]
    assert witness(StoreSource(app, store_url), state, key).ok  # Nothing new: still fine.


def test_a_tail_cut_and_one_write_are_caught_by_the_witness_at_the_first_cut_position(
    app: Finsam, store_url: str, raw_store: RawStore, tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    state = tmp_path / "vittne.json"
    assert witness(StoreSource(app, store_url), state, key).ok
    cut = audit_storage(app.recorder).heads()[-2].position
    _cut_tail_after(raw_store, cut)
    fresh = Finsam(store_url=store_url)
    testing.record_ornskoldsvik_2024_05_30(fresh, sign=False)
    assert verify_store(fresh).ok  # Consistent to anyone who kept nothing...
    report = witness(StoreSource(fresh, store_url), state, key)
    assert not report.ok and report.diverged_at == cut + 1  # ...but not to the witness.
    assert report.previous is not None and report.current is not None
    seen, now = f"48:{report.previous[1].hex()}", f"{report.current.position}:{report.current.log_hash.hex()}"
    assert f"vittnet såg {seen}, tjänsten visar nu {now}" in (report.problem or "")


def test_a_rollback_without_new_writes_is_caught(
    app: Finsam, store_url: str, raw_store: RawStore, tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    state = tmp_path / "vittne.json"
    assert witness(StoreSource(app, store_url), state, key).ok
    cut = audit_storage(app.recorder).heads()[-2].position
    _cut_tail_after(raw_store, cut)
    report = witness(StoreSource(Finsam(store_url=store_url), store_url), state, key)
    assert not report.ok and report.diverged_at == cut + 1 and "rullats tillbaka" in (report.problem or "")


def test_a_fork_after_the_same_head_is_caught_and_the_position_named(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    path = tmp_path / "store.sqlite"
    url = f"sqlite:///{path.as_posix().lstrip('/')}"
    app = Finsam(store_url=url)
    testing.register_ornskoldsvik(app)
    _copy_sqlite(path, tmp_path / "fork.sqlite")  # Two histories part here.
    head = audit_storage(app.recorder).heads()[-1].position
    testing.record_ornskoldsvik_2024_05_30(app)
    state = tmp_path / "vittne.json"
    assert witness(StoreSource(app, url), state, key).ok
    app.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    _copy_sqlite(tmp_path / "fork.sqlite", path)
    forked = Finsam(store_url=url)
    testing.register_kramfors(forked)  # The other history: as long or longer, different events.
    report = witness(StoreSource(forked, url), state, key)
    assert not report.ok and report.diverged_at == head + 1, report.summary()


def test_verify_with_the_witness_file_catches_a_tail_cut_and_one_write(
    app: Finsam, store_url: str, raw_store: RawStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if store_url.startswith("memory"):
        pytest.skip("the CLI opens the store anew")
    state = tmp_path / "vittne.json"
    assert main(["witness", store_url, "--state", str(state)]) == 0
    assert "OK:" in capsys.readouterr().out
    assert main(["--store", store_url, "verify", "--witness", str(state)]) == 0
    _cut_tail_after(raw_store, audit_storage(app.recorder).heads()[-2].position)
    testing.record_ornskoldsvik_2024_05_30(Finsam(store_url=store_url), sign=False)
    capsys.readouterr()
    assert main(["--store", store_url, "verify", "--witness", str(state)]) == 1
    assert "position 48" in capsys.readouterr().err
    assert main(["witness", store_url, "--state", str(state)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("FEL:") and "skiljs åt vid position" in err and err.count("\n") == 1


def test_a_witness_file_with_an_edited_head_is_refused(
    app: Finsam, store_url: str, tmp_path: Path, key: Ed25519PrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "vittne.json"
    assert witness(StoreSource(app, store_url), state, key).ok
    data = json.loads(state.read_text())
    data["observations"][0]["hash"] = "00" * 32
    state.write_text(json.dumps(data))
    assert main(["verify", "--witness", str(state)]) == 2
    assert capsys.readouterr().err.startswith("finsam: Vittnets signatur")


@pytest.mark.parametrize("content", [b"", b"{}", b"inte json", b'{"format":"annat","source":"x"}'])
def test_a_file_that_is_no_witness_file_is_one_sentence_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    state = tmp_path / "vittne.json"
    state.write_bytes(content)
    assert main(["verify", "--witness", str(state)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finsam: ") and err.count("\n") == 1


def test_a_witness_file_is_for_one_source(app: Finsam, tmp_path: Path, key: Ed25519PrivateKey) -> None:
    state = tmp_path / "vittne.json"
    assert witness(StoreSource(app, "https://finsam.example"), state, key).ok
    testing.refused(
        app,
        InvalidInput,
        "en vittnesfil per källa",
        lambda: witness(StoreSource(app, "https://annan.example"), state, key),
    )


def test_published_heads_come_in_pages_with_the_latest_head(app: Finsam) -> None:
    from finsam_core.audit.publish import published_heads

    every = audit_storage(app.recorder).heads()
    first = published_heads(app, 0, 2)
    assert [h.position for h in first.heads] == [h.position for h in every[:2]]
    assert first.latest == every[-1] and first.next_since == every[1].position
    rest = published_heads(app, every[-2].position, 2)
    assert rest.heads == every[-1:] and rest.next_since is None
