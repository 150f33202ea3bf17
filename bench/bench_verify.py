"""Benchmark: verifying the audit trail beside a raw baseline, and one förbund among many.

    .venv/bin/python bench/bench_verify.py [--events 200000] [--per-write 100] [--meetings] [--store-dir DIR]
    .venv/bin/python bench/bench_verify.py --only-forbund [--forbund-others 500000] [--store-dir DIR]

1. Writes ``--events`` events through the audited SQLite recorder (``--per-write`` per atomic
   write, each with an actor, each write chained and signed): synthetic rows, or with
   ``--meetings`` real meetings (a förbund's register, then meetings of ten events copied from
   one the application recorded, as ``service_data.generate`` makes them for the service
   benchmarks). Then times, in the same run and on the same rows, the sides alternating round by
   round, best of ``--rounds``:
   *baseline*: read every row and sha256 the same bytes the leaf hash covers, nothing else;
   *finsam verify*: the command as a user runs it (``finsam verify --store URL``, in-process:
   chain, förbund chains, heads, last signature and the minutes check, in one pass);
   *verify --all-signatures*: the same with every checkpoint's signature checked.
2. Records 20 years of one förbund's meetings (6 a year, 6 paragraphs each) through the
   application and times ``replay_forbund`` as of a date in year 10, and as of today.
3. One förbund (``--forbund-events``, recorded through the application: meetings and paragraphs)
   alone in a store, and the same förbund's commands interleaved with ``--forbund-others`` events
   of seven other förbund and the network (10 a write): ``finsam verify --forbund``, ``finsam export
   --audit`` and ``finsam replay`` of that förbund on both stores, alternating, best of ``--rounds``.

``--store-dir DIR`` keeps the generated stores in DIR (named by their parameters) and reuses them
on the next run: the store with 500 000 others takes several minutes to write (50 000 signed writes).
Every figure is printed with ``uptime``'s load averages.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp()) / "bench-key.pem"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor
from finsam_core.audit.forbund_chain import verify_forbund
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.replay import replay_forbund
from finsam_core.audit.verify import verify_store
from finsam_core.cli import main as finsam
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import Meeting

ACTOR_LEAD = struct.Struct(">22sQQIQ")
ACTOR_DOMAIN = b"finsam-audit-actor-v1\n"
TOPIC = get_topic(Meeting.Decided)  # type: ignore[attr-defined]  # an @event class


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"(load average {one:.2f}, {five:.2f}, {fifteen:.2f})"


def url_of(path: Path) -> str:
    return f"sqlite:///{path.as_posix().lstrip('/')}"


def stored(path: Path, make: Callable[[str], None]) -> str:
    """The store at ``path``, made by ``make`` unless an earlier run left it complete (a ``.ready`` file)."""
    ready = path.with_suffix(".ready")
    if not ready.exists():
        for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            old.unlink(missing_ok=True)
        started = time.perf_counter()
        make(url_of(path))
        print(f"wrote {path.name} in {time.perf_counter() - started:.0f} s {load()}", flush=True)
        ready.write_text("complete\n")
    return url_of(path)


def synthetic(events: int) -> list[StoredEvent]:
    streams = [uuid4() for _ in range(max(1, events // 50))]
    versions = dict.fromkeys(streams, 0)
    stamp = datetime(2024, 5, 30, 10, 0, tzinfo=UTC).isoformat()
    rows = []
    for n in range(events):
        stream = streams[n % len(streams)]
        versions[stream] += 1
        state = (
            f'{{"timestamp":"{stamp}","number":{versions[stream]},"clauses":["att godkänna '
            f'rapporten {n}","att lägga den till handlingarna"],"matter":"general"}}'
        ).encode()
        rows.append(StoredEvent(stream, versions[stream], TOPIC, state))
    return rows


def fill(url: str, rows: list[StoredEvent], per_write: int) -> None:
    app = Finsam(store_url=url)
    actor = Actor.python("bench")
    for k in range(0, len(rows), per_write):
        app.recorder.insert_events(rows[k : k + per_write], actor=actor)
    app.close()


def baseline(url: str) -> tuple[float, float]:
    """Read every row and SHA-256 the bytes its leaf covers (the same header, ids, topic, state, actor)."""
    app = Finsam(store_url=url)
    storage = audit_storage(app.recorder)
    sha256, pack, fromhex, domain = hashlib.sha256, ACTOR_LEAD.pack, bytes.fromhex, ACTOR_DOMAIN
    actor = bytes(32)  # the SHA-256 of the write's actor: 32 bytes, like the verifier's
    started, cpu = time.perf_counter(), time.process_time()
    for position, originator_id, version, topic, state in storage.iter_events():  # as the verifier computes a leaf
        topic_bytes = topic.encode()
        oid = fromhex(originator_id) if type(originator_id) is str else originator_id.bytes
        sha256(
            pack(domain, position, version, len(topic_bytes), len(state)) + oid + topic_bytes + state + actor
        ).digest()
    return time.perf_counter() - started, time.process_time() - cpu


def command(*argv: str) -> tuple[float, float]:
    """``finsam ARGV`` in this process (its output discarded), wall and CPU seconds; fails unless it exits 0."""
    out = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = finsam(list(argv))
    took = time.perf_counter() - started, time.process_time() - cpu
    assert code == 0, out.getvalue()
    return took


ROUNDS: dict[str, list[tuple[float, float]]] = {}
"""Every round's (wall, CPU) seconds of each side of the last :func:`alternate`, for per-round ratios."""


