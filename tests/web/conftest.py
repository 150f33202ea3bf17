"""The service as a real HTTP server (uvicorn in a thread) on the seed dataset, and the system's Chromium.

Playwright drives Debian's ``chromium`` (never a browser Playwright downloads). Without one the tests
skip with a loud reason, except under CI (``CI`` set), where they fail: the pages must be tested there.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from finsam_core.application import Finsam
from finsam_core.embedded import create_database, drop_database
from finsam_core.formats import import_paths
from finsam_service.access import Role, create_token
from finsam_service.app import create_app
from finsam_service.database import apply_schema
from finsam_service.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
ORNSKOLDSVIK = "222000-1883"
KARLSKOGA_DEGERFORS = "222000-2279"
KRAMFORS = "222000-1586"
DRAFT_REFERENCE = "2024-09-12-utkast"
"""A meeting convened in the test and never adjusted: a draft only Örnsköldsvik's writers may see."""


def chromium() -> str:
    """The system's Chromium; skip loudly without one, fail under CI."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        reason = (
            "NO CHROMIUM FOUND: the browser tests of the pages did NOT run. "
            "Install Debian's chromium (apt-get install -y chromium); .ci/run does so under CI."
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@dataclass
class Site:
    base: str
    host: str
    writer_token: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _seed(url: str) -> int:
    """Import the seed dataset; the log position it reached."""
    apply_schema(url)
    app = Finsam(store_url=url)
    try:
        results = import_paths(app, [SEEDS])
        assert results and all(r.ok for r in results), [r.line() for r in results if not r.ok]
        return int(app.recorder.max_notification_id() or 0)
    finally:
        app.close()


@pytest.fixture(scope="session")
def site(postgres_server_url: str) -> Iterator[Site]:
    """finsam on the seed dataset at http://127.0.0.1:PORT, with a draft meeting of Örnsköldsvik."""
    name = f"web_{uuid4().hex[:16]}"
    url = create_database(postgres_server_url, name, file_copy=True)
    position = _seed(url)
    port = _free_port()
    settings = Settings(database_url=url, projection_poll_seconds=0.01, expensive_reads_per_minute=10_000)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, name="finsam-web", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    token = create_token(url, Role.FORBUND_WRITER, ORNSKOLDSVIK)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            _wait_for_views(client, position)
            convened = client.post(
                f"/v1/forbund/{ORNSKOLDSVIK}/meetings",
                json={"reference": DRAFT_REFERENCE, "held_on": "2024-09-12", "place": "Stadshuset, Örnsköldsvik"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert convened.status_code == 201, convened.text
            _wait_for_views(client, convened.json()["position"])
        yield Site(base=base, host=f"127.0.0.1:{port}", writer_token=token)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        drop_database(postgres_server_url, name)


def _wait_for_views(client: httpx.Client, position: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if client.get("/v1/network/roster", params={"min_position": position}).status_code == 200:
                return
        except httpx.TransportError:
            pass  # The server is still starting.
        if time.monotonic() > deadline:
            raise TimeoutError("the service did not start, or its views did not reach the seed dataset")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=chromium())
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each page's screenshot goes: the run's tmp output, or ``FINSAM_SCREENSHOTS`` when set (docs/web.md's
    pictures are taken so)."""
    chosen = os.environ.get("FINSAM_SCREENSHOTS")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    return tmp_path_factory.mktemp("screenshots")
