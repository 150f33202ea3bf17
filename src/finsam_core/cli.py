"""The ``finsam`` command: the demo, minutes and (later) import, verify and serve."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from finsam_core.application import Finsam
from finsam_core.domain.errors import FinsamError
from finsam_core.stores import default_store_url

__all__ = ["main"]


def _app(store: str | None) -> Finsam:
    return Finsam(store_url=store or default_store_url())


def _demo(args: argparse.Namespace) -> int:
    from finsam_core import testing

    store = args.store or default_store_url()
    app = Finsam(store_url=store)
    org = testing.ORNSKOLDSVIK
    try:
        app.association(org)
        print(
            f"# Förbundet {org} finns redan i {store}; visar det som är registrerat.",
            file=sys.stderr,
        )
    except FinsamError:
        testing.register_ornskoldsvik(app)
        testing.record_ornskoldsvik_2024_05_30(app)
        print(f"# Registrerade sammanträdet 2024-05-30 i {store}.", file=sys.stderr)
    print(app.minutes_text(org, "2024-05-30"))
    return 0


def _minutes(args: argparse.Namespace) -> int:
    print(_app(args.store).minutes_text(args.forbund, args.meeting))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finsam", description="Samordningsförbundens protokoll och ekonomi.")
    parser.add_argument(
        "--store",
        help="store URL: memory:, sqlite:///path, postgresql://... (default: FINSAM_STORE or a SQLite file)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="record the Örnsköldsvik meeting of 2024-05-30 and print its minutes")
    demo.set_defaults(run=_demo)
    minutes = sub.add_parser("minutes", help="print a meeting's minutes")
    minutes.add_argument("--forbund", required=True, help="org nr, e.g. 222000-2279")
    minutes.add_argument("--meeting", required=True, help="the meeting's reference, e.g. 2024-05-30")
    minutes.set_defaults(run=_minutes)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except FinsamError as exc:
        print(f"finsam: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
