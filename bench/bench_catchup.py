"""Projection catch-up into empty views, beside the best of the alternatives, on the same events.

    .venv/bin/python bench/bench_catchup.py [--events 100000] [--rounds 3] [--batch-size 1000]

Three ways to bring the same views (förbund, meetings with their minutes, decisions, assignments,
draft marks) up to the end of the same log of ``--events`` events, in a temporary embedded PostgreSQL:

* **finsam**: :class:`~finsam_core.projections.follower.ProjectionWorker` with
  :class:`~finsam_core.projections.records.RecordsProjection`, ``--batch-size`` events a transaction;
  timed from ``catch_up()``'s call to its return. Behind the log it overlaps a batch's writes with the
  next batch's work (:mod:`finsam_core.projections.pipeline`);
* **finsam, synchronous** (``pipelined=False``): the same worker without the overlap, as it was before.
* **stock runner**: eventsourcing's ``ProjectionRunner`` in its best configuration that we know of:
  the same view writes (one transaction per event with its tracking row, as the runner is designed),
  every aggregate kept in memory and advanced by the domain events the runner hands over (no read of
  the store per event). Timed from its first event's arrival to its last event's commit, so the
  runner's start-up and its subscription's back-off are not counted.
* **ceiling, hand-batched upsert**: the same rows, already computed (taken from the views after a
  run), written per batch of the same notifications as the worker reads them (the same recorder):
  ``COPY`` into temporary tables and one ``INSERT ... ON CONFLICT`` per table, the tracking row, one
  transaction per batch. No decoding, no replay, no rendering: what no worker of these views can beat.

The sides alternate round by round (the two CPUs are shared with other work); each figure is the best
of ``--rounds``. Beside each time, the CPU seconds of the two processes that do the work: this Python
process (every thread) and the PostgreSQL server (its backends and helpers, from ``/proc``): under a
load above the two CPUs, wall times say more about the other work than about ours.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.persistence import Tracking
from service_data import generate, load, load_average, reset_views

from finsam_core.application import Finsam
from finsam_core.domain.forbund import Forbund
from finsam_core.domain.meeting import Meeting
from finsam_core.embedded import EmbeddedPostgres, create_database
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.postgres import PostgresViews
from finsam_core.projections.records import RecordsProjection, assignment_rows, decision_rows, forbund_row, meeting_row
from finsam_core.projections.rows import DraftMark
from finsam_service.database import apply_schema, psycopg_connect

Timing = tuple[float, float, float]
"""Wall seconds, CPU seconds of this process, CPU seconds of the PostgreSQL server."""


def server_cpu(data_dir: Path) -> float:
    """CPU seconds the server's processes (postmaster and children, dead children included) have used."""
    postmaster = next(data_dir.rglob("postmaster.pid")).read_text().split()[0]
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", postmaster], capture_output=True, text=True).stdout
    ticks = 0
    for pid in [postmaster, *children.split()]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # ended meanwhile
            continue
        ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def timed(run: Any, data_dir: Path) -> Timing:
    server, cpu, started = server_cpu(data_dir), time.process_time(), time.perf_counter()
    run()
    return time.perf_counter() - started, time.process_time() - cpu, server_cpu(data_dir) - server


def ours(url: str, batch_size: int, data_dir: Path, *, pipelined: bool = True) -> Timing:
    reset_views(url)
    app = Finsam(store_url=url)
    worker = ProjectionWorker(app, url, RecordsProjection(app), batch_size=batch_size, pipelined=pipelined)
    try:
        return timed(worker.catch_up, data_dir)
    finally:
        worker.close()
        app.close()


