"""finsam's HTTP stack in process: CPU time per read, beside the minimal app of ``bench_service.py``.

    .venv/bin/python bench/profile_service.py [--url URL] [--requests 3000] [--concurrency 32] [--profile]

The requests go straight into the ASGI app (no sockets, no load generator), so what is measured is the
server's own CPU per request, the figure that bounds its requests/s on a shared machine: process CPU
time is what other work on the machine disturbs least. Both sides run in their own process, one after
the other, alternating, best of ``--rounds``. Without ``--url`` a temporary embedded PostgreSQL is set
up with the seeds, as ``bench_service.py`` does. ``--profile`` prints cProfile's top functions for
finsam's side. ``--without`` leaves parts of finsam's stack out, to show what each costs.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


class Asgi:
    """A bare ASGI driver: lifespan, then GET requests answered in full."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def start(self) -> None:
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._started = asyncio.Event()
        self._stopped = asyncio.Event()

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete":
                self._started.set()
            elif message["type"].startswith("lifespan.startup"):
                raise RuntimeError(message)
            elif message["type"].startswith("lifespan.shutdown"):
                self._stopped.set()

        self._task = asyncio.ensure_future(
            self.app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, self._queue.get, send)
        )
        await self._queue.put({"type": "lifespan.startup"})
        await self._started.wait()

    async def stop(self) -> None:
        await self._queue.put({"type": "lifespan.shutdown"})
        await self._stopped.wait()
        await self._task

    async def get(self, target: str) -> tuple[int, bytes]:
        path, _, query = target.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"profile"), (b"accept", b"*/*")],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status = 0
        body = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()
            raise AssertionError

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(body)


ORG = "222000-1883"
ROUTES = {
    "decisions": ("/v1/network/decisions", "/decisions"),
    "summary": ("/v1/network/summary?year=2024", "/summary"),
    "forbund": (f"/v1/forbund/{ORG}", f"/forbund/{ORG}"),
    "minutes": (f"/v1/forbund/{ORG}/meetings/2024-05-30/minutes", f"/minutes/{ORG}/2024-05-30"),
}


def _app(side: str) -> Any:
    if side == "minimal":
        import bench_service

        folder = Path(tempfile.mkdtemp(prefix="finsam-profile-"))
        (folder / "baseline_app.py").write_text(bench_service.BASELINE_APP)
        sys.path.insert(0, str(folder))
        import baseline_app  # type: ignore[import-not-found]

        return baseline_app.app
    from finsam_service.app import create_app

    return create_app()


def _drop(parts: list[str]) -> None:
    """Leave parts of finsam's stack out, to show what each costs (measurement only, never in the service)."""
    if "edge" in parts:  # request id, metrics, refusals, rate limits, access line
        from finsam_service import edge

        edge.EdgeMiddleware.__call__ = lambda self, app: app  # type: ignore[method-assign]
    if "access-line" in parts:
        from finsam_service import edge

        edge.log_access = lambda *_: None  # type: ignore[assignment]
    if "idempotency" in parts:
        import finsam_service.app as app_module

        app_module.IdempotencyMiddleware = lambda: lambda app: app  # type: ignore[assignment,misc]
    if "pool-timeouts" in parts:  # the pool's command timeout and numeric codec
        import asyncpg

        from finsam_service import database, lifespan

        async def plain(url: str, min_size: int, max_size: int, timeout: float = 2.0) -> Any:
            return await asyncpg.create_pool(min_size=min_size, max_size=max_size, **database.asyncpg_arguments(url))

        lifespan.create_pool = plain  # type: ignore[assignment]


def measure(side: str, route: str, requests: int, concurrency: int, profile: bool) -> dict[str, Any]:
    """One side, one route, in this process: CPU ms per request (and wall), optionally profiled."""
    os.environ.setdefault("FINSAM_WRITES_PER_MINUTE", "0")
    os.environ.setdefault("FINSAM_READY_MAX_LAG", "1000000000")
    os.environ.setdefault("FINSAM_RUN_PROJECTIONS", "false")
    target = ROUTES[route][0 if side == "finsam" else 1]
    app = _app(side)
    client = Asgi(app)
    result: dict[str, Any] = {}

    async def run() -> None:
        await client.start()
        for _ in range(200):  # warm-up: statements prepared, pools filled, caches warm
            status, _ = await client.get(target)
            assert status == 200, (status, target)
        per_worker = requests // concurrency

        async def worker() -> None:
            for _ in range(per_worker):
                await client.get(target)

        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        best_cpu = best_wall = float("inf")
        for _ in range(1 if profile else 5):  # the least disturbed of five runs
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
        if profiler:
            profiler.disable()
        done = per_worker * concurrency
        result.update(cpu_ms=best_cpu * 1000 / done, wall_ms=best_wall * 1000 / done)
        if profiler:
            if os.environ.get("FINSAM_PROFILE_OUT"):  # for pstats or snakeviz
                profiler.dump_stats(os.environ["FINSAM_PROFILE_OUT"])
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(60)
        await client.stop()

    try:
        import uvloop

        uvloop.run(run())
    except ImportError:
        asyncio.run(run())
    return result