def alternate(sides: dict[str, Callable[[], tuple[float, float]]], rounds: int) -> dict[str, tuple[float, float]]:
    """Each side once per round, in turn; the best (lowest) wall time and CPU time of each.

    CPU seconds (of this process) are printed beside wall seconds: on a machine shared with other
    work they move less, since waiting for a core is not counted. Each round's times are kept in
    :data:`ROUNDS` for :func:`median_ratio` (two sides measured a moment apart share the load)."""
    best: dict[str, tuple[float, float]] = {}
    ROUNDS.clear()
    for _ in range(rounds):
        for name, run in sides.items():
            wall, cpu = run()
            ROUNDS.setdefault(name, []).append((wall, cpu))
            old = best.get(name, (wall, cpu))
            best[name] = (min(old[0], wall), min(old[1], cpu))
    return best


def median_ratio(name: str, base: str) -> str:
    """The median over the rounds of ``name``'s time over ``base``'s in the same round (wall, CPU)."""
    pairs = list(zip(ROUNDS[name], ROUNDS[base], strict=True))
    wall = statistics.median(a[0] / b[0] for a, b in pairs)
    cpu = statistics.median(a[1] / b[1] for a, b in pairs)
    return f"median of per-round ratios {wall:.2f}x wall, {cpu:.2f}x CPU"


def shown(took: tuple[float, float], base: tuple[float, float] | None = None) -> str:
    """``wall s (cpu s CPU)``, with the ratios to ``base`` if given."""
    text = f"{took[0]:.3f} s ({took[1]:.3f} s CPU)"
    if base is not None:
        text += f" = {took[0] / base[0]:.2f}x wall, {took[1] / base[1]:.2f}x CPU"
    return text


def whole_store(args: argparse.Namespace, where: Path) -> None:
    kind = "meetings" if args.meetings else "synthetic"
    path = where / f"verify-{kind}-{args.events}-{args.per_write}.sqlite"

    def make(url: str) -> None:
        if args.meetings:
            from service_data import generate

            rows = generate(args.events)
        else:
            rows = synthetic(args.events)
        fill(url, rows, args.per_write)

    url = stored(path, make)
    events = verify_store(Finsam(store_url=url), minutes=False).events
    best = alternate(
        {
            "baseline": lambda: baseline(url),
            "verify": lambda: command("verify", "--store", url),
            "verify_minutes_off": lambda: _verify_no_minutes(url),
        },
        args.rounds,
    )
    base = best["baseline"]
    print(f"{kind} store, {events} events, {args.per_write} a write, best of {args.rounds} {load()}")
    print(f"  baseline (read + sha256 of the bytes each leaf covers): {shown(base)}")
    print(f"  finsam verify (the command, minutes included):          {shown(best['verify'], base)}")
    print(f"      {median_ratio('verify', 'baseline')}")
    print(f"  verify_store(minutes=False):                            {shown(best['verify_minutes_off'], base)}")
    print(f"      {median_ratio('verify_minutes_off', 'baseline')}")
    every = alternate({"all": lambda: command("verify", "--store", url, "--all-signatures")}, 1)["all"]
    print(f"  finsam verify --all-signatures (once):                  {shown(every, base)}")


def _verify_no_minutes(url: str) -> tuple[float, float]:
    app = Finsam(store_url=url)
    started, cpu = time.perf_counter(), time.process_time()
    report = verify_store(app, minutes=False)
    took = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok, report.summary()
    return took


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


def replay_history(where: Path, rounds: int) -> None:
    url = stored(where / "history-20.sqlite", lambda url: history(url).close())
    hist = Finsam(store_url=url)
    events = verify_store(hist, minutes=False).events
    best = alternate({"baseline": lambda: baseline(url), "verify": lambda: command("verify", "--store", url)}, rounds)
    print(
        f"finsam verify with the minutes check, 20-year history ({events} events): "
        f"{shown(best['verify'], best['baseline'])}; its baseline {shown(best['baseline'])} {load()}"
    )
    for as_of in (date(2014, 6, 30), None):
        started = time.perf_counter()
        state = replay_forbund(hist, testing.ORNSKOLDSVIK, as_of=as_of)
        took = time.perf_counter() - started
        print(
            f"replay 20-year history as of {as_of or 'today'}: {took * 1000:.0f} ms, "
            f"{len(state.meetings)} meetings, {state.events} events applied {load()}"
        )