def stock(url: str, events: int, round_: int) -> float:
    """eventsourcing's ProjectionRunner, one transaction (view rows + tracking) per event."""
    from eventsourcing.postgres import PostgresTrackingRecorder
    from eventsourcing.projection import Projection, ProjectionRunner

    from finsam_core.stores import environment_for

    reset_views(url)
    times: list[float] = []

    class RecordsView(PostgresTrackingRecorder):
        def record(self, aggregate: Any, tracking: Tracking, first: bool) -> None:
            with self.datastore.transaction(commit=True) as cursor:
                views = PostgresViews(cursor)
                if isinstance(aggregate, Meeting):
                    row = meeting_row(aggregate, tracking.notification_id)
                    views.write_meetings([row], decision_rows(aggregate), assignment_rows(aggregate))
                    if first:
                        mark = DraftMark(tracking.notification_id, aggregate.id, aggregate.id)
                        views.write_draft_marks([mark], [aggregate.id] if aggregate.is_final else [])
                elif isinstance(aggregate, Forbund):
                    views.write_forbund([forbund_row(aggregate, tracking.notification_id)])
                self._insert_tracking(cursor, tracking)
            times.append(time.perf_counter())

    class StockRecords(Projection[RecordsView]):
        name = f"stock_records_{round_}"
        kept: ClassVar[dict[UUID, Any]] = {}

        def process_event(self, domain_event: Any, tracking: Tracking) -> None:
            if not times:
                times.append(time.perf_counter())
            aggregate = domain_event.mutate(self.kept.get(domain_event.originator_id))
            self.kept[domain_event.originator_id] = aggregate
            self.view.record(aggregate, tracking, domain_event.originator_version == 1)

    env = {**environment_for(url), "CREATE_TABLE": "y"}
    runner = ProjectionRunner(application_class=Finsam, projection_class=StockRecords, view_class=RecordsView, env=env)
    with runner:
        runner.wait(events, timeout=3600)
    return times[-1] - times[0]


