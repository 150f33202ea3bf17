"""The background signer on PostgreSQL: every committed write is linked and signed within a bound.

The test run signs synchronously (``FINSAM_SIGN_WITHIN_MS=0``, tests/conftest.py); these tests set
``FINSAM_SIGN_WITHIN_MS`` above 0 (50 is the default outside the tests), which leaves signing to a
background thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.verify import verify_store
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import Meeting

postgres_only = pytest.mark.parametrize(
    "store_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

TOPIC = get_topic(Meeting.Decided)  # type: ignore[attr-defined]  # an @event class


def _background(monkeypatch: pytest.MonkeyPatch, within_ms: int, every: int = 100) -> None:
    monkeypatch.setenv("FINSAM_SIGN_WITHIN_MS", str(within_ms))
    monkeypatch.setenv("FINSAM_SIGN_EVERY", str(every))


def _signed_upto(app: Finsam) -> int:
    head = audit_storage(app.recorder).latest_head()
    return 0 if head is None else head.position


def _last_position(app: Finsam) -> int:
    return app.recorder.max_notification_id() or 0


def _within(seconds: float, condition: Callable[[], bool]) -> float | None:
    """Seconds until ``condition`` held, None if it did not within ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.01)
    return None


def _write(app: Finsam, stream: object, version: int, forbund: str = "222000-1883") -> None:
    state = f'{{"forbund_id":"{forbund_id(forbund)}","number":{version},"clauses":["att godkänna"]}}'.encode()
    app.recorder.insert_events([StoredEvent(stream, version, TOPIC, state)])  # type: ignore[arg-type]


@postgres_only
def test_a_write_returns_before_its_signature_and_is_signed_within_the_interval(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _background(monkeypatch, within_ms=700)
    app = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(app)
    written = _last_position(app)

    assert _signed_upto(app) < written  # recorded and committed, its signature still to come
    took = _within(10, lambda: _signed_upto(app) >= written)
    assert took is not None, "the background signer did not sign within 10 s"
    assert verify_store(app).ok
    app.close()


@postgres_only
def test_sign_every_n_writes_signs_without_waiting_for_the_interval(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _background(monkeypatch, within_ms=600_000, every=3)
    app = Finsam(store_url=store_url)
    stream = uuid4()
    _write(app, stream, 1)
    _write(app, stream, 2)
    assert _within(0.3, lambda: _signed_upto(app) > 0) is None  # two writes wait for the third

    _write(app, stream, 3)

    assert _within(10, lambda: _signed_upto(app) == 3) is not None
    app.close()


@postgres_only
def test_close_signs_what_waits_and_another_verifier_never_trusts_unsigned_events(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _background(monkeypatch, within_ms=600_000)
    writer = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(writer)
    written = _last_position(writer)
    auditor = Finsam(store_url=store_url)

    waited = time.monotonic()
    before = verify_store(auditor, minutes=False)  # another process's verifier: it signs nothing
    waited = time.monotonic() - waited

    # Never trusted: after the signers' window (capped at 5 s) the first unsigned event is where the
    # report stops, named as what it may be.
    assert 5.0 <= waited < 60
    assert not before.ok
    assert before.problems[0].position == 1
    assert "varken länk eller signatur" in before.problems[0].what
    assert _signed_upto(auditor) == 0

    writer.close()

    assert _signed_upto(auditor) == written
    assert verify_store(auditor).ok
    auditor.close()


@postgres_only
def test_a_process_that_exits_without_closing_signs_what_it_wrote(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _background(monkeypatch, within_ms=600_000)
    script = (
        "from finsam_core import testing\n"
        "from finsam_core.application import Finsam\n"
        "import sys\n"
        "testing.register_ornskoldsvik(Finsam(store_url=sys.argv[1]))\n"
    )
    subprocess.run([sys.executable, "-c", script, store_url], check=True, env=dict(os.environ), timeout=120)

    app = Finsam(store_url=store_url)
    assert _last_position(app) > 0
    assert _signed_upto(app) == _last_position(app)
    assert verify_store(app).ok
    app.close()


@postgres_only
def test_writes_from_many_threads_share_heads_and_all_verify(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _background(monkeypatch, within_ms=20)
    app = Finsam(store_url=store_url)
    errors: list[BaseException] = []

    def writer(forbund: str) -> None:
        try:
            stream = uuid4()
            for version in range(1, 16):
                _write(app, stream, version, forbund)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"22200{i}-0000",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    app.close()

    assert not errors
    reader = Finsam(store_url=store_url)
    report = verify_store(reader, minutes=False)
    assert report.ok, report.summary()
    assert report.events == 60
    assert _signed_upto(reader) == 60
    assert report.heads < 60  # one head covers several writes
    reader.close()


@postgres_only
def test_sign_within_zero_signs_every_write_before_it_returns(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _background(monkeypatch, within_ms=0)
    app = Finsam(store_url=store_url)
    stream = uuid4()
    for version in range(1, 4):
        _write(app, stream, version)
        assert _signed_upto(app) == version
    assert verify_store(app, minutes=False).heads == 3
    app.close()


@postgres_only
def test_a_verifier_in_another_process_waits_for_the_writers_signer_instead_of_crying_tamper(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _background(monkeypatch, within_ms=2000, every=100_000)  # signed within 2 s; the verifier waits up to 5 s
    writer = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(writer)
    written = _last_position(writer)
    auditor = Finsam(store_url=store_url)
    assert _signed_upto(auditor) < written  # committed, not yet signed, when the auditor starts

    report = verify_store(auditor, minutes=False)

    assert report.ok, report.summary()
    assert report.events == written
    writer.close()
    auditor.close()


@postgres_only
def test_a_verifier_in_another_process_passes_while_writes_keep_coming(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """There is always a fresh unsigned tail: the verifier checks up to the head that covers what it
    found when it began, and counts what came after as waiting (found by hand against `make run`)."""
    _background(monkeypatch, within_ms=50)
    writer = Finsam(store_url=store_url)
    testing.register_ornskoldsvik(writer)
    auditor = Finsam(store_url=store_url)
    stream, stop = uuid4(), threading.Event()

    def keep_writing() -> None:
        version = 0
        while not stop.is_set():
            version += 1
            _write(writer, stream, version)
            time.sleep(0.002)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        time.sleep(0.2)
        reports = [verify_store(auditor, minutes=False) for _ in range(3)]
    finally:
        stop.set()
        thread.join()
    for report in reports:
        assert report.ok, report.summary()
    assert any(report.pending > 0 for report in reports)  # writes kept coming past the verified head
    assert "väntar på sin signatur" in next(r for r in reports if r.pending).summary()
    writer.close()
    final = verify_store(auditor, minutes=False)
    assert final.ok and final.pending == 0 and final.events == _last_position(auditor)
    auditor.close()


@postgres_only
def test_a_write_after_a_quiet_moment_is_signed_within_the_interval_not_the_idle_timeout(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signer thread waits idle between batches; the next write must wake it (found by hand: the
    service's writes, one at a time, waited up to two seconds for their signature)."""
    _background(monkeypatch, within_ms=50)
    app = Finsam(store_url=store_url)
    stream = uuid4()
    _write(app, stream, 1)
    assert _within(10, lambda: _signed_upto(app) == 1) is not None
    time.sleep(0.3)  # the thread is now waiting idle, with nothing to sign

    for version in (2, 3, 4):
        _write(app, stream, version)
        took = _within(10, lambda: _signed_upto(app) == _last_position(app))
        assert took is not None and took < 1.0, f"signed after {took} s, the interval is 0.05 s"
        time.sleep(0.3)
    app.close()
