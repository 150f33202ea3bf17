"""``finsam serve`` and ``finsam token create`` (also installed as ``finsam-serve``).

Without ``FINSAM_DATABASE_URL`` both start the embedded PostgreSQL server in the per-user data
folder (``FINSAM_DATA_DIR`` or ``--data-dir``) and use its database ``finsam``.
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

    with database_url(settings) as url:
        settings = replace(settings, database_url=url)
        print(f"# finsam: store {url}", file=sys.stderr)
        print(f"# API docs: http://{settings.host}:{settings.port}/docs", file=sys.stderr)
        uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port)
    return 0


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
    serve.set_defaults(run=_serve)
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
        args.host = args.port = None
        run = _serve
    try:
        return int(run(args, settings))
    except ValueError as exc:
        print(f"finsam: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
