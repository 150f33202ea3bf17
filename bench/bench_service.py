"""The network service over HTTP, each figure beside the best minimal alternative, measured in the same run.

    .venv/bin/python bench/bench_service.py [--seconds 5] [--rounds 3] [--concurrency 32] [--memory-events 200000]
        [--only reads,writes,memory,lag] [--skip ...] [--projector-process] [--server-env NAME=VALUE,...]

Everything runs on a temporary embedded PostgreSQL and loopback; nothing outside a temporary folder is
touched. The load generator is ``wrk`` (Debian's package, compiled C; installed with apt-get when
missing): one wrk thread per connection for writes, two for reads, far from being the bottleneck
(``ping`` below: the same server stack answering a constant shows what wrk can drive).

1. **Reads**: requests/s, p50 and p99 at ``--concurrency`` for the network decisions, the network
   summary, a förbund and a meeting's minutes (finsam: uvicorn, one process) beside a minimal Litestar +
   asyncpg app (uvicorn, one process) that calls finsam's own query functions (the same SQL, the same
   decoding into msgspec structs) and encodes their result: what is left is finsam's stack (middleware,
   dependencies, guards, response handling).
2. **Writes**: ``POST`` a paragraph (a § into an open meeting), at concurrency 1 and 8, each connection
   writing into its own förbund, round its ``--meetings-per-writer`` open meetings, beside the minimal
   app inserting one row per request with one ``INSERT`` (the same stack: Litestar, asyncpg, PostgreSQL).
   Beside each, the CPU milliseconds per request of each side's processes (finsam's event-loop thread
   apart) and of PostgreSQL, read from ``/proc``. ``--projector-process`` runs finsam's projection worker
   as ``finsam-serve project`` beside the service (its CPU counted with finsam's), ``--server-env``
   sets finsam's environment (``FINSAM_SIGN_EVERY=100``), ``--idempotency-keys`` sends every write with
   an ``Idempotency-Key`` of its own. ``bench_write_path.py`` takes one write apart in process.
3. **Memory**: the service's resident memory after its worker has caught up ``--memory-events`` events
   and answered a few reads, beside the minimal app's after the same reads.
4. **Live lag**: a write's 201 answer to its position in the projection's tracking row (httpx, one
   write at a time: latency, not throughput).

The two sides alternate within each round and every figure is the best of ``--rounds`` (the highest
rate, the lowest percentile): the two CPUs are shared with other work, which only ever adds time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from service_data import (
    ROOT,
    free_port,
    generate,
    load,
    load_average,
    rss_mb,
    start_server,
    uvicorn,
)

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.domain.charter import Charter, SeatAllocation
from finsam_core.embedded import EmbeddedPostgres, create_database
from finsam_core.formats import import_paths
from finsam_core.projections.follower import ProjectionWorker
from finsam_core.projections.records import RecordsProjection
from finsam_core.testing.network import fictitious_org_nr
from finsam_core.values import MemberKind, MemberOrganisation
from finsam_service.database import apply_schema, psycopg_connect

WRITE_MEETING = "BENCH-W"
WRITERS = 8
MEETINGS_PER_WRITER = 100
"""Each förbund's writes go round this many open meetings (one a year: a year's § numbers follow its
meetings), so that a meeting holds tens of paragraphs, as real ones do, whatever the run's length.
Into one meeting, every write's cost grows with the paragraphs the run itself has added: the meeting
and its minute book are copied out of the cache, and the views rewrite the whole meeting, its minutes
and every decision of it, per write."""

BASELINE_APP = """
# The minimal alternative: Litestar + asyncpg, one pool, no middleware, no dependencies, no guards,
# running finsam's own query functions (the same SQL, the same decoding) and answering their result.
import os, asyncpg, msgspec
from datetime import date
from litestar import Litestar, get, post
from litestar.response import Response
from litestar.datastructures import State
from finsam_service.database import asyncpg_arguments
from finsam_service.forbund.queries import one_forbund
from finsam_service.meetings.queries import decisions as decision_register, meeting_minutes
from finsam_service.network.queries import summary as network_summary

URL = os.environ["FINSAM_DATABASE_URL"]
JSON = "application/json"

