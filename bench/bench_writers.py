"""Concurrent writers on the embedded PostgreSQL: one writer beside eight, each on its own förbund.

Each writer is a process with its own application (its own connection pool, as a service worker
has) that records one event per write through the audited recorder, on streams of its own förbund
(the first event of each stream names the förbund, so the stream is in that förbund's chain), for
``--seconds``. One writer and eight writers take turns ``--rounds`` times on fresh databases; each
figure is the best of its rounds (the machine is shared: a load spike must not favour one side).
The load average (``uptime``) is printed with each round.

    .venv/bin/python bench/bench_writers.py [--seconds 5] [--rounds 3] [--sign-every 1]

``--sign-every N`` sets ``FINSAM_SIGN_EVERY`` and ``--sign-within-ms T`` ``FINSAM_SIGN_WITHIN_MS``
(unset: the application's defaults).

Besides the rates it prints where the time went, so that a ratio can be explained: the CPU seconds
per write of the writer processes (``getrusage`` in each, over the timed seconds) and of the
PostgreSQL server's processes (``/proc``: the postmaster's live children plus what it reaped), and
what the backends of the benchmark's database were doing, sampled from ``pg_stat_activity`` every
10 ms (running, idle waiting for the client, or waiting on a lock, by lock).
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import resource
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp()) / "bench-key.pem"))

from finsam_core.application import Finsam
from finsam_core.audit.verify import verify_store
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import Meeting
from finsam_core.embedded import EmbeddedPostgres, create_database, database_url

_TICK = os.sysconf("SC_CLK_TCK")

TOPIC = get_topic(Meeting.Decided)  # type: ignore[attr-defined]  # an @event class
FORBUND = [f"22200{i}-0000" for i in range(8)]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _writer(
    url: str, forbund: str, seconds: float, start_at: float, out: multiprocessing.Queue[tuple[int, float]]
) -> None:
    app = Finsam(store_url=url)
    named = str(forbund_id(forbund))
    stamp = datetime(2024, 5, 30, 10, 0, tzinfo=UTC).isoformat()
    streams = [uuid4() for _ in range(20)]
    versions = dict.fromkeys(streams, 0)
    while time.time() < start_at:
        time.sleep(0.001)
    stop = start_at + seconds
    writes = 0
    cpu = _cpu()
    while time.time() < stop:
        stream = streams[writes % len(streams)]
        versions[stream] += 1
        state = (
            f'{{"timestamp":"{stamp}","forbund_id":"{named}","number":{versions[stream]},'
            f'"clauses":["att godkänna rapporten {writes}"],"matter":"general"}}'
        ).encode()
        app.recorder.insert_events([StoredEvent(stream, versions[stream], TOPIC, state)])
        writes += 1
    cpu = _cpu() - cpu
    app.close()
    out.put((writes, cpu))


def server_cpu(data_dir: Path) -> float:
    """CPU seconds used so far by the server's processes: live children of the postmaster and reaped ones."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), counted from state = 0.
        if int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / _TICK
        elif int(entry) == postmaster:
            total += sum(int(f) for f in fields[11:15]) / _TICK
    return total


class Activity(threading.Thread):
    """Samples what the benchmark database's client backends are doing, every 10 ms."""

    def __init__(self, url: str, database: str) -> None:
        super().__init__(daemon=True)
        self.url, self.database = url, database
        self.counts: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.01):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    (self.database,),
                ).fetchall()
                self.samples += 1
                for state, kind, event, query in rows:
                    if state == "active" and kind == "Lock":
                        what = "signer" if "signer" in (query or "") else "writers"
                        self.counts[f"lock:{event}:{what}"] += 1
                    elif state == "active":
                        self.counts["running" if kind is None else f"active:{kind}:{event}"] += 1
                    elif state and state.startswith("idle in transaction"):
                        self.counts["idle in transaction (waits for its client)"] += 1

    def summary(self) -> str:
        if not self.samples:
            return "no samples"
        return ", ".join(f"{k} {v / self.samples:.2f}" for k, v in self.counts.most_common(6))


def run(server: str, data_dir: Path, database: str, writers: int, seconds: float) -> float:
    """Writes per second of ``writers`` processes, each on its own förbund, together."""
    url = create_database(server, database)
    Finsam(store_url=url).close()  # the tables, before the writers race to create them
    out: multiprocessing.Queue[tuple[int, float]] = multiprocessing.Queue()
    start_at = time.time() + 2.0
    procs = [
        multiprocessing.Process(target=_writer, args=(url, FORBUND[i], seconds, start_at, out)) for i in range(writers)
    ]
    for proc in procs:
        proc.start()
    activity = Activity(database_url(server, database), database)
    while time.time() < start_at:
        time.sleep(0.001)
    before = server_cpu(data_dir)
    activity.start()
    results = [out.get() for _ in procs]
    activity.stop.set()
    for proc in procs:
        proc.join()
    activity.join()
    served = server_cpu(data_dir) - before
    total = sum(w for w, _ in results)
    client = sum(c for _, c in results)
    report = verify_store(Finsam(store_url=url), minutes=False)
    assert report.ok, report.summary()
    print(
        f"    CPU per write: writers {client / total * 1e6:.0f} us, server {served / total * 1e6:.0f} us "
        f"(CPU busy {(client + served) / seconds:.2f} of {os.cpu_count()} cores); "
        f"backends per sample: {activity.summary()}",
        flush=True,
    )
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sign-every", type=int, default=None)
    parser.add_argument("--sign-within-ms", type=int, default=None)
    args = parser.parse_args()
    if args.sign_every is not None:
        os.environ["FINSAM_SIGN_EVERY"] = str(args.sign_every)
    if args.sign_within_ms is not None:
        os.environ["FINSAM_SIGN_WITHIN_MS"] = str(args.sign_within_ms)
    settings = " ".join(
        f"{k}={os.environ[k]}" for k in ("FINSAM_SIGN_EVERY", "FINSAM_SIGN_WITHIN_MS") if k in os.environ
    )
    with tempfile.TemporaryDirectory() as tmp, EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server:
        best = {1: 0.0, 8: 0.0}
        counter = 0
        for _ in range(args.rounds):
            for writers in (1, 8):
                counter += 1
                rate = run(server, Path(tmp) / "pg", f"writers{counter}", writers, args.seconds)
                best[writers] = max(best[writers], rate)
                print(f"  {writers} writer(s): {rate:7.0f} writes/s   load {os.getloadavg()[0]:.1f}", flush=True)
        print(
            f"writers {settings or 'default signing'}: 1 writer {best[1]:.0f}/s, 8 writers on 8 förbund "
            f"{best[8]:.0f}/s, ratio {best[8] / best[1]:.2f}x (best of {args.rounds}); "
            f"uptime load {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )


if __name__ == "__main__":
    main()
