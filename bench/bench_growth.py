"""Time per meeting as a year fills up: the 10th, 100th and 400th meeting of a year should cost the same.

One förbund records meetings one after another in one year, each one as a secretary would: convene,
record attendance, three paragraphs (numbered by the minute book), one decision: six commands. Ten
meetings of the year before come first, untimed, so that the first timed meetings do not pay for
a cold process (imports, psycopg preparing its statements after five uses, PostgreSQL's caches).
The figure at N is the median time of the meetings N-9..N; with ``--repeat`` the whole year is
recorded again on a fresh store and each point is the lowest of the runs' medians (this machine's
other work only ever adds time). Through the application on the memory store and the embedded
PostgreSQL, and through the HTTP API (the service in-process over ASGI, on the same embedded
PostgreSQL). Target (issue 10): flat, the largest point at most 1.5x the smallest.

    .venv/bin/python bench/bench_growth.py [--meetings 400] [--points 10,100,400] [--repeat 3] [--baseline da2df78]

``--baseline REV`` measures the same in the same run on the code of that git revision (its ``src/``,
taken with ``git archive``), printed beside this tree's figures: the "before" of a change. The
baseline runs once (``--baseline-repeat``): the code before issue 10 took minutes a run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
ATTENDEES = (
    ("Jan-Olov Häggström", "ledamot"),
    ("Fredrik Berglund", "ledamot"),
    ("Camilla Steen", "ledamot"),
    ("Pär Eriksson", "ovrig"),
)


WARM_UP = 10


def held_on(m: int) -> date:
    """The m-th meeting's day: 400 meetings spread over the year, sometimes two on one day; the
    warm-up meetings (negative m) in the year before."""
    if m < 0:
        return date(YEAR - 1, 12, 1) + timedelta(days=m)
    return date(YEAR, 1, 2) + timedelta(days=m * 360 // 400)


def reference(m: int) -> str:
    return f"{held_on(m).year}-{m % 1000:03d}"


def at_points(seconds: list[float], points: list[int]) -> dict[int, float]:
    """Median milliseconds of the ten meetings ending at each point (the 1st meeting is number 1)."""
    return {n: statistics.median(seconds[max(0, n - 10) : n]) * 1000 for n in points}


def through_application(store_url: str, meetings: int) -> list[float]:
    from finsam_core.application import Finsam
    from finsam_core.domain.meeting import Attendee, Capacity
    from finsam_core.testing import ORNSKOLDSVIK, register_ornskoldsvik

    app = Finsam(store_url=store_url)
    register_ornskoldsvik(app)
    attendees = tuple(Attendee(name, Capacity(capacity)) for name, capacity in ATTENDEES)
    seconds = []
    for m in range(-WARM_UP, meetings):
        ref = reference(m)
        started = time.perf_counter()
        app.convene_meeting(ORNSKOLDSVIK, ref, held_on(m), "Örnsköldsvik")
        app.record_attendance(ORNSKOLDSVIK, ref, attendees, "Jan-Olov Häggström", "Pär Eriksson")
        for p in range(3):
            number = app.add_paragraph(ORNSKOLDSVIK, ref, f"Ärende {p}", "Bakgrund till ärendet.")
        app.decide(ORNSKOLDSVIK, ref, number, ("Att godkänna förslaget.",))
        seconds.append(time.perf_counter() - started)
    return seconds[WARM_UP:]


def through_http(database_url: str, meetings: int) -> list[float]:
    import httpx

    from finsam_core.application import Finsam
    from finsam_core.testing import ORNSKOLDSVIK, register_ornskoldsvik
    from finsam_service.access import Role, create_token
    from finsam_service.app import create_app
    from finsam_service.settings import Settings

    register_ornskoldsvik(Finsam(store_url=database_url))
    app = create_app(Settings(database_url=database_url, writes_per_minute=10**9, projection_poll_seconds=0.01))

    async def run() -> list[float]:
        seconds = []
        async with app.lifespan():
            headers = {"Authorization": f"Bearer {create_token(database_url, Role.FORBUND_WRITER, ORNSKOLDSVIK)}"}
            transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # httpx types ASGI apps narrower than Litestar
            async with httpx.AsyncClient(transport=transport, base_url="http://finsam.test", headers=headers) as client:

                async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
                    response = await client.post(f"/v1/forbund/{ORNSKOLDSVIK}{path}", json=body)
                    if response.status_code >= 300:
                        raise RuntimeError(f"{path}: {response.status_code} {response.text}")
                    answer: dict[str, Any] = response.json()
                    return answer

                attendance = {
                    "attendees": [{"name": name, "capacity": capacity} for name, capacity in ATTENDEES],
                    "chair": "Jan-Olov Häggström",
                    "secretary": "Pär Eriksson",
                }
                for m in range(-WARM_UP, meetings):
                    ref = reference(m)
                    started = time.perf_counter()
                    await post("/meetings", {"reference": ref, "held_on": held_on(m).isoformat(), "place": "Kansliet"})
                    await post(f"/meetings/{ref}/attendance", attendance)
                    for p in range(3):
                        written = await post(f"/meetings/{ref}/paragraphs", {"title": f"Ärende {p}"})
                    number = written["number"]
                    await post(f"/meetings/{ref}/paragraphs/{number}/decisions", {"clauses": ["Att godkänna."]})
                    seconds.append(time.perf_counter() - started)
        return seconds[WARM_UP:]

    return asyncio.run(run())


def lowest(runs: list[dict[int, float]]) -> dict[int, float]:
    return {n: min(run[n] for run in runs) for n in runs[0]}


def measure(meetings: int, points: list[int], http: bool, repeat: int) -> dict[str, dict[int, float]]:
    """This interpreter's code, on every store: {store: {point: ms per meeting}}."""
    from finsam_core.embedded import EmbeddedPostgres, create_database

    runs = range(repeat)
    figures = {"memory": lowest([at_points(through_application("memory:", meetings), points) for _ in runs])}
    with tempfile.TemporaryDirectory() as tmp, EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server:
        figures["postgres"] = lowest(
            [at_points(through_application(create_database(server, f"app{r}"), meetings), points) for r in runs]
        )
        if http:
            figures["http"] = lowest(
                [at_points(through_http(create_database(server, f"http{r}"), meetings), points) for r in runs]
            )
    return figures


