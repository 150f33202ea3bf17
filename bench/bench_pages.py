"""Each page's server time (p95) and size on the seed dataset, beside the JSON endpoints that serve the same data.

    .venv/bin/python bench/bench_pages.py [--requests 200]

The app runs in this process over a temporary embedded PostgreSQL holding the seed dataset; requests go
through the ASGI interface (httpx), so the time is the server's own (routing, queries, rendering), not the
network's. A page's size counts its HTML and the stylesheet it loads. Targets (issue 11): p95 ≤ 50 ms and
≤ 150 kB. The JSON side is the sum of the endpoints a client would call for the same figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from finsam_core.application import Finsam
from finsam_core.embedded import EmbeddedPostgres, create_database
from finsam_core.formats import import_paths
from finsam_service.app import create_app
from finsam_service.database import apply_schema
from finsam_service.settings import Settings

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
KD, ORN = "222000-2279", "222000-1883"
PAGES: dict[str, tuple[str, list[str]]] = {
    "Nätverket": (
        "/?datum=2024-01-26&ar=2024",
        [
            "/v1/network/roster?as_of=2024-01-26",
            "/v1/network/fees/2024",
            "/v1/network/summary?year=2024",
            *[f"/v1/network/participants/{y}" for y in range(2020, 2025)],
            "/v1/network/decisions",
        ],
    ),
    "Förbund": (
        f"/forbund/{KD}",
        [
            f"/v1/forbund/{KD}",
            f"/v1/forbund/{KD}/meetings",
            f"/v1/forbund/{KD}/decisions",
            f"/v1/forbund/{KD}/budgets",
            f"/v1/forbund/{KD}/budgets/2022",
            f"/v1/forbund/{KD}/budgets/2023",
            f"/v1/forbund/{KD}/annual-reports/2020",
        ],
    ),
    "Sammanträde": (
        f"/forbund/{ORN}/sammantraden/2024-05-30",
        [
            f"/v1/forbund/{ORN}/meetings/2024-05-30/minutes",
            f"/v1/forbund/{ORN}/meetings/2024-05-30/minutes.txt",
            f"/v1/forbund/{ORN}/decisions",
            f"/v1/forbund/{ORN}/audit/verify",
        ],
    ),
    "Granskning": (
        f"/forbund/{ORN}/granskning",
        [f"/v1/forbund/{ORN}/audit/events?limit=100", f"/v1/forbund/{ORN}/audit/verify"],
    ),
}


async def timed(client: httpx.AsyncClient, paths: list[str], n: int) -> tuple[float, float, int]:
    """p50 and p95 in ms of fetching every path in turn, and the bytes they answer."""
    times = []
    size = 0
    for i in range(n):
        started = time.perf_counter()
        size = 0
        for path in paths:
            response = await client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            size += len(response.content)
        times.append((time.perf_counter() - started) * 1000)
        if i == 0:
            times.clear()  # The first round warms caches (templates, the verification).
    quantiles = statistics.quantiles(times, n=20)
    return statistics.median(times), quantiles[18], size


async def run(url: str, n: int) -> None:
    app = create_app(Settings(database_url=url, projection_poll_seconds=0.01, expensive_reads_per_minute=0))
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's ASGI types vs httpx's.
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            while (await client.get("/v1/forbund")).json() == []:
                await asyncio.sleep(0.1)
            await asyncio.sleep(2)  # Let the projection worker finish the seed dataset.
            css = len((await client.get("/static/finsam.css")).content)
            print(f"{n} requests each, 2 cores; p50 / p95 in ms; page size = HTML + stylesheet ({css} B)\n")
            print("| page | page p50 | page p95 | page size | JSON p50 | JSON p95 | JSON size | JSON calls |")
            print("|---|---|---|---|---|---|---|---|")
            for name, (page, endpoints) in PAGES.items():
                p50, p95, size = await timed(client, [page], n)
                j50, j95, jsize = await timed(client, endpoints, n)
                print(
                    f"| {name} | {p50:.1f} | {p95:.1f} | {(size + css) / 1000:.1f} kB | {j50:.1f} | {j95:.1f} "
                    f"| {jsize / 1000:.1f} kB | {len(endpoints)} |"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp()) / "signing-key.pem"))
    parent = Path(tempfile.mkdtemp(prefix="finsam-bench-pages-"))
    try:
        with EmbeddedPostgres(parent / "data", temporary=True) as server:
            url = create_database(server, "bench_pages")
            apply_schema(url)
            finsam = Finsam(store_url=url)
            try:
                assert all(r.ok for r in import_paths(finsam, [SEEDS]))
            finally:
                finsam.close()
            asyncio.run(run(url, args.requests))
    finally:
        shutil.rmtree(parent, ignore_errors=True)


if __name__ == "__main__":
    main()
