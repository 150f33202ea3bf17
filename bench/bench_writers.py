"""Concurrent writers on the embedded PostgreSQL: one writer beside eight, each on its own förbund.

Each writer is a process with its own application (its own connection pool, as a service worker
has) that records one event per write through the audited recorder, on streams of its own förbund
(the first event of each stream names the förbund, so the stream is in that förbund's chain), for
``--seconds``. One writer and eight writers take turns ``--rounds`` times on fresh databases; each
figure is the best of its rounds (the machine is shared: a load spike must not favour one side).
The load average (``uptime``) is printed with each round.

    .venv/bin/python bench/bench_writers.py [--seconds 5] [--rounds 3] [--sign-every 1]

``--sign-every N`` sets ``FINSAM_SIGN_EVERY`` (the signer runs after every N writes of a process;
1, the default, signs every write as soon as it has committed).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
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
from finsam_core.embedded import EmbeddedPostgres, create_database

TOPIC = get_topic(Meeting.Decided)  # type: ignore[attr-defined]  # an @event class
FORBUND = [f"22200{i}-0000" for i in range(8)]


def _writer(url: str, forbund: str, seconds: float, start_at: float, out: multiprocessing.Queue[int]) -> None:
    app = Finsam(store_url=url)
    named = str(forbund_id(forbund))
    stamp = datetime(2024, 5, 30, 10, 0, tzinfo=UTC).isoformat()
    streams = [uuid4() for _ in range(20)]
    versions = dict.fromkeys(streams, 0)
    while time.time() < start_at:
        time.sleep(0.001)
    stop = start_at + seconds
    writes = 0
    while time.time() < stop:
        stream = streams[writes % len(streams)]
        versions[stream] += 1
        state = (
            f'{{"timestamp":"{stamp}","forbund_id":"{named}","number":{versions[stream]},'
            f'"clauses":["att godkänna rapporten {writes}"],"matter":"general"}}'
        ).encode()
        app.recorder.insert_events([StoredEvent(stream, versions[stream], TOPIC, state)])
        writes += 1
    app.close()
    out.put(writes)


def run(url: str, writers: int, seconds: float) -> float:
    """Writes per second of ``writers`` processes, each on its own förbund, together."""
    Finsam(store_url=url).close()  # the tables, before the writers race to create them
    out: multiprocessing.Queue[int] = multiprocessing.Queue()
    start_at = time.time() + 2.0
    procs = [
        multiprocessing.Process(target=_writer, args=(url, FORBUND[i], seconds, start_at, out)) for i in range(writers)
    ]
    for proc in procs:
        proc.start()
    total = sum(out.get() for _ in procs)
    for proc in procs:
        proc.join()
    report = verify_store(Finsam(store_url=url), minutes=False)
    assert report.ok, report.summary()
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sign-every", type=int, default=1)
    args = parser.parse_args()
    os.environ["FINSAM_SIGN_EVERY"] = str(args.sign_every)
    with tempfile.TemporaryDirectory() as tmp, EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server:
        best = {1: 0.0, 8: 0.0}
        counter = 0
        for _ in range(args.rounds):
            for writers in (1, 8):
                counter += 1
                rate = run(create_database(server, f"writers{counter}"), writers, args.seconds)
                best[writers] = max(best[writers], rate)
                print(f"  {writers} writer(s): {rate:7.0f} writes/s   load {os.getloadavg()[0]:.1f}", flush=True)
        print(
            f"writers sign_every={args.sign_every}: 1 writer {best[1]:.0f}/s, 8 writers on 8 förbund "
            f"{best[8]:.0f}/s, ratio {best[8] / best[1]:.2f}x (best of {args.rounds}); "
            f"uptime load {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )


if __name__ == "__main__":
    main()
