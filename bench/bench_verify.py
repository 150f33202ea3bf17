"""Benchmark: verifying the audit trail beside a raw baseline, and replaying one förbund's history.

    .venv/bin/python bench/bench_verify.py [--events 1000000] [--per-write 100] [--actor]

1. Writes ``--events`` events through the audited SQLite recorder (``--per-write`` per atomic
   write, each write chained and signed), then times, in the same run and on the same rows:
   *baseline*: read every row and sha256 the same bytes the leaf hash covers, nothing else;
   *verify*: :func:`verify_store` without the minutes check (chain, heads, last signature);
   *verify, all signatures*: the same with every checkpoint's signature checked.
2. Records 20 years of one förbund's meetings (6 a year, 6 paragraphs each) through the
   application and times ``replay_forbund`` as of a date in year 10, and as of today.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import struct
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp()) / "bench-key.pem"))

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor
from finsam_core.audit.forbund_chain import chain_forbund_events, verify_forbund
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.replay import replay_forbund
from finsam_core.audit.storage import AuditStorage
from finsam_core.audit.verify import verify_store
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import Meeting

HEADER = struct.Struct(">QQI")
TOPIC = get_topic(Meeting.Decided)  # type: ignore[attr-defined]  # an @event class


def fill(app: Finsam, events: int, per_write: int, actor: Actor | None = None) -> float:
    streams = [uuid4() for _ in range(max(1, events // 50))]
    versions = dict.fromkeys(streams, 0)
    started = time.perf_counter()
    written = 0
    stamp = datetime(2024, 5, 30, 10, 0, tzinfo=UTC).isoformat()
    while written < events:
        batch = []
        for i in range(min(per_write, events - written)):
            stream = streams[(written + i) % len(streams)]
            versions[stream] += 1
            state = (
                f'{{"timestamp":"{stamp}","number":{versions[stream]},"clauses":["att godkänna '
                f'rapporten {written + i}","att lägga den till handlingarna"],"matter":"general"}}'
            ).encode()
            batch.append(StoredEvent(stream, versions[stream], TOPIC, state))
        app.recorder.insert_events(batch, actor=actor)
        written += len(batch)
    return time.perf_counter() - started


def baseline(app: Finsam) -> tuple[float, int]:
    storage = audit_storage(app.recorder)
    sha256, pack, fromhex = hashlib.sha256, HEADER.pack, bytes.fromhex
    started = time.perf_counter()
    count = 0
    for position, originator_id, version, topic, state in storage.iter_events():
        topic_bytes = topic.encode()
        digest = sha256(pack(position, version, len(topic_bytes)))
        digest.update(fromhex(originator_id) if type(originator_id) is str else originator_id.bytes)
        digest.update(topic_bytes)
        digest.update(state)
        digest.digest()
        count += 1
    return time.perf_counter() - started, count


def best(fn, runs: int = 3):  # type: ignore[no-untyped-def]
    results = [fn() for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def history(url: str, years: int = 20) -> Finsam:
    app = Finsam(store_url=url)
    testing.register_ornskoldsvik(app)
    org = testing.ORNSKOLDSVIK
    for year in range(2005, 2005 + years):
        for n, month in enumerate((2, 4, 6, 9, 10, 12), start=1):
            reference = f"{year}-{n}"
            with app.batch() as tx:
                tx.convene_meeting(org, reference, date(year, month, 15), "Stadshuset")
                for _ in range(6):
                    number = tx.add_paragraph(org, reference, f"Ärende {year}-{n}")
                    tx.note_information(org, reference, number, "Styrelsen har tagit del av informationen.")
    return app


def forbund_store(url: str, own: int, others: int, per_write: int = 10) -> Finsam:
    """``own`` events of one förbund (ours) among ``others`` of seven other förbund and the network."""
    app = Finsam(store_url=url)
    stamp = datetime(2024, 5, 30, 10, 0, tzinfo=UTC).isoformat()
    chains = [str(forbund_id(testing.ORNSKOLDSVIK))] + [str(uuid4()) for _ in range(7)] + [None]
    total = own + others
    # Ours are spread evenly through the log; the others take the remaining turns in round robin.
    ours_every = max(1, total // max(1, own))
    streams: dict[int, list[tuple[object, int]]] = {}
    batch: list[StoredEvent] = []
    written_own = 0
    for n in range(total):
        if written_own < own and n % ours_every == 0:
            which, written_own = 0, written_own + 1
        else:
            which = 1 + n % (len(chains) - 1)
        mine = streams.setdefault(which, [])
        if not mine or mine[-1][1] >= 50:
            mine.append((uuid4(), 0))
        stream, version = mine[-1]
        mine[-1] = (stream, version + 1)
        named = f'"forbund_id":"{chains[which]}",' if chains[which] is not None else ""
        state = f'{{"timestamp":"{stamp}",{named}"number":{version + 1},"matter":"general"}}'.encode()
        batch.append(StoredEvent(stream, version + 1, TOPIC, state))
        if len(batch) == per_write:
            app.recorder.insert_events(batch, actor=Actor.python("bench"))
            batch = []
    if batch:
        app.recorder.insert_events(batch, actor=Actor.python("bench"))
    return app


def one_forbund(tmp: str, own: int, others: int, rounds: int) -> None:
    """One förbund's verification and read through its chain, alone and among ``others`` events."""
    timings: dict[str, dict[str, float]] = {}
    for name, count in (("alone", 0), ("among", others)):
        url = f"sqlite:///{(Path(tmp) / f'forbund-{name}.sqlite').as_posix().lstrip('/')}"
        forbund_store(url, own, count)
        app = Finsam(store_url=url)
        storage = audit_storage(app.recorder)

        def check(app: Finsam = app):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            report = verify_forbund(app, testing.ORNSKOLDSVIK)
            assert report.ok and report.events == own, report.summary()
            return time.perf_counter() - started, report

        def read(storage: AuditStorage = storage):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            n = sum(1 for _ in chain_forbund_events(storage, testing.ORNSKOLDSVIK))
            assert n == own
            return time.perf_counter() - started, n

        timings[name] = {"verify": best(check, rounds)[0], "read": best(read, rounds)[0]}
    for what in ("verify", "read"):
        alone, among = timings["alone"][what], timings["among"][what]
        print(
            f"one förbund's {what} ({own} events): alone {alone * 1000:.1f} ms, among {others} others "
            f"{among * 1000:.1f} ms = {among / alone:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-write", type=int, default=100)
    parser.add_argument("--actor", action="store_true", help="record each write with an actor (as every write is now)")
    parser.add_argument("--forbund-events", type=int, default=500, help="one förbund's events, alone and among others")
    parser.add_argument("--forbund-others", type=int, default=50_000)
    parser.add_argument("--only-forbund", action="store_true", help="only the one-förbund comparison")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one_forbund(tmp, args.forbund_events, args.forbund_others, rounds=5)
        if args.only_forbund:
            return
        url = f"sqlite:///{(Path(tmp) / 'bench.sqlite').as_posix().lstrip('/')}"
        app = Finsam(store_url=url)
        actor = Actor.python("bench") if args.actor else None
        fill_seconds = fill(app, args.events, args.per_write, actor)
        print(f"wrote {args.events} events in {args.events // args.per_write} signed writes: {fill_seconds:.1f} s")
        app = Finsam(store_url=url)
        base, count = best(lambda: baseline(app))

        def timed(all_signatures: bool):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            report = verify_store(app, all_signatures=all_signatures, minutes=False)
            assert report.ok, report.summary()
            return time.perf_counter() - started, report

        verify, report = best(lambda: timed(False))
        verify_all, _ = best(lambda: timed(True), runs=1)
        print(f"baseline (read + sha256 of the same bytes): {base:.2f} s for {count} events")
        print(f"verify (chain + heads + last signature):     {verify:.2f} s  = {verify / base:.2f}x baseline")
        print(
            f"verify --all-signatures ({report.heads} heads):     {verify_all:.2f} s  "
            f"= {verify_all / base:.2f}x baseline"
        )

        replay_url = f"sqlite:///{(Path(tmp) / 'history.sqlite').as_posix().lstrip('/')}"
        started = time.perf_counter()
        hist = history(replay_url)
        built = time.perf_counter() - started
        events = verify_store(hist, minutes=False).events
        hist_base, _ = best(lambda: baseline(hist))

        def with_minutes():  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            report = verify_store(hist)
            assert report.ok and report.minutes_signatures_checked == 0, report.summary()
            return time.perf_counter() - started, report

        hist_verify, _ = best(with_minutes)
        print(
            f"verify with the minutes check, 20-year history ({events} events): {hist_verify:.2f} s "
            f"= {hist_verify / hist_base:.2f}x its baseline ({hist_base:.2f} s)"
        )
        for as_of in (date(2014, 6, 30), None):
            started = time.perf_counter()
            state = replay_forbund(hist, testing.ORNSKOLDSVIK, as_of=as_of)
            took = time.perf_counter() - started
            assert all(isinstance(m, Meeting) for m in state.meetings)
            print(
                f"replay 20-year history ({events} events, built in {built:.1f} s) as of {as_of or 'today'}: "
                f"{took * 1000:.0f} ms, {len(state.meetings)} meetings, {state.events} events applied"
            )


if __name__ == "__main__":
    main()
