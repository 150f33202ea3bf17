"""``finsam serve``, ``finsam project`` and ``finsam token create`` (also installed as ``finsam-serve``).

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
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from finsam_service.settings import Settings

__all__ = ["main"]


@contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """The configured URL, or the embedded server's ``finsam`` database while the block runs."""
    if settings.database_url:
        yield settings.database_url
        return
    from urllib.parse import quote, urlsplit, urlunsplit

    from finsam_core.embedded import EmbeddedPostgres, connect, create_database

    server = EmbeddedPostgres(settings.data_dir, temporary=False)
    server_url = server.start()
    try:
        with connect(server_url) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'finsam'").fetchone()
        if exists:
            parts = urlsplit(server_url)
            url = urlunsplit(parts._replace(path="/" + quote("finsam")))
        else:
            url = create_database(server_url, "finsam")
        yield url
    finally:
        server.stop()


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from finsam_service.app import create_app

    if getattr(args, "no_projection", False):
        settings = replace(settings, run_projections=False)
    host, port = args.host or settings.host, args.port or settings.port
    with database_url(settings) as url:
        settings = replace(settings, database_url=url, host=host, port=port)
        print(f"# finsam: store {url}", file=sys.stderr)
        if getattr(args, "seed_if_empty", None) is not None and not _seed(url, args.seed_if_empty):
            return 1
        base = f"http://{host}:{port}"
        if getattr(args, "demo_writer", None):
            _print_demo_token(url, args.demo_writer, base)
        print(f"API docs:      {base}/docs", flush=True)
        print(
            f"Network view:  {base}/v1/network/summary?year=2024  (also /v1/network/roster, /v1/network/decisions)",
            flush=True,
        )
        print(f"Förbund:       {base}/v1/forbund", flush=True)
        uvicorn.run(create_app(settings), host=host, port=port)
    return 0


def _seed(url: str, seeds: Path) -> bool:
    """Import ``seeds`` (``finsam import``) into the store at ``url`` if it holds no events yet."""
    from finsam_core.formats import import_paths
    from finsam_service.application import ServiceFinsam
    from finsam_service.database import apply_schema

    apply_schema(url)
    app = ServiceFinsam(store_url=url)
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


def _print_demo_token(url: str, org_nr: str, base: str) -> None:
    from finsam_service.access import Role, create_token
    from finsam_service.database import apply_schema

    apply_schema(url)
    token = create_token(url, Role.FORBUND_WRITER, org_nr, label="make run")
    print(f"Writer token for förbund {org_nr} (shown once):\n  {token}", flush=True)
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
    with database_url(settings) as url:
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
    return 0


def _failed_positions(args: argparse.Namespace, settings: Settings) -> int:
    """``project --list-failed`` and ``project --retry-failed``: once, beside a running worker or not."""
    from finsam_service.application import ServiceFinsam
    from finsam_service.database import apply_schema
    from finsam_service.projection import ProjectionWorker, RecordsProjection
    from finsam_service.projection_failures import FailedPosition

    def show(failure: FailedPosition) -> str:
        return (
            f"position {failure.position}: {failure.topic} {failure.originator_id} v{failure.originator_version}, "
            f"{failure.attempts} attempt(s), last {failure.failed_at:%Y-%m-%d %H:%M:%S %Z}: {failure.reason}"
        )

    with database_url(settings) as url:
        apply_schema(url)
        app = ServiceFinsam(store_url=url)
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

    with database_url(settings) as url:
        apply_schema(url)
        token = create_token(url, Role(args.role), args.forbund, args.label)
    print(token)
    return 0


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="the embedded PostgreSQL's data folder")
    parser = argparse.ArgumentParser(prog="finsam", description="finsam network service", parents=[common])
    sub = parser.add_subparsers(dest="command")
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
    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token and print it (once)", parents=[common])
    create.add_argument("--role", required=True, choices=["forbund-writer", "network-admin", "admin"])
    create.add_argument("--forbund", help="org nr (forbund-writer only)")
    create.add_argument("--label", default="")
    create.set_defaults(run=_token_create)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    if getattr(args, "data_dir", None) is not None:
        settings = replace(settings, data_dir=args.data_dir)
    run = getattr(args, "run", None)
    if run is None:
        args.host = args.port = args.seed_if_empty = args.demo_writer = None
        args.no_projection = False
        run = _serve
    try:
        return int(run(args, settings))
    except ValueError as exc:
        print(f"finsam: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
