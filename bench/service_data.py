"""What the service benchmarks share: the generated event log, servers on loopback, load and memory readings.

Not a benchmark itself (``run_all.py`` does not run it): ``bench_catchup.py`` and ``bench_service.py``
import it.
"""

from __future__ import annotations

import os
import socket
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

from eventsourcing.persistence import StoredEvent  # noqa: E402

from finsam_core import testing  # noqa: E402
from finsam_core.application import Finsam  # noqa: E402
from finsam_core.domain.meeting import Meeting  # noqa: E402
from finsam_core.topics import event_of  # noqa: E402
from finsam_service.database import psycopg_connect  # noqa: E402

PARAGRAPHS_PER_MEETING = 9
TEMPLATE = "B-TEMPLATE"
VIEW_TABLES = (
    "finsam_forbund, finsam_meetings, finsam_decisions, finsam_assignments, finsam_draft_events, "
    "finsam_projection_tracking"
)


def load_average() -> str:
    """``uptime``'s three load averages (1, 5 and 15 minutes): how busy the two shared CPUs were."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def generate(events: int) -> list[StoredEvent]:
    """About ``events`` stored events: Örnsköldsvik's register, then meetings of ten events each.

    One meeting (convened, nine paragraphs) is recorded by the application; the others are copies
    of its events under their own reference and identity (``uuid5`` of the förbund, as the domain
    derives it). Recording each one through the application would spend minutes on the förbund's and
    minute book's growing histories, which the projection does not read.
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
    """Copy the events into the store at ``url`` in bulk (500 a write), through the audited recorder."""
    app = Finsam(store_url=url)
    try:
        for k in range(0, len(stored), 500):
            app.recorder.insert_events(stored[k : k + 500])
    finally:
        app.close()


def reset_views(url: str) -> None:
    with psycopg_connect(url) as connection:
        connection.execute(f"TRUNCATE {VIEW_TABLES}")
        connection.commit()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(args: list[str], port: int, env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    # Left open on purpose: the server writes to it for as long as it runs (in the run's temporary folder).
    log = open(log_dir / f"server-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 120
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


def uvicorn(app: str, port: int, *extra: str) -> list[str]:
    """One uvicorn process serving ``app`` on ``port``, without an access log (neither side logs)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        *extra,
        app,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` in MB (``VmRSS``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")
