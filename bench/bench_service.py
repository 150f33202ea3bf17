"""The network service's figures, each beside a baseline measured in the same run.

    .venv/bin/python bench/bench_service.py [--events 100000] [--requests 2000] [--concurrency 16]

1. Projection catch-up of N events into empty views: our batched worker (1000 events a
   transaction) against eventsourcing's stock ``ProjectionRunner`` doing the same view writes with
   one transaction per event (run on the first ``--stock-events`` of the same events, in events/s).
2. Requests/s and p50/p99 at fixed concurrency on loopback (uvicorn, one process each) for the
   network decisions, the network summary, a förbund and a meeting's minutes, beside a minimal
   Litestar + asyncpg app that returns the same rows.
3. Live lag: a write's commit (its HTTP answer) to its visibility in the views, p50/p99.

Everything runs on a temporary embedded PostgreSQL; nothing outside a temporary folder is touched.
Events are generated once in an in-memory application and copied into PostgreSQL in bulk (the
write path is benchmarked elsewhere: bench_commands.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid5

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp(prefix="finsam-bench-key-")) / "key.pem"))

from eventsourcing.persistence import StoredEvent, Tracking  # noqa: E402

from finsam_core import testing  # noqa: E402
from finsam_core.application import Finsam  # noqa: E402
from finsam_core.domain.forbund import Forbund  # noqa: E402
from finsam_core.domain.meeting import Meeting  # noqa: E402
from finsam_core.embedded import EmbeddedPostgres, create_database  # noqa: E402
from finsam_core.formats import import_paths  # noqa: E402
from finsam_core.projections.follower import ProjectionWorker  # noqa: E402
from finsam_core.projections.postgres import PostgresViews  # noqa: E402
from finsam_core.projections.records import (  # noqa: E402
    RecordsProjection,
    assignment_rows,
    decision_rows,
    forbund_row,
    meeting_row,
)
from finsam_core.topics import event_of  # noqa: E402
from finsam_service.database import apply_schema, psycopg_connect  # noqa: E402

PARAGRAPHS_PER_MEETING = 9
TEMPLATE = "B-TEMPLATE"


# --- events -----------------------------------------------------------------------------------


def generate(events: int) -> list[StoredEvent]:
    """About ``events`` stored events: Örnsköldsvik's register, then meetings of ten events each.

    One meeting (convened, nine paragraphs) is recorded by the application; the others are copies
    of its events under their own reference and identity (``uuid5`` of the forbund, as the
    domain derives it). Recording each one through the application would spend minutes on the
    forbund's and minute book's growing histories, which the projection does not read.
    """
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    org = testing.ORNSKOLDSVIK
    head = [_stored(n) for n in app.recorder.select_notifications(start=1, limit=1000)]
    app.convene_meeting(org, TEMPLATE, date(2025, 1, 1), "Kontoret")
    for p in range(PARAGRAPHS_PER_MEETING):
        app.add_paragraph(org, TEMPLATE, f"Ärende {p}", "Styrelsen beslutar att anta förslaget.")
    template = [
        _stored(n)
        for n in app.recorder.select_notifications(start=len(head) + 1, limit=1000)
        if event_of(n.topic, Meeting)
    ]
    forbund_id = app.repository.get(template[0].originator_id).forbund_id  # type: ignore[attr-defined]
    stored = list(head)
    i = 0
    while len(stored) < events:
        reference = f"B-{i:07d}"
        meeting_id = uuid5(forbund_id, f"meeting:{reference}")
        old = TEMPLATE.encode()
        stored.extend(
            StoredEvent(meeting_id, e.originator_version, e.topic, e.state.replace(old, reference.encode()))
            for e in template
        )
        i += 1
    return stored[:events]


def _stored(n: Any) -> StoredEvent:
    return StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)


def load(url: str, stored: list[StoredEvent]) -> None:
    app = Finsam(store_url=url)
    try:
        for k in range(0, len(stored), 500):
            app.recorder.insert_events(stored[k : k + 500])
    finally:
        app.close()


def reset_views(url: str) -> None:
    with psycopg_connect(url) as connection:
        connection.execute(
            "TRUNCATE finsam_forbund, finsam_meetings, finsam_decisions, finsam_assignments, finsam_draft_events, "
            "finsam_projection_tracking"
        )
        connection.commit()


def catch_up_batched(url: str, batch_size: int) -> tuple[int, float]:
    app = Finsam(store_url=url)
    worker = ProjectionWorker(app, url, RecordsProjection(app), batch_size=batch_size)
    try:
        started = time.perf_counter()
        applied = worker.catch_up()
        return applied, time.perf_counter() - started
    finally:
        worker.close()
        app.close()


def catch_up_stock(url: str, limit: int) -> tuple[int, float]:
    """eventsourcing's ProjectionRunner: one transaction (view rows + tracking) per event."""
    from eventsourcing.postgres import PostgresTrackingRecorder
    from eventsourcing.projection import Projection, ProjectionRunner

    from finsam_core.stores import environment_for

    reader = Finsam(store_url=url)

    class RecordsView(PostgresTrackingRecorder):
        def record(self, aggregate: Any, tracking: Tracking) -> None:
            with self.datastore.transaction(commit=True) as cursor:
                views = PostgresViews(cursor)
                if isinstance(aggregate, Meeting):
                    row = meeting_row(aggregate, tracking.notification_id)
                    views.write_meetings([row], decision_rows(aggregate), assignment_rows(aggregate))
                elif isinstance(aggregate, Forbund):
                    views.write_forbund([forbund_row(aggregate, tracking.notification_id)])
                self._insert_tracking(cursor, tracking)

    class StockRecords(Projection[RecordsView]):
        name = "stock_records"

        def process_event(self, domain_event: Any, tracking: Tracking) -> None:
            aggregate = reader.repository.get(domain_event.originator_id, version=domain_event.originator_version)
            self.view.record(aggregate, tracking)

    env = {**environment_for(url), "CREATE_TABLE": "y"}
    runner = ProjectionRunner(application_class=Finsam, projection_class=StockRecords, view_class=RecordsView, env=env)
    started = time.perf_counter()
    with runner:
        runner.wait(limit, timeout=600)
    elapsed = time.perf_counter() - started
    reader.close()
    return limit, elapsed


