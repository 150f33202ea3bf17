"""The ``finsam`` command: the demo, import, minutes, verify, witness, recount, replay, export — and the service's."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Final, NoReturn

import eventsourcing.persistence

from finsam_core.application import Finsam
from finsam_core.errors import FinsamError, InvalidInput, NotFound
from finsam_core.stores import default_store_url

if TYPE_CHECKING:
    from finsam_core.audit.witness_wire import Source

__all__ = ["CommandParser", "main"]


def _app(store: str | None) -> Finsam:
    return Finsam(store_url=store or default_store_url())


def _seed_dir() -> Path:
    """``examples/seeds`` of the source tree this package runs from."""
    return Path(__file__).resolve().parents[2] / "examples" / "seeds"


def _store_is_empty(app: Finsam) -> bool:
    return not app.recorder.max_notification_id()


def _demo(args: argparse.Namespace) -> int:
    """Load the seed dataset into an empty store, then print the Örnsköldsvik minutes."""
    from finsam_core import testing
    from finsam_core.formats import import_paths

    store = args.store or default_store_url()
    app = Finsam(store_url=store)
    org = testing.ORNSKOLDSVIK
    if _store_is_empty(app):
        seeds = _seed_dir()
        if not seeds.is_dir():
            print(f"finsam: exempeldata saknas ({seeds}); kör demo från källkoden.", file=sys.stderr)
            return 2
        results = import_paths(app, [seeds])
        if not all(result.ok for result in results):
            for result in results:
                print(f"finsam: {result.line()}", file=sys.stderr)
            return 1
        print(f"# Läste in exempeldata från {seeds} i {store}:", file=sys.stderr)
        for result in results:
            print(f"#   {result.summary}", file=sys.stderr)
    else:
        print(f"# {store} innehåller redan data; visar det som är registrerat.", file=sys.stderr)
    print(app.minutes_text(org, "2024-05-30"))
    return 0


def _import(args: argparse.Namespace) -> int:
    """Record files of the format; one line per file; non-zero exit if any file was refused."""
    from finsam_core.formats import import_paths

    app = _app(args.store)
    results = import_paths(app, [Path(p) for p in args.paths], actor=args.actor)
    if not results:
        print("finsam: inga filer att läsa in (*.toml).", file=sys.stderr)
        return 1
    for result in results:
        print(result.line(), file=sys.stdout if result.ok else sys.stderr)
    refused = sum(1 for r in results if not r.ok)
    if refused:
        print(f"finsam: {refused} av {len(results)} filer vägrades.", file=sys.stderr)
    return 1 if refused else 0


def _minutes(args: argparse.Namespace) -> int:
    from finsam_core.documents.cli import run_minutes

    return run_minutes(_app(args.store), args)


def _known_head(text: str) -> tuple[int, bytes]:
    """``POSITION:HASH`` as the summary line of ``finsam verify`` prints it."""
    position, colon, digest = text.strip().partition(":")
    try:
        parsed = (int(position), bytes.fromhex(digest))
    except ValueError:
        parsed = (0, b"")
    if not colon or parsed[0] < 1 or len(parsed[1]) != 32:
        raise InvalidInput(
            f"--known-head {text!r} går inte att tolka: skriv POSITION:HASH med hashvärdet som 64 hexadecimala "
            "tecken, så som sammanfattningen från finsam verify skriver det."
        )
    return parsed


def _verify(args: argparse.Namespace) -> int:
    from finsam_core.audit.keys import load_public_key, public_key_hex
    from finsam_core.audit.verify import verify_store

    if args.export:
        from finsam_core.audit.export import verify_export

        report = verify_export(args.export, args.public_key)
        print(f"{args.export}: {report.summary()}", file=sys.stdout if report.ok else sys.stderr)
        return 0 if report.ok else 1
    app = _app(args.store)
    if args.print_public_key:
        key = getattr(app.recorder, "audit_key", None)
        print(public_key_hex(key) if key is not None else "")
        return 0
    known = [_known_head(text) for text in args.known_head or ()]
    for where in args.witness or ():
        from finsam_core.audit.witness import load_witness_file, witnessed_heads

        known.extend(witnessed_heads(load_witness_file(_witness_file(where), where)))
    public = load_public_key(args.public_key) if args.public_key else None
    if args.forbund:
        from finsam_core.audit.forbund_chain import verify_forbund

        report = verify_forbund(app, args.forbund, public, all_signatures=args.all_signatures)
        if report.ok and report.events == 0:  # nothing to verify is not an "OK" an auditor should read
            raise _no_events(args.forbund)
    else:
        report = verify_store(app, public, all_signatures=args.all_signatures, known_heads=known)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def _source(text: str) -> Source:
    """A witness's source: a service's base URL (http[s]://) or a store URL read directly."""
    from finsam_core.audit.witness_wire import HttpSource, StoreSource

    if text.startswith(("http://", "https://")):
        return HttpSource(text)
    return StoreSource(_app(text), text)


def _witness(args: argparse.Namespace) -> int:
    from finsam_core.audit.keys import load_or_create_signing_key, load_public_key
    from finsam_core.audit.witness import witness

    state = Path(args.state)
    key_path = Path(args.key) if args.key else state.with_name("witness-key.pem")
    if not state.parent.is_dir():
        raise InvalidInput(f"Katalogen för vittnesfilen {state} finns inte.")
    key = load_or_create_signing_key(key_path)
    service_key = load_public_key(args.service_key) if args.service_key else None
    report = witness(_source(args.source), state, key, service_key)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def _witness_file(where: str) -> bytes:
    """The bytes of a witness file at a path or an http(s) URL (a witness may publish its file)."""
    if where.startswith(("http://", "https://")):
        import httpx

        try:
            response = httpx.get(where, timeout=60)
        except httpx.HTTPError as exc:
            raise InvalidInput(f"Vittnesfilen {where} går inte att hämta: {exc}.") from exc
        if response.status_code != 200:
            raise InvalidInput(f"Vittnesfilen {where} går inte att hämta: svaret var {response.status_code}.")
        return response.content
    try:
        return Path(where).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Vittnesfilen {where} går inte att läsa: {exc.strerror or exc}.") from exc


def _recount(args: argparse.Namespace) -> int:
    from finsam_core.audit.recount import recount, recount_text

    vote = args.vote - 1 if args.vote is not None and args.vote > 0 else -1
    meeting = _app(args.store).meeting(args.forbund, args.meeting)
    print(recount_text(recount(meeting, args.paragraph, args.rule, vote)))
    return 0


def _replay(args: argparse.Namespace) -> int:
    from datetime import date, datetime

    from finsam_core.audit.replay import replay_forbund, summary_text

    recorded_at = None
    try:
        if args.recorded_at:
            recorded_at = datetime.fromisoformat(args.recorded_at)
            if recorded_at.tzinfo is None:
                recorded_at = recorded_at.astimezone(UTC)
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        raise InvalidInput(
            "Datum och tid går inte att tolka: skriv --as-of som 2024-06-01 och --recorded-at som "
            "2024-06-01T12:00+02:00."
        ) from None
    print(summary_text(replay_forbund(_app(args.store), args.forbund, as_of=as_of, recorded_at=recorded_at)))
    return 0


def _no_events(org_nr: str) -> NotFound:
    """The refusal for a förbund with nothing in the store: an org nr mistyped more often than not."""
    return NotFound(f"Förbundet {org_nr} har inga händelser i lagret; kontrollera organisationsnumret.")


def _export(args: argparse.Namespace) -> int:
    from finsam_core.audit.export import export_audit

    app = _app(args.store)
    try:
        out = open(args.out, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InvalidInput(f"Exportfilen {args.out} går inte att skriva: {exc.strerror or exc}.") from exc
    try:
        with out:
            count = export_audit(app, args.forbund, out, whole_log=bool(getattr(args, "whole_log", False)))
        if count == 0:  # an empty export is not a copy an auditor should take for the förbund's records
            raise _no_events(args.forbund)
    except BaseException:
        Path(args.out).unlink(missing_ok=True)  # No half-written copy for the auditors.
        raise
    print(f"Exporterade {count} händelser för {args.forbund} till {args.out}", file=sys.stderr)
    return 0


class CommandParser(argparse.ArgumentParser):
    """argparse with its complaints as one Swedish sentence on stderr and exit 2 (no usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {_swedish(message)} ('{self.prog} --help' visar hur kommandot används).\n")


_ARGPARSE_PHRASES: Final = (
    (re.compile(r"the following arguments are required: (.+)"), "följande måste anges: {0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "okända argument: {0}"),
    (re.compile(r"argument (\S+): invalid choice: '([^']*)'.*"), "{0} känner inte till {1!r}"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '([^']*)'"), "{0} ska vara ett tal, inte {2!r}"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} behöver ett värde"),
    (re.compile(r"one of the arguments (.+) is required"), "ett av {0} måste anges"),
)


def _swedish(message: str) -> str:
    if match := re.fullmatch(r"argument command: invalid choice: '([^']*)'.*", message):
        return f"det finns inget kommando {match.group(1)!r}"
    for pattern, phrase in _ARGPARSE_PHRASES:
        if match := pattern.fullmatch(message):
            return phrase.format(*match.groups())
    return message


def _plugin_commands() -> dict[str, tuple[str, Callable[[list[str]], int]]]:
    """Commands other packages add to ``finsam`` (entry points ``finsam.commands``), e.g. the service's ``serve``.

    The core names no other package: the network service registers itself (pyproject.toml), so
    ``finsam --help`` lists ``serve``, ``project``, ``migrate`` and ``token`` where it is installed.
    """
    commands: dict[str, tuple[str, Callable[[list[str]], int]]] = {}
    for entry in entry_points(group="finsam.commands"):
        commands.update(entry.load())
    return commands


def _parser(plugins: Mapping[str, tuple[str, Callable[[list[str]], int]]] = {}) -> argparse.ArgumentParser:
    store = CommandParser(add_help=False)
    store.add_argument(
        "--store",
        default=argparse.SUPPRESS,
        help="store URL: memory:, sqlite:///path, postgresql://... (default: FINSAM_STORE or a SQLite file)",
    )
    parser = CommandParser(prog="finsam", description="Samordningsförbundens protokoll och ekonomi.", parents=[store])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser)
    for name, (summary, _) in sorted(plugins.items()):
        sub.add_parser(name, help=summary, add_help=False)
    demo = sub.add_parser(
        "demo",
        parents=[store],
        help="load the seed dataset (examples/seeds) into an empty store and print the Örnsköldsvik minutes",
    )
    demo.set_defaults(run=_demo)
    imp = sub.add_parser(
        "import", parents=[store], help="record files of the format (docs/file-format.md), all or nothing per file"
    )
    imp.add_argument("paths", nargs="+", metavar="PATH", help="a .toml file, or a directory of them")
    imp.add_argument("--actor", metavar="NAME", help="who is importing, recorded with each file (default: the OS user)")
    imp.set_defaults(run=_import)
    minutes = sub.add_parser("minutes", parents=[store], help="print a meeting's minutes")
    minutes.add_argument("--forbund", required=True, help="org nr, e.g. 222000-2279")
    minutes.add_argument("--meeting", required=True, help="the meeting's reference, e.g. 2024-05-30")
    minutes.add_argument("--format", choices=("text", "html", "pdf"), default="text")
    minutes.add_argument("--out", metavar="FILE", help="write to this file (needed for pdf)")
    minutes.set_defaults(run=_minutes)
    verify = sub.add_parser("verify", parents=[store], help="verify the audit trail of the store, or of an export file")
    verify.add_argument("--export", metavar="FILE.jsonl", help="verify this audit export on its own, no database")
    verify.add_argument(
        "--public-key", metavar="KEY", help="64 hex digits or a key file (default: the store's signing key)"
    )
    verify.add_argument(
        "--all-signatures", action="store_true", help="check every checkpoint's signature, not only the last"
    )
    verify.add_argument(
        "--known-head",
        action="append",
        metavar="POSITION:HASH",
        help="a checkpoint noted earlier; fails if the log was cut back",
    )
    verify.add_argument(
        "--witness",
        action="append",
        metavar="FILE|URL",
        help="a witness's file (finsam witness): fails unless the store still holds every head it saw",
    )
    verify.add_argument(
        "--print-public-key", action="store_true", help="print the public key that auditors need, and exit"
    )
    verify.add_argument(
        "--forbund",
        metavar="ORGNR",
        help="only this förbund, through its own chain (time grows with its events, not the store's)",
    )
    verify.set_defaults(run=_verify)
    wit = sub.add_parser(
        "witness",
        parents=[store],
        help="check that a store's latest signed head extends the one this witness saw; sign and keep it",
    )
    wit.add_argument("source", metavar="URL", help="the service (https://...) or a store URL (sqlite:///...)")
    wit.add_argument("--state", default="finsam-witness.json", help="the witness's file (default: %(default)s)")
    wit.add_argument("--key", help="the witness's own key (default: witness-key.pem beside the file, created)")
    wit.add_argument("--service-key", metavar="KEY", help="the store's public key, pinned on the first run")
    wit.set_defaults(run=_witness)
    rec = sub.add_parser(
        "recount", parents=[store], help="count a recorded vote again under another decision rule (records nothing)"
    )
    rec.add_argument("--forbund", required=True, help="org nr")
    rec.add_argument("--meeting", required=True, help="the meeting's reference, e.g. 2024-05-30")
    rec.add_argument("--paragraph", required=True, type=int, metavar="N", help="the paragraph (§) number")
    rec.add_argument(
        "--rule",
        required=True,
        help="simple, simple-no-casting-vote, two-thirds-of-cast or two-thirds-of-present",
    )
    rec.add_argument("--vote", type=int, metavar="K", help="the K:th vote of the paragraph (default: the last)")
    rec.set_defaults(run=_recount)
    replay = sub.add_parser(
        "replay", parents=[store], help="print a förbund as it stood on a date (and as recorded at a time)"
    )
    replay.add_argument("--forbund", required=True, help="org nr")
    replay.add_argument("--as-of", metavar="DATE", help="decided by this date, e.g. 2024-06-01 (default: everything)")
    replay.add_argument(
        "--recorded-at", metavar="TIME", help="only what was recorded by then, e.g. 2024-06-01T12:00+02:00"
    )
    replay.set_defaults(run=_replay)
    from finsam_core.documents.cli import add_commands

    add_commands(sub, store, _app, _export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``finsam``: every user error is one sentence on stderr and exit 2; never a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    plugins = _plugin_commands()
    at = next((i for i, arg in enumerate(argv) if arg in plugins), None)
    if at is not None:  # another package's command takes the rest of the line (its own options)
        return plugins[argv[at]][1](argv[at:])
    args = _parser(plugins).parse_args(argv)
    args.store = getattr(args, "store", None)  # before or after the command; absent: the default store
    try:
        return int(args.run(args))
    except FinsamError as exc:
        print(f"finsam: {exc}", file=sys.stderr)
        return 2
    except (eventsourcing.persistence.OperationalError, eventsourcing.persistence.InterfaceError) as exc:
        print(
            f"finsam: lagret {args.store or default_store_url()} går inte att nå: {_first_line(exc)}", file=sys.stderr
        )
        return 2
    except OSError as exc:
        print(f"finsam: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback only when asked for
        if os.environ.get("FINSAM_DEBUG"):
            raise
        print(
            f"finsam: oväntat fel ({type(exc).__name__}: {_first_line(exc)}); FINSAM_DEBUG=1 visar detaljerna",
            file=sys.stderr,
        )
        return 1


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