class Ceiling:
    """The views' final rows, written batch by batch as fast as we know how."""

    TABLES: ClassVar[dict[str, tuple[str, str]]] = {
        "finsam_forbund": ("org_nr", "ON CONFLICT (org_nr) DO UPDATE SET {set}"),
        "finsam_meetings": ("org_nr, reference", "ON CONFLICT (org_nr, reference) DO UPDATE SET {set}"),
        "finsam_decisions": ("org_nr, meeting, paragraph, seq", "ON CONFLICT DO NOTHING"),
        "finsam_assignments": ("org_nr, meeting, paragraph, seq", "ON CONFLICT DO NOTHING"),
        "finsam_draft_events": ("position, stream", "ON CONFLICT DO NOTHING"),
    }

    def __init__(self, url: str) -> None:
        """Read the rows the worker left in the views (run :func:`ours` first)."""
        self.columns: dict[str, list[str]] = {}
        self.rows: dict[str, dict[Any, list[tuple[Any, ...]]]] = {}
        with psycopg_connect(url) as connection:
            meeting_of: dict[tuple[str, str], UUID] = {}
            for org_nr, reference, meeting_id in connection.execute(
                "SELECT org_nr, reference, meeting_id FROM finsam_meetings"
            ):
                meeting_of[(org_nr, reference)] = meeting_id
            forbund_ids = {
                row[0]
                for row in connection.execute(
                    "SELECT DISTINCT originator_id FROM finsam_events WHERE topic LIKE %s", ("%forbund%",)
                )
            }
            for table in self.TABLES:
                columns = [
                    str(r[0])
                    for r in connection.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                        "ORDER BY ordinal_position",
                        (table,),
                    )
                ]
                self.columns[table] = columns
                by_owner: dict[Any, list[tuple[Any, ...]]] = {}
                # jsonb as text: COPY sends it as it came, nothing decoded and encoded again.
                select = ", ".join(
                    f"{c}::text"
                    if c in {"members", "board", "offices", "minutes", "sheet", "clauses", "reservations"}
                    else c
                    for c in columns
                )
                for row in connection.execute(f"SELECT {select} FROM {table}"):
                    record = dict(zip(columns, row, strict=True))
                    if table == "finsam_forbund":
                        owners = list(forbund_ids)
                    elif table == "finsam_draft_events":
                        owners = [record["stream"]]
                    elif table == "finsam_meetings":
                        owners = [record["meeting_id"]]
                    else:
                        owners = [meeting_of[(record["org_nr"], record["meeting"])]]
                    for owner in owners:
                        by_owner.setdefault(owner, []).append(row)
                self.rows[table] = by_owner

    def run(self, url: str, batch_size: int) -> float:
        reset_views(url)
        app = Finsam(store_url=url)
        try:
            with psycopg_connect(url) as connection:
                connection.execute("INSERT INTO finsam_projection_tracking (name, position) VALUES ('ceiling', 0)")
                connection.commit()
                started = time.perf_counter()
                while True:
                    with connection.transaction(), connection.cursor() as cursor:
                        row = cursor.execute(
                            "SELECT position FROM finsam_projection_tracking WHERE name = 'ceiling' FOR UPDATE"
                        ).fetchone()
                        assert row is not None
                        notifications = app.recorder.select_notifications(start=int(row[0]) + 1, limit=batch_size)
                        if not notifications:
                            break
                        touched = {n.originator_id for n in notifications}
                        for table, (key, conflict) in self.TABLES.items():
                            rows = [r for owner in touched for r in self.rows[table].get(owner, ())]
                            if rows:
                                self._upsert(cursor, table, key, conflict, rows)
                        cursor.execute(
                            "UPDATE finsam_projection_tracking SET position = %s WHERE name = 'ceiling'",
                            (notifications[-1].id,),
                        )
                    if len(notifications) < batch_size:
                        break
                return time.perf_counter() - started
        finally:
            app.close()

    def _upsert(self, cursor: Any, table: str, key: str, conflict: str, rows: list[tuple[Any, ...]]) -> None:
        columns = self.columns[table]
        names = ", ".join(columns)
        keys = {k.strip() for k in key.split(",")}
        update = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS t_{table} (LIKE {table}) ON COMMIT DELETE ROWS")
        with cursor.copy(f"COPY t_{table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM t_{table} {conflict.format(set=update)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--stock-rounds", type=int, default=1, help="rounds of the stock runner (slow)")
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="finsam-bench-") as tmp,
        EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server,
    ):
        data_dir = Path(tmp) / "pg"
        print(f"# projection catch-up: Python {sys.version.split()[0]}; {load_average()}")
        t = time.perf_counter()
        stored = generate(args.events)
        url = create_database(server, "catchup")
        apply_schema(url)
        load(url, stored)
        del stored
        print(f"{args.events} events generated and copied into PostgreSQL in {time.perf_counter() - t:.1f} s")
        figures: dict[str, list[Timing]] = {"finsam": [], "synchronous": [], "ceiling": [], "stock": []}
        figures["finsam"].append(ours(url, args.batch_size, data_dir))
        ceiling = Ceiling(url)
        for k in range(args.rounds):
            figures["ceiling"].append(timed(lambda: ceiling.run(url, args.batch_size), data_dir))
            if k > 0:
                figures["finsam"].append(ours(url, args.batch_size, data_dir))
            figures["synchronous"].append(ours(url, args.batch_size, data_dir, pipelined=False))
            if k < args.stock_rounds:
                figures["stock"].append(timed(lambda k=k: stock(url, args.events, k), data_dir))
            print(
                f"round {k + 1}: "
                + ", ".join(f"{name} {values[-1][0]:.2f} s" for name, values in figures.items() if len(values) > k)
                + f"; {load_average()}",
                flush=True,
            )
        best = {name: min(values) for name, values in figures.items() if values}
        n = args.events
        print(f"\n## catch-up of {n} events into empty views, best of {args.rounds} ({args.stock_rounds} for stock)")
        print("| | seconds | events/s | finsam against it | CPU s: this process | CPU s: PostgreSQL |")
        print("|---|---|---|---|---|---|")
        labels = {
            "finsam": f"finsam `ProjectionWorker`, {args.batch_size} a transaction, writes overlapped",
            "synchronous": "the same, synchronous (`pipelined=False`)",
            "ceiling": "ceiling: hand-batched upsert of the same rows (COPY + INSERT ON CONFLICT)",
            "stock": "eventsourcing `ProjectionRunner`, aggregates in memory, 1 a transaction",
        }
        for name, (wall, cpu, server_seconds) in best.items():
            against = "" if name == "finsam" else f"{wall / best['finsam'][0]:.2f}x"
            print(f"| {labels[name]} | {wall:.2f} | {n / wall:,.0f} | {against} | {cpu:.2f} | {server_seconds:.2f} |")
        print(f"finsam against the ceiling: {best['ceiling'][0] / best['finsam'][0]:.2f}x (goal: 0.8x or more)")
        print(f"1 000 000 events at finsam's rate: {1e6 / n * best['finsam'][0]:.0f} s; {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