def measure_pair(route: str, requests: int, concurrency: int) -> dict[str, Any]:
    """finsam and the minimal app in this one process, in alternating slices of ``concurrency`` x 4
    requests: whatever else the machine does disturbs both sides alike, so their ratio holds under load."""
    os.environ.setdefault("FINSAM_WRITES_PER_MINUTE", "0")
    os.environ.setdefault("FINSAM_READY_MAX_LAG", "1000000000")
    os.environ.setdefault("FINSAM_RUN_PROJECTIONS", "false")
    sides = {side: (Asgi(_app(side)), ROUTES[route][0 if side == "finsam" else 1]) for side in ("finsam", "minimal")}
    cpu = dict.fromkeys(sides, 0.0)
    done = dict.fromkeys(sides, 0)

    async def run() -> None:
        for client, target in sides.values():
            await client.start()
            for _ in range(200):
                status, _ = await client.get(target)
                assert status == 200, (status, target)
        while min(done.values()) < requests:
            for side, (client, target) in sides.items():

                async def worker(client: Asgi = client, target: str = target) -> None:
                    for _ in range(4):
                        await client.get(target)

                started = time.process_time()
                await asyncio.gather(*(worker() for _ in range(concurrency)))
                cpu[side] += time.process_time() - started
                done[side] += 4 * concurrency
        for client, _ in sides.values():
            await client.stop()

    try:
        import uvloop

        uvloop.run(run())
    except ImportError:
        asyncio.run(run())
    return {side: cpu[side] * 1000 / done[side] for side in sides}


def _child(args: argparse.Namespace, route: str, src: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", "pair", "--route", route, "--requests", str(args.requests)]
    command += ["--concurrency", str(args.concurrency), "--url", args.url, "--without", args.without]
    env = {**os.environ, "FINSAM_DATABASE_URL": args.url, "PYTHONPATH": f"{src}{os.pathsep}{HERE}"}
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a database set up as bench_service.py sets one up (default: a new one)")
    parser.add_argument("--requests", type=int, default=3000, help="requests to each side a run")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--profile", action="store_true", help="cProfile finsam's side (once, after the rounds)")
    parser.add_argument(
        "--without",
        default="",
        help="parts of finsam's stack to leave out: edge, access-line, idempotency, pool-timeouts",
    )
    parser.add_argument("--also", default="", help="another checkout whose src/ to measure beside, e.g. /work/main")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--route", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _drop(list(filter(None, args.without.split(","))))
        if args.child == "pair":
            print(json.dumps(measure_pair(args.route, args.requests, args.concurrency)))
        else:
            print(json.dumps(measure(args.child, args.route, args.requests, args.concurrency, args.profile)))
        return 0
    if args.url is None:
        return _with_temporary_database(args)
    from service_data import load_average

    trees = [("this tree", str(HERE.parent / "src"))]
    if args.also:
        trees.append((args.also, str(Path(args.also) / "src")))
    without = f", without {args.without}" if args.without else ""
    print(
        f"# in process{without}: {args.requests} requests to each side a run, concurrency {args.concurrency}, "
        f"the sides alternating in one process, best of {args.rounds}; {load_average()}"
    )
    print("| route | tree | finsam CPU ms/request | minimal app CPU ms/request | finsam / minimal |")
    print("|---|---|---|---|---|")
    for route in args.routes.split(","):
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):
            for name, tree in trees:  # the trees alternate too
                result = _child(args, route, tree)
                if (
                    name not in best
                    or result["finsam"] / result["minimal"] < best[name]["finsam"] / best[name]["minimal"]
                ):
                    best[name] = result
        for name, _ in trees:
            b = best[name]
            print(
                f"| {route} | {name} | {b['finsam']:.3f} | {b['minimal']:.3f} | {b['finsam'] / b['minimal']:.2f}x |",
                flush=True,
            )
    print(load_average())
    if args.profile:
        os.environ["FINSAM_DATABASE_URL"] = args.url
        measure("finsam", args.routes.split(",")[0], args.requests, args.concurrency, True)
    return 0


def _with_temporary_database(args: argparse.Namespace) -> int:
    from bench_service import ROOT, catch_up

    from finsam_core.application import Finsam
    from finsam_core.embedded import EmbeddedPostgres, create_database
    from finsam_core.formats import import_paths
    from finsam_service.database import apply_schema

    with (
        tempfile.TemporaryDirectory(prefix="finsam-profile-") as tmp,
        EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server,
    ):
        url = create_database(server, "http")
        apply_schema(url)
        app = Finsam(store_url=url)
        import_paths(app, [ROOT / "examples" / "seeds"])
        app.close()
        catch_up(url)
        os.environ["FINSAM_DATABASE_URL"] = url
        sys.argv += ["--url", url]
        return main()


if __name__ == "__main__":
    sys.exit(main())