class Paragraph(msgspec.Struct):
    title: str
    body: str = ""

async def startup(app):
    app.state.pool = await asyncpg.create_pool(min_size=1, max_size=10, **asyncpg_arguments(URL))

@get("/ping")
async def ping() -> Response:
    return Response(b'{"ok":true}', media_type=JSON)

@get("/decisions")
async def decisions(state: State) -> Response:
    return Response(msgspec.json.encode(await decision_register(state.pool, limit=500)), media_type=JSON)

@get("/forbund/{org_nr:str}")
async def forbund(state: State, org_nr: str) -> Response:
    return Response(msgspec.json.encode(await one_forbund(state.pool, org_nr, drafts=False)), media_type=JSON)

@get("/minutes/{org_nr:str}/{reference:str}")
async def minutes(state: State, org_nr: str, reference: str) -> Response:
    row = await meeting_minutes(state.pool, org_nr, reference)
    return Response(row["minutes"].encode(), media_type=JSON)

@get("/summary")
async def summary(state: State) -> Response:
    return Response(msgspec.json.encode(await network_summary(state.pool, 2024)), media_type=JSON)

@post("/paragraphs/{org_nr:str}/{reference:str}", status_code=201)
async def paragraph(state: State, org_nr: str, reference: str, data: Paragraph) -> dict:
    number = await state.pool.fetchval("INSERT INTO bench_paragraphs (org_nr, reference, title, body) "
        "VALUES ($1, $2, $3, $4) RETURNING number", org_nr, reference, data.title, data.body)
    return {"number": number}

app = Litestar([ping, decisions, forbund, minutes, summary, paragraph], on_startup=[startup])
"""

WRITE_SCRIPT = """
-- targets[i] = {token, {path, path, ...}}: connection i writes as its förbund, round its meetings.
local targets = {%s}
local next_target = 0
function setup(thread)
  next_target = next_target + 1
  thread:set("target", (next_target - 1) %% #targets + 1)
end
function init(args)
  body = '{"title": "Ärende från belastningsprov", "body": "Styrelsen beslutar att anta förslaget."}'
  token = targets[target][1]
  paths = targets[target][2]
  turn = 0
  sent = 0
  key_prefix = args[1]  -- given: every request carries an Idempotency-Key of its own
end
function request()
  turn = turn %% #paths + 1
  sent = sent + 1
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  if key_prefix then
    headers["Idempotency-Key"] = key_prefix .. "-" .. target .. "-" .. sent
  end
  return wrk.format("POST", paths[turn], headers, body)
end
"""


def meeting_reference(k: int) -> str:
    return WRITE_MEETING if k == 0 else f"{WRITE_MEETING}-{k}"


def write_targets(paths: dict[str, list[str]], tokens: dict[str, str], writers: list[str]) -> str:
    """The Lua table of ``WRITE_SCRIPT``: one entry per connection, its token and its meetings' paths."""
    return ", ".join(f'{{"{tokens[o]}", {{{", ".join(f"{chr(34)}{p}{chr(34)}" for p in paths[o])}}}}}' for o in writers)


# --- wrk ----------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk's path; installed from Debian's packages when missing (as .ci/run installs chromium)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt-get) ...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)  # type: ignore[call-overload]
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, **quiet)  # type: ignore[call-overload]
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found


_CAPTURE: dict[str, Any] = {"capture_output": True, "text": True, "check": True}

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class Load:
    """One wrk run: requests/s, p50 and p99 in ms, answers that were not 2xx."""

    def __init__(self, output: str) -> None:
        self.rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
        self.p50 = self._percentile(output, "50%")
        self.p99 = self._percentile(output, "99%")
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        self.errors = int(errors.group(1)) if errors else 0
        sockets = re.search(r"Socket errors: (.*)", output)
        self.errors += sum(int(n) for n in re.findall(r"\d+", sockets.group(1))) if sockets else 0

    @staticmethod
    def _percentile(output: str, label: str) -> float:
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        assert found, output
        return float(found.group(1)) * _UNITS[found.group(2)]


def wrk(binary: str, url: str, connections: int, seconds: float, script: Path | None = None, *script_args: str) -> Load:
    threads = connections if script is not None else min(2, connections)
    command = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    result = subprocess.run([*command, url, *(("--", *script_args) if script_args else ())], **_CAPTURE)
    return Load(result.stdout)


