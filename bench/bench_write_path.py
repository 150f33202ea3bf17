"""Where a service write's CPU goes, in process: the command, and the projection worker per write.

    .venv/bin/python bench/bench_write_path.py [--writes 400] [--rounds 3]

The HTTP benchmark (``bench_service.py``) gives the CPU per request of whole processes; this one takes
the write apart, on a temporary embedded PostgreSQL, with the thread's own CPU clock
(``time.thread_time``: what the interpreter spends, not the time waiting for the database), so a busy
machine changes it far less than it changes rates or latencies:

* **command**: ``app.run(lambda app: app.add_paragraph(...))`` as the service runs it (load the meeting
  and the minute book through the aggregate cache, check the rules, record two events with the audit
  trail), one after the other, round the 100 meetings of a förbund as ``bench_service`` writes. Two
  applications on one store take turns in blocks of 25: the signer after every write (the default,
  ``FINSAM_SIGN_EVERY=1``) and after every 100 writes or second (``FINSAM_SIGN_EVERY=100``,
  ``FINSAM_SIGN_WITHIN_MS=1000``).
* **projection worker, per write**: a batch after every write (what the worker did before it gathered
  writes: one transaction, the tracking row, the meeting's rows and minutes per write), and one batch
  for every 8 writes (what ``FINSAM_PROJECTION_COALESCE_MS`` gathers under load).

Each figure is the median of ``--rounds`` rounds (the lowest would flatter: the rounds differ by the
machine's load), milliseconds of CPU per write.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_service import meeting_reference, register_writers
from service_data import load_average

from finsam_core.application import Finsam
from finsam_core.embedded import EmbeddedPostgres, create_database
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.records import RecordsProjection
from finsam_service.database import apply_schema

SIGN_EVERY_100 = {"FINSAM_SIGN_EVERY": "100", "FINSAM_SIGN_WITHIN_MS": "1000"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=400, help="writes per figure and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="finsam-bench-") as tmp,
        EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server,
    ):
        print(f"# the write path in process: Python {sys.version.split()[0]}; {load_average()}")
        url = create_database(server, "writes")
        apply_schema(url)
        setup = Finsam(store_url=url)
        org = register_writers(setup)[0]
        setup.close()
        signing = {"every write": Finsam(store_url=url), "every 100 writes": Finsam(SIGN_EVERY_100, store_url=url)}
        worker = ProjectionWorker(signing["every write"], url, RecordsProjection(signing["every write"]))
        worker.catch_up()
        turn = [0]

        def write(app: Finsam) -> None:
            k = turn[0] = turn[0] + 1
            app.run(lambda tx: tx.add_paragraph(org, meeting_reference(k % 100), "Ärende", "Beslut om ärendet."))

        def cpu(action: Callable[[], object]) -> tuple[float, float]:
            started, clock = time.thread_time(), time.perf_counter()
            action()
            return time.thread_time() - started, time.perf_counter() - clock

        for app in signing.values():  # warm: the cache holds the förbund's meetings and minute books
            for _ in range(100):
                write(app)
        worker.catch_up()
        results: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.rounds):
            spent = {name: [0.0, 0.0] for name in signing}
            for _ in range(args.writes // 25):
                for name, app in signing.items():
                    used, wall = cpu(lambda app=app: [write(app) for _ in range(25)])  # type: ignore[misc]
                    spent[name][0] += used
                    spent[name][1] += wall
            worker.catch_up()
            for name, (used, wall) in spent.items():
                results.setdefault(f"command, signer after {name}", []).append(
                    (used / args.writes * 1000, wall / args.writes * 1000)
                )
            for per_batch in (1, 8):
                used = 0.0
                for _ in range(args.writes // per_batch):
                    for _ in range(per_batch):
                        write(signing["every 100 writes"])
                    used += cpu(worker.process_batch)[0]
                label = f"projection worker, {'a batch per write' if per_batch == 1 else '8 writes a batch'}"
                results.setdefault(label, []).append((used / (args.writes // per_batch * per_batch) * 1000, 0.0))
        print(f"\n| per write ({args.writes} writes a round, median of {args.rounds}) | CPU ms | wall ms |")
        print("|---|---|---|")
        for label, rounds in results.items():
            used = statistics.median(r[0] for r in rounds)
            wall = statistics.median(r[1] for r in rounds)
            print(f"| {label} | {used:.2f} | {f'{wall:.2f}' if wall else ''} |")
        print(load_average())
        worker.close()
        for app in signing.values():
            app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
