"""``finsam serve``, ``project``, ``migrate`` and ``token create|list|revoke`` (also installed as ``finsam-serve``).

Without ``FINSAM_DATABASE_URL`` they start the embedded PostgreSQL server in the per-user data
folder (``FINSAM_DATA_DIR`` or ``--data-dir``) and use its database ``finsam``.

``serve --no-projection`` leaves the views to a separate ``finsam project`` process (one per
deployment); ``serve --seed-if-empty DIR --demo-writer ORGNR`` is what ``make run`` does: import
the seed dataset into an empty store and print a writer token for one förbund before serving.

``project --list-failed`` lists the events the views could not apply (failed positions) and
``project --retry-failed`` applies them again after a fix, clearing those that succeed; it exits
with 1 while any still fails. Both run once and may run beside the worker.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from finsam_core.cli import CommandParser
from finsam_core.embedded import EmbeddedPostgres
from finsam_service.settings import Settings

__all__ = ["COMMANDS", "main"]


class Supervisor(threading.Thread):
    """Watches the embedded server while the service runs: restarts it if it dies, or stops the service.

    At most ``max_restarts`` restarts in a row; when the server cannot be started again (its data
    folder removed, the binaries gone) the service is told to stop (SIGINT to this process, which
    uvicorn handles as Ctrl-C) after one line on stderr, and :attr:`failed` makes the command exit 1.
    """

    def __init__(self, server: EmbeddedPostgres, *, interval: float = 1.0, max_restarts: int = 3) -> None:
        super().__init__(name="finsam-embedded-supervisor", daemon=True)
        self.server, self.interval, self.max_restarts = server, interval, max_restarts
        self.failed: str | None = None
        self.restarts = 0
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            if self.server.is_running():
                continue
            if self._stop.is_set():
                return
            if self.restarts < self.max_restarts:
                self.restarts += 1
                try:
                    self.server.restart()
                    print(f"# finsam: the embedded PostgreSQL stopped; restarted ({self.restarts})", file=sys.stderr)
                    continue
                except Exception as exc:
                    reason = str(exc) or type(exc).__name__
            else:
                reason = f"it stopped again after {self.max_restarts} restarts"
            self.failed = f"finsam: the embedded PostgreSQL in {self.server.data_dir} cannot run: {reason}"
            print(self.failed, file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGINT)
            return

    def stop(self) -> None:
        self._stop.set()


@contextmanager
def database_url(settings: Settings, *, supervise: bool = False) -> Iterator[str]:
    """The configured URL, or the embedded server's ``finsam`` database while the block runs.

    With ``supervise`` the embedded server is watched by a :class:`Supervisor` for as long as the
    block runs (``serve`` and ``project``); its verdict is in ``SUPERVISORS[-1].failed``.
    """
    if settings.database_url:
        yield settings.database_url
        return
    from urllib.parse import quote, urlsplit, urlunsplit

    from finsam_core.embedded import connect, create_database

    server = EmbeddedPostgres(settings.data_dir, temporary=False)
    server_url = server.start()
    supervisor = Supervisor(server) if supervise else None
    try:
        with connect(server_url) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'finsam'").fetchone()
        if exists:
            parts = urlsplit(server_url)
            url = urlunsplit(parts._replace(path="/" + quote("finsam")))
        else:
            url = create_database(server_url, "finsam")
        if supervisor is not None:
            SUPERVISORS.append(supervisor)
            supervisor.start()
        yield url
    finally:
        if supervisor is not None:
            supervisor.stop()
        try:
            server.stop()
        except Exception as exc:
            print(f"# finsam: the embedded PostgreSQL could not be stopped cleanly: {exc}", file=sys.stderr)


SUPERVISORS: list[Supervisor] = []
"""The supervisors started by this process (the last one is the running command's)."""


def _supervision_failed() -> bool:
    return bool(SUPERVISORS and SUPERVISORS[-1].failed)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from finsam_service.app import create_app

    if getattr(args, "no_projection", False):
        settings = replace(settings, run_projections=False)
    host, port = args.host or settings.host, args.port or settings.port
    with database_url(settings, supervise=True) as url:
        settings = replace(settings, database_url=url, host=host, port=port)
        print(f"# finsam: store {url}", file=sys.stderr)
        if getattr(args, "seed_if_empty", None) is not None and not _seed(url, args.seed_if_empty):
            return 1
        base = f"http://{host}:{port}"
        if getattr(args, "demo_writer", None):
            _print_demo_token(url, args.demo_writer, base, settings)
        print(f"Start page:    {base}/  (Nätverket; open it in a browser; sign in at {base}/logga-in)", flush=True)
        print(f"API docs:      {base}/docs", flush=True)
        print(
            f"Network view:  {base}/v1/network/summary?year=2024  (also /v1/network/roster, /v1/network/decisions)",
            flush=True,
        )
        print(f"Förbund:       {base}/v1/forbund", flush=True)
        # uvicorn's own loggers go through the app's JSON logging (log_config=None keeps uvicorn from
        # installing its plain-text handlers); the access line is the edge middleware's, not uvicorn's.
        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
    return 1 if _supervision_failed() else 0


def _seed(url: str, seeds: Path) -> bool:
    """Import ``seeds`` (``finsam import``) into the store at ``url`` if it holds no events yet."""
    from finsam_core.application import Finsam
    from finsam_core.formats import import_paths
    from finsam_service.database import apply_schema

    apply_schema(url)
    app = Finsam(store_url=url)
    try:
        if app.recorder.max_notification_id():
            print("# The store already holds events; the seed dataset is not imported again.", file=sys.stderr)
            return True
        results = import_paths(app, [seeds])
        for result in results:
            print(f"# {result.line()}", file=sys.stderr)
        return bool(results) and all(result.ok for result in results)
    finally:
        app.close()


def _print_demo_token(url: str, org_nr: str, base: str, settings: Settings) -> None:
    """Print ``make run``'s writer token: the one kept from an earlier start while it is valid, else a new one.

    The token is kept in a file readable only by the user, beside the embedded server's data, so
    each start does not leave another valid token behind in the database.
    """
    from finsam_service.access import Role, create_token, token_is_valid
    from finsam_service.database import apply_schema

    apply_schema(url)
    kept = settings.data_dir.parent / "demo-tokens" / f"{org_nr}.token"
    token = kept.read_text(encoding="ascii").strip() if kept.is_file() else ""
    if not token or not token_is_valid(url, token):
        token = create_token(url, Role.FORBUND_WRITER, org_nr, label="make run")
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.touch(mode=0o600)
        kept.write_text(token + "\n", encoding="ascii")
    print(f"Writer token for förbund {org_nr} (kept in {kept}):\n  {token}", flush=True)
    print(f"  try: curl -H 'Authorization: Bearer {token}' {base}/v1/forbund/{org_nr}/meetings", flush=True)


def _project(args: argparse.Namespace, settings: Settings) -> int:
    """Run the projection worker in the foreground until SIGTERM or Ctrl-C."""
    import signal
    import threading

    from finsam_service.lifespan import open_services

    if getattr(args, "retry_failed", False) or getattr(args, "list_failed", False):
        return _failed_positions(args, settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with database_url(settings, supervise=True) as url:
        app, worker = open_services(replace(settings, database_url=url, run_projections=True), url)
        print(f"# finsam: projecting {url}", file=sys.stderr)
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.stop()
            app.close()
    return 1 if _supervision_failed() else 0


def _expiry(text: str | None) -> datetime | None:
    """``--expires``: a date (the token works through that day, Swedish time) or a number of days from now."""
    if text is None:
        return None
    if text.isdigit():
        return datetime.now(UTC) + timedelta(days=int(text))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--expires {text!r} is neither a date (2027-01-31) nor a number of days.") from None
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo("Europe/Stockholm"))


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the service's tables to this version (also done at every start); say what changed."""
    from finsam_service.migrations import migrate, versions
    from finsam_service.replica import ensure_primary

    with database_url(settings) as url:
        ensure_primary(url)
        done = migrate(url)
        now = versions(url)
    for line in done:
        print(f"migrated {line}")
    print(f"schema: records {now['records']}, views {now['views']}" + ("" if done else " (already up to date)"))
    return 0


def _failed_positions(args: argparse.Namespace, settings: Settings) -> int:
    """``project --list-failed`` and ``project --retry-failed``: once, beside a running worker or not."""
    from finsam_core.application import Finsam
    from finsam_core.projections.failures import FailedPosition
    from finsam_core.projections.follower import ProjectionWorker
    from finsam_core.projections.records import RecordsProjection
    from finsam_service.database import apply_schema

    def show(failure: FailedPosition) -> str:
        return (
            f"position {failure.position}: {failure.topic} {failure.originator_id} v{failure.originator_version}, "
            f"{failure.attempts} attempt(s), last {failure.failed_at:%Y-%m-%d %H:%M:%S %Z}: {failure.reason}"
        )

    with database_url(settings) as url:
        apply_schema(url)
        app = Finsam(store_url=url)
        worker = ProjectionWorker(app, url, RecordsProjection(app))
        try:
            if args.retry_failed:
                result = worker.retry_failed()
                for failure in result.cleared:
                    print(f"applied  position {failure.position}: {failure.topic}")
                remaining = result.remaining
                print(f"# {len(result.cleared)} failed position(s) applied, {len(remaining)} still fail.")
            else:
                remaining = worker.failures()
                print(f"# {len(remaining)} failed position(s).")
            for failure in remaining:
                print(f"failed   {show(failure)}")
        finally:
            worker.close()
            app.close()
    return 1 if args.retry_failed and remaining else 0


def _token_create(args: argparse.Namespace, settings: Settings) -> int:
    from finsam_service.access import Role, create_token
    from finsam_service.database import apply_schema

    expires_at = _expiry(args.expires)
    with database_url(settings) as url:
        apply_schema(url)
        token = create_token(url, Role(args.role), args.forbund, args.label, expires_at=expires_at)
    print(token)
    return 0


def _token_list(args: argparse.Namespace, settings: Settings) -> int:
    from finsam_service.access import list_tokens
    from finsam_service.database import apply_schema

    with database_url(settings) as url:
        apply_schema(url)
        tokens = list_tokens(url)
    print(f"{'id':12}  {'role':14}  {'förbund':11}  {'created':16}  {'expires':16}  {'last used':16}  state  label")
    for t in tokens:
        state = (
            "revoked"
            if t.revoked_at
            else ("expired" if t.expires_at and t.expires_at <= datetime.now(UTC) else "valid")
        )
        print(
            f"{t.id:12}  {t.role:14}  {t.org_nr or '-':11}  {_when(t.created_at)}  {_when(t.expires_at)}  "
            f"{_when(t.last_used_at)}  {state:5}  {t.label}"
        )
    return 0


def _when(moment: datetime | None) -> str:
    return moment.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M") if moment else "-".ljust(16)


def _token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from finsam_service.access import revoke_token
    from finsam_service.database import apply_schema

    with database_url(settings) as url:
        apply_schema(url)
        revoked = revoke_token(url, args.id)
    print(f"revoked {revoked.id} ({revoked.role}{' ' + revoked.org_nr if revoked.org_nr else ''} {revoked.label})")
    return 0


def _parser() -> argparse.ArgumentParser:
    common = CommandParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="the embedded PostgreSQL's data folder")
    parser = CommandParser(prog="finsam", description="finsam network service", parents=[common])
    sub = parser.add_subparsers(dest="command", parser_class=CommandParser)
    serve = sub.add_parser("serve", help="serve the HTTP API (default)", parents=[common])
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--no-projection",
        action="store_true",
        help="leave the projection worker to a separate 'finsam project' process",
    )
    serve.add_argument(
        "--seed-if-empty",
        type=Path,
        metavar="DIR",
        help="import the seed dataset in DIR (as 'finsam import') when the store is empty",
    )
    serve.add_argument("--demo-writer", metavar="ORGNR", help="create and print a forbund-writer token")
    serve.set_defaults(run=_serve)
    project = sub.add_parser("project", help="run the projection worker (one per deployment)", parents=[common])
    failed = project.add_mutually_exclusive_group()
    failed.add_argument(
        "--list-failed", action="store_true", help="list the events the views could not apply, then exit"
    )
    failed.add_argument(
        "--retry-failed",
        action="store_true",
        help="apply the failed events again (after a fix), clear those that succeed, then exit (1 if any still fail)",
    )
    project.set_defaults(run=_project)
    migrate = sub.add_parser(
        "migrate", help="bring the service's tables to this version (also done at every start)", parents=[common]
    )
    migrate.set_defaults(run=_migrate)
    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token and print it (once)", parents=[common])
    create.add_argument("--role", required=True, choices=["forbund-writer", "network-admin", "admin", "metrics"])
    create.add_argument("--forbund", help="org nr (forbund-writer only)")
    create.add_argument("--label", default="")
    create.add_argument("--expires", metavar="DATE|DAYS", help="last valid day (2027-01-31) or days from now")
    create.set_defaults(run=_token_create)
    listing = token_sub.add_parser("list", help="list tokens: id, role, förbund, dates, state", parents=[common])
    listing.set_defaults(run=_token_list)
    revoke = token_sub.add_parser("revoke", help="revoke a token by its id (from 'token list')", parents=[common])
    revoke.add_argument("id", help="the token's id: 12 hexadecimal digits")
    revoke.set_defaults(run=_token_revoke)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``finsam-serve`` (and ``finsam serve|project|migrate|token``): user errors are one sentence and exit 2."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if getattr(args, "data_dir", None) is not None:
            settings = replace(settings, data_dir=args.data_dir)
        run = getattr(args, "run", None)
        if run is None:
            args.host = args.port = args.seed_if_empty = args.demo_writer = None
            args.no_projection = False
            run = _serve
        return int(run(args, settings))
    except ValueError as exc:
        print(f"finsam: {exc}", file=sys.stderr)
        return 2
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"finsam: databasen går inte att nå: {first}", file=sys.stderr)
        return 2


COMMANDS: dict[str, tuple[str, Callable[[list[str]], int]]] = {
    "serve": ("serve the network service (HTTP API and views) over PostgreSQL", main),
    "project": ("run the projection worker on its own (one per deployment)", main),
    "migrate": ("bring the service's tables to this version (also done at every start)", main),
    "token": ("API tokens: create, list, revoke", main),
}
"""The service's commands as ``finsam`` lists them (entry point ``finsam.commands`` in pyproject.toml)."""


if __name__ == "__main__":
    sys.exit(main())