def cpu_seconds(pid: int | str) -> float:
    """CPU time (user + system) process ``pid`` (or ``"pid/task/tid"``: one thread) has used so far, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PostgresCpu:
    """CPU time of the embedded PostgreSQL: its postmaster and every process it started (backends, WAL writer...).

    Called, it gives a reading; ``since(reading)`` the CPU seconds used after it, per process, so that a
    backend that ended meanwhile takes only its own time with it (never a negative figure).
    """

    def __init__(self, data_dir: Path) -> None:
        self.postmaster = int(next(data_dir.rglob("postmaster.pid")).read_text().split()[0])

    def __call__(self) -> dict[int, float]:
        pids = [self.postmaster]
        pids += map(int, Path(f"/proc/{self.postmaster}/task/{self.postmaster}/children").read_text().split())
        reading = {}
        for pid in pids:
            with contextlib.suppress(FileNotFoundError):  # ended meanwhile
                reading[pid] = cpu_seconds(pid)
        return reading

    def since(self, before: dict[int, float]) -> float:
        return sum(used - before.get(pid, 0.0) for pid, used in self().items())


class Measured:
    """A wrk run and the CPU milliseconds per request the server process and PostgreSQL spent on it."""

    def __init__(self, run: Load, server_ms: float, postgres_ms: float, loop_ms: float) -> None:
        self.run, self.server_ms, self.postgres_ms = run, server_ms, postgres_ms
        self.loop_ms = loop_ms
        """Of ``server_ms``, the first process's main thread: the event loop (HTTP, middleware, handlers)."""


def measured(
    binary: str,
    url: str,
    connections: int,
    seconds: float,
    script: Path,
    server_pids: list[int],
    postgres: PostgresCpu,
    *script_args: str,
) -> Measured:
    """One wrk run; the CPU the processes ``server_pids`` (together) and PostgreSQL spent per request on it."""
    main = server_pids[0]
    loop = cpu_seconds(f"{main}/task/{main}")
    server, database = sum(map(cpu_seconds, server_pids)), postgres()
    run = wrk(binary, url, connections, seconds, script, *script_args)
    requests = max(1.0, run.rate * seconds)
    used = sum(map(cpu_seconds, server_pids)) - server
    loop = cpu_seconds(f"{main}/task/{main}") - loop
    return Measured(run, used * 1000 / requests, postgres.since(database) * 1000 / requests, loop * 1000 / requests)


def best(loads: list[Load]) -> tuple[float, float, float, int]:
    return (
        max(x.rate for x in loads),
        min(x.p50 for x in loads),
        min(x.p99 for x in loads),
        sum(x.errors for x in loads),
    )


# --- set-up -------------------------------------------------------------------------------------