# --- HTTP ---------------------------------------------------------------------------------------


BASELINE_APP = """
import os, asyncpg
from litestar import Litestar, get
from litestar.response import Response
from litestar.datastructures import State
from finsam_service.database import asyncpg_arguments

URL = os.environ["FINSAM_DATABASE_URL"]

async def startup(app):
    app.state.pool = await asyncpg.create_pool(min_size=1, max_size=10, **asyncpg_arguments(URL))

@get("/decisions")
async def decisions(state: State) -> Response:
    rows = await state.pool.fetch("SELECT org_nr, meeting, held_on::text, paragraph, title, clauses::text, matter, "
        "outcome, reservations::text, final FROM finsam_decisions WHERE final ORDER BY held_on, org_nr, meeting, "
        "paragraph, seq LIMIT 500")
    return Response([dict(r) for r in rows])

@get("/forbund/{org_nr:str}")
async def forbund(state: State, org_nr: str) -> Response:
    row = await state.pool.fetchrow("SELECT org_nr, name, founded_on::text, members::text FROM finsam_forbund "
        "WHERE org_nr = $1", org_nr)
    return Response(dict(row))

@get("/minutes/{org_nr:str}/{reference:str}")
async def minutes(state: State, org_nr: str, reference: str) -> Response:
    row = await state.pool.fetchrow("SELECT final, minutes::text AS minutes FROM finsam_meetings "
        "WHERE org_nr = $1 AND reference = $2", org_nr, reference)
    return Response(content=row["minutes"].encode(), media_type="application/json")

@get("/summary")
async def summary(state: State) -> Response:
    rows = await state.pool.fetch("SELECT org_nr, name FROM finsam_forbund ORDER BY org_nr")
    return Response([dict(r) for r in rows])

app = Litestar([decisions, forbund, minutes, summary], on_startup=[startup])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(args: list[str], port: int, env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    # Left open on purpose: the server writes to it for as long as it runs (in the run's temporary folder).
    log = open(log_dir / f"server-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} exited: {Path(log.name).read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server on {port} did not start")


async def load_test(url: str, requests: int, concurrency: int, seconds: float) -> tuple[float, float, float]:
    import httpx

    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    remaining = requests
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:
        await client.get(url)  # warm up

        async def one_client() -> None:
            nonlocal remaining
            while remaining > 0 and time.monotonic() < deadline:
                remaining -= 1
                t = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - t)
                assert response.status_code == 200, (url, response.status_code)

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


async def live_lag(base: str, token: str, samples: int) -> tuple[float, float]:
    """A write's answer to its visibility in the views (polling the förbund's meeting list)."""
    import httpx

    org = testing.ORNSKOLDSVIK
    lags: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as client:
        for k in range(samples):
            reference = f"LAG-{k}-{time.time_ns()}"
            body = {"reference": reference, "held_on": "2030-01-01", "place": "Kontoret"}
            response = await client.post(f"/v1/forbund/{org}/meetings", json=body)
            assert response.status_code == 201, response.text
            committed = time.perf_counter()
            position = response.json()["position"]
            while True:
                ready = (await client.get("/ready")).json()
                if ready["projected_position"] >= position:
                    break
                await asyncio.sleep(0.0005)
            lags.append(time.perf_counter() - committed)
    lags.sort()
    return statistics.median(lags) * 1000, lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--stock-events", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15.0, help="time bound per load test")
    parser.add_argument("--lag-samples", type=int, default=200)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="finsam-bench-") as tmp,
        EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server,
    ):
        print(f"# finsam service benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")

        # 1. projection catch-up
        t = time.perf_counter()
        stored = generate(args.events)
        print(f"generated {len(stored)} events in memory in {time.perf_counter() - t:.1f} s")
        url = create_database(server, "catchup")
        apply_schema(url)
        t = time.perf_counter()
        load(url, stored)
        print(f"copied them into PostgreSQL in {time.perf_counter() - t:.1f} s")
        applied, ours = catch_up_batched(url, args.batch_size)
        stock_n = min(args.stock_events, applied)
        _, stock = catch_up_stock(url, stock_n)
        ours_rate, stock_rate = applied / ours, stock_n / stock
        print("\n## projection catch-up into empty views")
        batched = f"batched worker ({args.batch_size}/transaction):"
        print(f"{batched} {applied} events in {ours:.2f} s = {ours_rate:,.0f} events/s")
        print(
            f"stock ProjectionRunner (1/transaction):    {stock_n} events in {stock:.2f} s = {stock_rate:,.0f} events/s"
        )
        print(f"speed-up {ours_rate / stock_rate:.1f}x; 1 000 000 events at this rate: {1e6 / ours_rate:.0f} s")

        # 2. HTTP on loopback: seeded store
        url = create_database(server, "http")
        apply_schema(url)
        app = Finsam(store_url=url)
        import_paths(app, [ROOT / "examples" / "seeds"])
        app.close()
        from finsam_service.access import Role, create_token

        token = create_token(url, Role.FORBUND_WRITER, testing.ORNSKOLDSVIK, "bench")
        env = {
            **os.environ,
            "FINSAM_DATABASE_URL": url,
            "PYTHONPATH": str(ROOT / "src"),
            "FINSAM_READY_MAX_LAG": "1000000000",
            # Throughput, not the rate limiter, is measured: the baseline app has none either.
            "FINSAM_WRITES_PER_MINUTE": "0",
        }
        ours_port, base_port = free_port(), free_port()
        bench_dir = Path(tmp) / "baseline"
        bench_dir.mkdir()
        (bench_dir / "baseline_app.py").write_text(BASELINE_APP)
        ours_server = start_server(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "finsam_service.app:create_app",
                "--port",
                str(ours_port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            ours_port,
            {**env, "FINSAM_PORT": str(ours_port)},
            bench_dir,
        )
        base_server = start_server(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "baseline_app:app",
                "--app-dir",
                str(bench_dir),
                "--port",
                str(base_port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            base_port,
            env,
            bench_dir,
        )
        try:
            ours_base, plain = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{base_port}"
            org = testing.ORNSKOLDSVIK
            time.sleep(1.0)  # the service's worker projects the seeds
            routes = [
                ("network decisions", f"{ours_base}/v1/network/decisions", f"{plain}/decisions"),
                ("network summary", f"{ours_base}/v1/network/summary?year=2024", f"{plain}/summary"),
                ("a förbund", f"{ours_base}/v1/forbund/{org}", f"{plain}/forbund/{org}"),
                (
                    "a meeting's minutes",
                    f"{ours_base}/v1/forbund/{org}/meetings/2024-05-30/minutes",
                    f"{plain}/minutes/{org}/2024-05-30",
                ),
            ]
            print(
                f"\n## HTTP on loopback, concurrency {args.concurrency}, up to {args.requests} requests or "
                f"{args.seconds:.0f} s each (uvicorn, one process each)"
            )
            print("| route | finsam req/s | p50 ms | p99 ms | baseline req/s | p50 ms | p99 ms | ratio |")
            print("|---|---|---|---|---|---|---|---|")
            for label, ours_url, plain_url in routes:
                rate, p50, p99 = asyncio.run(load_test(ours_url, args.requests, args.concurrency, args.seconds))
                b_rate, b_p50, b_p99 = asyncio.run(load_test(plain_url, args.requests, args.concurrency, args.seconds))
                print(
                    f"| {label} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {b_rate:,.0f} | {b_p50:.1f} | {b_p99:.1f} "
                    f"| {rate / b_rate:.2f}x |"
                )

            # 3. live lag
            p50, p99 = asyncio.run(live_lag(ours_base, token, args.lag_samples))
            print(f"\n## live lag (write answered -> visible in the views), {args.lag_samples} writes")
            print(f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (the worker's poll interval is 50 ms; a write wakes it)")
        finally:
            for process in (ours_server, base_server):
                process.terminate()
                process.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