def forbund_store(url: str, own: int, others: int, per_write: int = 10) -> None:
    """Örnsköldsvik (``own`` events, recorded by commands: meetings and paragraphs) with ``others``
    events of seven other förbund and the network written between its commands, evenly."""
    app = Finsam(store_url=url)
    org = testing.ORNSKOLDSVIK
    stamp = datetime(2024, 5, 30, 10, 0, tzinfo=UTC).isoformat()
    chains = [str(uuid4()) for _ in range(7)] + [None]
    streams: dict[int, list[tuple[Any, int]]] = {}
    actor = Actor.python("bench")
    written = 0

    def others_upto(target: int) -> None:
        nonlocal written
        batch: list[StoredEvent] = []
        while written < target:
            which = written % len(chains)
            mine = streams.setdefault(which, [])
            if not mine or mine[-1][1] >= 50:
                mine.append((uuid4(), 0))
            stream, version = mine[-1]
            mine[-1] = (stream, version + 1)
            named = f'"forbund_id":"{chains[which]}",' if chains[which] is not None else ""
            state = f'{{"timestamp":"{stamp}",{named}"number":{version + 1},"matter":"general"}}'.encode()
            batch.append(StoredEvent(stream, version + 1, TOPIC, state))
            written += 1
            if len(batch) == per_write:
                app.recorder.insert_events(batch, actor=actor)
                batch = []
        if batch:
            app.recorder.insert_events(batch, actor=actor)

    def mine() -> int:
        return sum(1 for _ in audit_storage(app.recorder).chain_events(forbund_id(org).bytes))

    testing.register_ornskoldsvik(app)
    count, meeting = mine(), 0
    while count < own:
        others_upto(others * count // own)
        reference = f"2024-{meeting}"
        app.convene_meeting(org, reference, date(2024, 1, 1 + meeting % 28), "Stadshuset")
        for _ in range(8):
            app.add_paragraph(org, reference, f"Ärende {meeting}", "Styrelsen beslutar att anta förslaget.")
        count, meeting = mine(), meeting + 1
    others_upto(others)
    app.close()


def one_forbund(args: argparse.Namespace, where: Path) -> None:
    """One förbund's verify, export and replay, alone and among ``--forbund-others`` events."""
    own, others = args.forbund_events, args.forbund_others
    urls = {
        "alone": stored(where / f"forbund-{own}-alone.sqlite", lambda url: forbund_store(url, own, 0)),
        "among": stored(where / f"forbund-{own}-among-{others}.sqlite", lambda url: forbund_store(url, own, others)),
    }
    apps = {name: Finsam(store_url=url) for name, url in urls.items()}
    counts = {name: verify_forbund(app, testing.ORNSKOLDSVIK).events for name, app in apps.items()}
    totals = {name: app.recorder.max_notification_id() or 0 for name, app in apps.items()}
    assert counts["alone"] == counts["among"], counts
    out = where / "export.jsonl"
    org = testing.ORNSKOLDSVIK
    sides: dict[str, Callable[[], tuple[float, float]]] = {}
    for name, url in urls.items():
        sides[f"verify {name}"] = lambda url=url: command("verify", "--store", url, "--forbund", org)
        sides[f"export {name}"] = lambda url=url: command(
            "export", "--store", url, "--audit", "--forbund", org, "--out", str(out)
        )
        sides[f"replay {name}"] = lambda url=url: command("replay", "--store", url, "--forbund", org)
    best = alternate(sides, args.rounds)
    print(
        f"one förbund of {counts['alone']} events: alone ({totals['alone']} in the store) and among "
        f"{totals['among'] - totals['alone']} others ({totals['among']} in the store), best of {args.rounds} {load()}"
    )
    for what in ("verify", "export", "replay"):
        alone, among = best[f"{what} alone"], best[f"{what} among"]
        print(
            f"  finsam {what:6}: {median_ratio(f'{what} among', f'{what} alone')}; best: "
            f"alone {alone[0] * 1000:7.1f} ms ({alone[1] * 1000:6.1f} ms CPU), among "
            f"{among[0] * 1000:7.1f} ms ({among[1] * 1000:6.1f} ms CPU) = {among[0] / alone[0]:.2f}x wall, "
            f"{among[1] / alone[1]:.2f}x CPU"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--per-write", type=int, default=100)
    parser.add_argument("--meetings", action="store_true", help="real meetings instead of synthetic rows")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--forbund-events", type=int, default=500, help="one förbund's events, alone and among others")
    parser.add_argument("--forbund-others", type=int, default=500_000)
    parser.add_argument("--only-forbund", action="store_true", help="only the one-förbund comparison")
    parser.add_argument("--skip-forbund", action="store_true", help="no one-förbund comparison")
    parser.add_argument("--store-dir", help="keep the generated stores here and reuse them on the next run")
    args = parser.parse_args()
    if args.store_dir:  # the stores kept there were signed with this key: keep it beside them
        Path(args.store_dir).mkdir(parents=True, exist_ok=True)
        os.environ["FINSAM_SIGNING_KEY"] = str(Path(args.store_dir) / "bench-key.pem")
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.store_dir) if args.store_dir else Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        if not args.skip_forbund:
            one_forbund(args, where)
        if args.only_forbund:
            return
        whole_store(args, where)
        replay_history(where, args.rounds)


if __name__ == "__main__":
    main()