def register_writers(app: Finsam, meetings: int = MEETINGS_PER_WRITER) -> list[str]:
    """``WRITERS`` FICTITIOUS förbund, each with ``meetings`` open meetings that the write load adds paragraphs to."""
    org_nrs = []
    for n in range(1, WRITERS + 1):
        org_nr = fictitious_org_nr(900 + n)
        members = (
            MemberOrganisation("FK", "Försäkringskassan", MemberKind.FORSAKRINGSKASSAN),
            MemberOrganisation("AF", "Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN),
            MemberOrganisation("RE", "Region Exempel", MemberKind.REGION),
            MemberOrganisation("KE", "Exempels kommun", MemberKind.KOMMUN),
        )
        charter = Charter(seats=tuple(SeatAllocation(m.key) for m in members))
        app.register_forbund(org_nr, f"Fiktivt förbund {n}", members, charter, founded_on=date(2010, 1, 1))
        with app.batch() as tx:
            for k in range(meetings):
                tx.convene_meeting(org_nr, meeting_reference(k), date(2030 + k, 3, 1), "Kontoret")
        org_nrs.append(org_nr)
    return org_nrs


def catch_up(url: str) -> None:
    app = Finsam(store_url=url)
    worker = ProjectionWorker(app, url, RecordsProjection(app))
    try:
        worker.catch_up()
    finally:
        worker.close()
        app.close()


async def live_lag(base: str, token: str, samples: int) -> tuple[float, float]:
    """A write's answer to its visibility in the views (polling ``/ready``'s projected position)."""
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


def wait_projected(base: str, position: int, timeout: float = 1800) -> float:
    import httpx

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if httpx.get(f"{base}/ready", timeout=5).json()["projected_position"] >= position:
                return time.monotonic() - started
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the service did not reach position {position}")


class Servers:
    """finsam and the minimal app on one database, each one uvicorn process."""

    def __init__(
        self,
        url: str,
        folder: Path,
        *,
        projections: bool = True,
        extra_env: dict[str, str] | None = None,
        projector_process: bool = False,
    ) -> None:
        folder.mkdir(exist_ok=True)
        (folder / "baseline_app.py").write_text(BASELINE_APP)
        env = {
            **os.environ,
            "FINSAM_DATABASE_URL": url,
            "PYTHONPATH": str(ROOT / "src"),
            "FINSAM_READY_MAX_LAG": "1000000000",
            # Throughput, not the rate limiter, is measured: the minimal app has none either.
            "FINSAM_WRITES_PER_MINUTE": "0",
            "FINSAM_RUN_PROJECTIONS": "true" if projections and not projector_process else "false",
        }
        self.projector: subprocess.Popen[bytes] | None = None
        if projector_process:  # The worker in a process of its own: `finsam-serve project` beside the service.
            log = open(folder / "projector.log", "wb")  # noqa: SIM115 - open while the process runs
            self.projector = subprocess.Popen(
                [sys.executable, "-m", "finsam_service.cli", "project"],
                env={**env, **(extra_env or {})},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        self.ours_port, self.base_port = free_port(), free_port()
        self.ours = start_server(
            uvicorn("finsam_service.app:create_app", self.ours_port, "--factory"),
            self.ours_port,
            {**env, "FINSAM_PORT": str(self.ours_port), **(extra_env or {})},
            folder,
        )
        self.base = start_server(
            uvicorn("baseline_app:app", self.base_port, "--app-dir", str(folder)), self.base_port, env, folder
        )
        self.ours_url = f"http://127.0.0.1:{self.ours_port}"
        self.base_url = f"http://127.0.0.1:{self.base_port}"

    @property
    def ours_pids(self) -> list[int]:
        """finsam's processes: the service, and the projector when it runs apart."""
        return [self.ours.pid] + ([self.projector.pid] if self.projector is not None else [])

    def close(self) -> None:
        for process in (self.ours, self.base, self.projector):
            if process is not None:
                process.terminate()
                process.wait(10)


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--memory-events", type=int, default=200_000)
    parser.add_argument("--lag-samples", type=int, default=200)
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: reads,writes,memory,lag")
    parser.add_argument("--only", default="", help="comma-separated parts to run (the others are skipped)")
    parser.add_argument(
        "--meetings-per-writer",
        type=int,
        default=MEETINGS_PER_WRITER,
        help="open meetings each writing förbund's load goes round (1: every write into one growing meeting)",
    )
    parser.add_argument(
        "--server-env",
        default="",
        help="comma-separated NAME=VALUE for finsam's process (FINSAM_SIGN_EVERY=100, FINSAM_RUN_PROJECTIONS=false)",
    )
    parser.add_argument(
        "--projector-process",
        action="store_true",
        help="run finsam's projection worker as `finsam-serve project` beside the service, not in its process",
    )
    parser.add_argument(
        "--idempotency-keys", action="store_true", help="every finsam write carries an Idempotency-Key of its own"
    )
    args = parser.parse_args()
    parts = {"reads", "writes", "memory", "lag"}
    skip = set(filter(None, args.skip.split(",")))
    if args.only:
        skip |= parts - set(args.only.split(","))
    server_env = dict(kv.split("=", 1) for kv in filter(None, args.server_env.split(",")))
    binary = ensure_wrk()

    with (
        tempfile.TemporaryDirectory(prefix="finsam-bench-") as tmp,
        EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server,
    ):
        print(
            f"# finsam service benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, wrk; {load_average()}"
        )
        url = create_database(server, "http")
        apply_schema(url)
        app = Finsam(store_url=url)
        import_paths(app, [ROOT / "examples" / "seeds"])
        writers = register_writers(app, args.meetings_per_writer)
        app.close()
        catch_up(url)
        with psycopg_connect(url) as connection:
            connection.execute(
                "CREATE TABLE bench_paragraphs (number bigserial PRIMARY KEY, org_nr text NOT NULL, "
                "reference text NOT NULL, title text NOT NULL, body text NOT NULL)"
            )
            connection.commit()
        from finsam_service.access import Role, create_token

        tokens = {org: create_token(url, Role.FORBUND_WRITER, org, "bench") for org in writers}
        lag_token = create_token(url, Role.FORBUND_WRITER, testing.ORNSKOLDSVIK, "bench")
        servers = Servers(url, Path(tmp) / "http", extra_env=server_env, projector_process=args.projector_process)
        postgres = PostgresCpu(Path(tmp) / "pg")
        try:
            org = testing.ORNSKOLDSVIK
            routes = [
                ("ping (wrk's reach: a constant, minimal app)", None, "/ping"),
                ("network decisions", "/v1/network/decisions", "/decisions"),
                ("network summary", "/v1/network/summary?year=2024", "/summary"),
                ("a förbund", f"/v1/forbund/{org}", f"/forbund/{org}"),
                ("a meeting's minutes", f"/v1/forbund/{org}/meetings/2024-05-30/minutes", f"/minutes/{org}/2024-05-30"),
            ]
            if "reads" not in skip:
                print(
                    f"\n## reads on loopback, concurrency {args.concurrency}, wrk {args.seconds:g} s a run, "
                    f"best of {args.rounds}, the sides alternating"
                )
                print(
                    "| route | finsam req/s | p50 ms | p99 ms | minimal app req/s | p50 ms | p99 ms "
                    "| req/s ratio | p99 ratio |"
                )
                print("|---|---|---|---|---|---|---|---|---|")
                for label, ours_path, base_path in routes:
                    ours: list[Load] = []
                    base: list[Load] = []
                    # A second of warm-up each (prepared statements, pools, caches), not counted.
                    if ours_path is not None:
                        wrk(binary, servers.ours_url + ours_path, args.concurrency, 1)
                    wrk(binary, servers.base_url + base_path, args.concurrency, 1)
                    for _ in range(args.rounds):
                        if ours_path is not None:
                            ours.append(wrk(binary, servers.ours_url + ours_path, args.concurrency, args.seconds))
                        base.append(wrk(binary, servers.base_url + base_path, args.concurrency, args.seconds))
                    b = best(base)
                    if not ours:
                        print(f"| {label} | | | | {b[0]:,.0f} | {b[1]:.1f} | {b[2]:.1f} | | |")
                        continue
                    o = best(ours)
                    assert o[3] == 0 and b[3] == 0, (label, o, b)
                    print(
                        f"| {label} | {o[0]:,.0f} | {o[1]:.1f} | {o[2]:.1f} | {b[0]:,.0f} | {b[1]:.1f} | {b[2]:.1f} "
                        f"| {o[0] / b[0]:.2f}x | {o[2] / b[2]:.2f}x |",
                        flush=True,
                    )
                print(load_average())

            if "writes" not in skip:
                print(
                    f"\n## writes: POST a paragraph, wrk {args.seconds:g} s a run, best of {args.rounds}, "
                    f"each connection into its own förbund, round its {args.meetings_per_writer} open meeting(s); "
                    f"finsam's environment: {server_env or 'defaults'}"
                    + ("; its projection worker in a process of its own" if args.projector_process else "")
                    + ("; every write with an Idempotency-Key" if args.idempotency_keys else "")
                )
                print(
                    "| concurrency | finsam req/s | p50 ms | p99 ms | one-row INSERT req/s | p50 ms | p99 ms "
                    "| req/s ratio | p99 ratio | finsam errors | CPU ms/request: finsam's processes, its PostgreSQL "
                    "| minimal app, its PostgreSQL |"
                )
                print("|---|---|---|---|---|---|---|---|---|---|---|---|")
                folder = Path(tmp) / "http"
                paths = {
                    o: [
                        f"/v1/forbund/{o}/meetings/{meeting_reference(k)}/paragraphs"
                        for k in range(args.meetings_per_writer)
                    ]
                    for o in writers
                }
                base_paths = {o: [f"/paragraphs/{o}/{WRITE_MEETING}"] for o in writers}
                for concurrency in (1, WRITERS):
                    (folder / "ours.lua").write_text(WRITE_SCRIPT % write_targets(paths, tokens, writers[:concurrency]))
                    (folder / "base.lua").write_text(
                        WRITE_SCRIPT % write_targets(base_paths, {o: "none" for o in writers}, writers[:concurrency])
                    )
                    # Keys unique to each wrk run (a key of an earlier run would be answered from its store).
                    keys = (lambda: (uuid.uuid4().hex[:12],)) if args.idempotency_keys else (lambda: ())
                    # A second of warm-up each (the application's cache, pools), not counted.
                    wrk(binary, servers.ours_url, concurrency, 1, folder / "ours.lua", *keys())
                    wrk(binary, servers.base_url, concurrency, 1, folder / "base.lua")
                    ours_m: list[Measured] = []
                    base_m: list[Measured] = []
                    for _ in range(args.rounds):
                        ours_m.append(
                            measured(
                                binary,
                                servers.ours_url,
                                concurrency,
                                args.seconds,
                                folder / "ours.lua",
                                servers.ours_pids,
                                postgres,
                                *keys(),
                            )
                        )
                        base_m.append(
                            measured(
                                binary,
                                servers.base_url,
                                concurrency,
                                args.seconds,
                                folder / "base.lua",
                                [servers.base.pid],
                                postgres,
                            )
                        )
                    o, b = best([m.run for m in ours_m]), best([m.run for m in base_m])
                    o_cpu = min(ours_m, key=lambda m: m.server_ms + m.postgres_ms)
                    b_cpu = min(base_m, key=lambda m: m.server_ms + m.postgres_ms)
                    print(
                        f"| {concurrency} | {o[0]:,.0f} | {o[1]:.1f} | {o[2]:.1f} | {b[0]:,.0f} | {b[1]:.1f} | "
                        f"{b[2]:.1f} | {o[0] / b[0]:.2f}x | {o[2] / b[2]:.2f}x | {o[3]} "
                        f"| {o_cpu.server_ms:.2f} (event loop {o_cpu.loop_ms:.2f}), {o_cpu.postgres_ms:.2f} "
                        f"| {b_cpu.server_ms:.2f}, {b_cpu.postgres_ms:.2f} |",
                        flush=True,
                    )
                print(load_average())

            if "lag" not in skip:
                p50, p99 = asyncio.run(live_lag(servers.ours_url, lag_token, args.lag_samples))
                print(f"\n## live lag (write answered -> visible in the views), {args.lag_samples} writes")
                print(f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; {load_average()}")
        finally:
            servers.close()

        if "memory" not in skip:
            memory(server, args.memory_events, Path(tmp) / "memory", binary)
    return 0


def memory(server: Any, events: int, folder: Path, binary: str) -> None:
    """Resident memory after the service caught up ``events`` events, beside the minimal app's."""
    url = create_database(server, "memory")
    apply_schema(url)
    stored = generate(events)
    load(url, stored)
    del stored
    servers = Servers(url, folder)
    try:
        seconds = wait_projected(servers.ours_url, events)
        org = testing.ORNSKOLDSVIK
        for ours_path, base_path in (
            (f"/v1/forbund/{org}", f"/forbund/{org}"),
            (f"/v1/forbund/{org}/meetings/B-0000001/minutes", f"/minutes/{org}/B-0000001"),
        ):
            wrk(binary, servers.ours_url + ours_path, 8, 1)
            wrk(binary, servers.base_url + base_path, 8, 1)
        ours, base = rss_mb(servers.ours.pid), rss_mb(servers.base.pid)
        print(f"\n## memory after catching up {events} events (the service's worker: {seconds:.0f} s)")
        print("| | resident MB |")
        print("|---|---|")
        print(f"| finsam service | {ours:.0f} |")
        print(f"| minimal app | {base:.0f} |")
        print(f"ratio {ours / base:.2f}x; {load_average()}")
    finally:
        servers.close()


if __name__ == "__main__":
    sys.exit(main())
