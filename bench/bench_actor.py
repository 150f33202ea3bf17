"""Benchmark: the cost of recording who made each write (the actor) per command.

    .venv/bin/python bench/bench_actor.py [--meetings 40] [--per-meeting 10]

Two applications over two fresh stores of the same kind run the commands of
``bench_commands.py`` (one meeting event per command: each loads its meeting, checks the rules
and records one event through the audited recorder): one with an actor (an HTTP actor with token
id, role, label and request id, the largest finsam records), one without (``save(..., actor=None)``,
as before actors existed). The two take turns command by command, so a load spike from other
processes hits both alike; the figure is the median time per command of each, on a SQLite file and
on the embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp()) / "bench-key.pem"))

from bench_commands import ATTENDEES
from eventsourcing.persistence import Recording

from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor
from finsam_core.embedded import EmbeddedPostgres, create_database
from finsam_core.testing import ORNSKOLDSVIK, register_ornskoldsvik

ACTOR = Actor.http(
    token_id="0123456789abcdef", role="forbund-writer", label="Kansliets integration", request_id="9f1c2e" * 5
)


class WithoutActor(Finsam):
    """The application as it recorded before actors: nothing reaches the recorder."""

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        kwargs["actor"] = None
        return super().save(*objs, **kwargs)


def prepare(app: Finsam, meetings: int) -> None:
    register_ornskoldsvik(app)
    for m in range(meetings):
        ref = f"2024-{m:03d}"
        app.convene_meeting(ORNSKOLDSVIK, ref, date(2024, 6, 1), "Örnsköldsvik")
        app.record_attendance(ORNSKOLDSVIK, ref, ATTENDEES, "Jan-Olov Häggström", "Pär Eriksson")


def commands(app: Finsam, meetings: int, per_meeting: int) -> Any:
    """The commands, one at a time (a generator: the caller times each step)."""
    for m in range(meetings):
        ref = f"2024-{m:03d}"
        number = app.add_paragraph(ORNSKOLDSVIK, ref, "Informationsärenden")
        yield
        for i in range(per_meeting - 1):
            app.note_information(ORNSKOLDSVIK, ref, number, f"Rapport {i}: förbundschefen informerade om läget.")
            yield


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=40)
    parser.add_argument("--per-meeting", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server:
        for kind in ("sqlite", "postgres"):
            apps: list[Finsam] = []
            for name, app_class, extra in (("without", WithoutActor, {}), ("with", Finsam, {"actor": ACTOR})):
                if kind == "sqlite":
                    url = f"sqlite:///{Path(tmp).as_posix().lstrip('/')}/{name}.sqlite"
                else:
                    url = create_database(server, f"bench_{name}")
                app = app_class(store_url=url, **extra)
                prepare(app, args.meetings)
                apps.append(app)
            runs = [commands(app, args.meetings, args.per_meeting) for app in apps]
            times: list[list[float]] = [[], []]
            for step in range(args.meetings * args.per_meeting):
                order = (0, 1) if step % 2 == 0 else (1, 0)
                for index in order:
                    started = time.perf_counter()
                    next(runs[index])
                    times[index].append(time.perf_counter() - started)
            without, with_actor = (statistics.median(t) * 1000 for t in times)
            cost = (with_actor / without - 1) * 100
            print(
                f"commands.{kind:<8} median per command: without actor {without:.3f} ms, "
                f"with actor {with_actor:.3f} ms, cost {cost:+.1f} % ({len(times[0])} commands each)"
            )


if __name__ == "__main__":
    main()