def measure_in_child(src: Path, args: argparse.Namespace, repeat: int) -> dict[str, dict[int, float]]:
    """The same measurement in a fresh interpreter that imports finsam from ``src``."""
    command = [sys.executable, __file__, "--child", "--meetings", str(args.meetings), "--points", args.points]
    command += ["--repeat", str(repeat)]
    command += [] if args.http else ["--no-http"]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return {store: {int(n): ms for n, ms in row.items()} for store, row in json.loads(done.stdout).items()}


def baseline_src(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "src"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def show(label: str, row: dict[int, float]) -> str:
    cells = "  ".join(f"{n:>3}th={ms:8.1f} ms" for n, ms in row.items())
    return f"{label:<9} {cells}  ratio={max(row.values()) / min(row.values()):6.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=400)
    parser.add_argument("--points", default="10,100,400")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the whole year; each point the lowest")
    parser.add_argument("--baseline", help="a git revision to measure beside this tree (its src/)")
    parser.add_argument("--baseline-repeat", type=int, default=1)
    parser.add_argument("--no-http", dest="http", action="store_false", help="skip the HTTP API")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    points = [int(p) for p in args.points.split(",")]
    os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp(prefix="finsam-bench-")) / "key.pem"))
    if args.child:
        print(json.dumps(measure(args.meetings, points, args.http, args.repeat)))
        return
    runs: list[tuple[str, Callable[[], dict[str, dict[int, float]]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            src = baseline_src(args.baseline, Path(tmp))
            runs.append((args.baseline, lambda: measure_in_child(src, args, args.baseline_repeat)))
        runs.append(("this tree", lambda: measure_in_child(ROOT / "src", args, args.repeat)))
        results = [(name, run()) for name, run in runs]
    print(f"ms per meeting (convene, attendance, 3 paragraphs, a decision) at the Nth meeting of {YEAR}")
    for store in results[-1][1]:
        for name, figures in results:
            print(show(f"{store}", figures[store]) + f"  [{name}]")


if __name__ == "__main__":
    main()
