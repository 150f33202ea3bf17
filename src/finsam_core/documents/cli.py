"""The ``finsam`` commands that write documents: ``minutes --format``, ``excerpt``, ``export KIND`` and
``deadlines``. Each reads the views (:func:`~finsam_core.documents.reading.views_of`) and renders;
none records anything.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from finsam_core.application import Finsam
from finsam_core.documents.excerpt import excerpt_pdf, excerpt_text
from finsam_core.documents.exports import EXPORTS, export_table, table_csv, table_xlsx
from finsam_core.documents.kallelse import kallelse_pdf, kallelse_text
from finsam_core.documents.minutes_html import minutes_html
from finsam_core.documents.minutes_pdf import minutes_pdf
from finsam_core.documents.reading import meeting_row, views_of
from finsam_core.errors import InvalidInput
from finsam_core.projections.clock import Deadline, deadlines
from finsam_core.values import validate_org_nr

__all__ = ["add_commands", "deadlines_text", "run_minutes"]

AppFactory = Callable[[str | None], Finsam]


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option} {text!r} går inte att tolka: skriv datumet som 2024-06-01.") from None


def _write(data: bytes | str, out: str | None, *, binary: bool) -> None:
    if out is None:
        if binary:
            raise InvalidInput("Ange --out FIL: PDF och XLSX skrivs till en fil, inte till terminalen.")
        sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
        return
    try:
        Path(out).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise InvalidInput(f"Filen {out} går inte att skriva: {exc.strerror or exc}.") from exc
    print(f"Skrev {out}", file=sys.stderr)


def run_minutes(app: Finsam, args: argparse.Namespace) -> int:
    """``finsam minutes``: text (as before), HTML or PDF."""
    if args.format == "text":
        _write(app.minutes_text(args.forbund, args.meeting) + "\n", args.out, binary=False)
        return 0
    sheet = meeting_row(views_of(app), args.forbund, args.meeting).sheet
    if args.format == "html":
        _write(minutes_html(sheet), args.out, binary=False)
    else:
        _write(minutes_pdf(sheet), args.out, binary=True)
    return 0


def _excerpt(app: Finsam, args: argparse.Namespace) -> int:
    sheet = meeting_row(views_of(app), args.forbund, args.meeting).sheet
    certified_on = _day(args.certified_on, "--certified-on") or date.today()
    if args.format == "pdf":
        _write(excerpt_pdf(sheet, args.paragraph, args.certified_by, certified_on), args.out, binary=True)
    else:
        _write(excerpt_text(sheet, args.paragraph, args.certified_by, certified_on), args.out, binary=False)
    return 0


def _kallelse(app: Finsam, args: argparse.Namespace) -> int:
    sheet = meeting_row(views_of(app), args.forbund, args.meeting).sheet
    if args.format == "pdf":
        _write(kallelse_pdf(sheet), args.out, binary=True)
    else:
        _write(kallelse_text(sheet), args.out, binary=False)
    return 0


def _export(app: Finsam, args: argparse.Namespace) -> int:
    if args.kind is None:
        raise InvalidInput(f"Ange vad som ska exporteras: {', '.join(EXPORTS)}, eller --audit.")
    org_nr = validate_org_nr(args.forbund) if args.forbund else None
    table = export_table(
        views_of(app), args.kind, year=args.year, as_of=_day(args.as_of, "--as-of"), org_nr=org_nr, drafts=True
    )
    if args.format == "xlsx":
        _write(table_xlsx(table), args.out, binary=True)
    else:
        data = table_csv(table)
        _write(data if args.out else data.decode("utf-8-sig"), args.out, binary=args.out is not None)
    return 0


def deadlines_text(items: list[Deadline]) -> str:
    """One line per item: date, status, förbund, what, and the legal source."""
    if not items:
        return "Inga frister.\n"
    lines = [
        f"{i.due_on.isoformat()}  {i.status.value:<9} {i.forbund}: {i.subject} ({i.source})"
        + (f", klart {i.met_on.isoformat()}" if i.met_on else "")
        for i in items
    ]
    return "\n".join(lines) + "\n"


def _deadlines(app: Finsam, args: argparse.Namespace) -> int:
    org_nr = validate_org_nr(args.forbund) if args.forbund else None
    as_of = _day(args.as_of, "--as-of") or date.today()
    sys.stdout.write(deadlines_text(deadlines(views_of(app), as_of, org_nr, drafts=True)))
    return 0


def add_commands(
    sub: argparse._SubParsersAction[Any],
    store: argparse.ArgumentParser,
    app: AppFactory,
    audit_export: Callable[[argparse.Namespace], int],
) -> None:
    """Add ``excerpt``, ``export`` and ``deadlines`` to the ``finsam`` parser."""

    def runs(handler: Callable[[Finsam, argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        return lambda args: handler(app(args.store), args)

    exc = sub.add_parser("excerpt", parents=[store], help="write a protokollsutdrag of adjusted minutes")
    exc.add_argument("--forbund", required=True, help="org nr")
    exc.add_argument("--meeting", required=True, help="the meeting's reference, e.g. 2024-05-30")
    exc.add_argument("--paragraph", required=True, type=int, action="append", metavar="N", help="§ (repeatable)")
    exc.add_argument("--certified-by", required=True, metavar="NAME", help="who certifies the excerpt")
    exc.add_argument("--certified-on", metavar="DATE", help="the day of the certification (default: today)")
    exc.add_argument("--format", choices=("text", "pdf"), default="text")
    exc.add_argument("--out", metavar="FILE")
    exc.set_defaults(run=runs(_excerpt))

    kal = sub.add_parser("kallelse", parents=[store], help="write a meeting's kallelse (notice of the meeting)")
    kal.add_argument("--forbund", required=True, help="org nr")
    kal.add_argument("--meeting", required=True, help="the meeting's reference")
    kal.add_argument("--format", choices=("text", "pdf"), default="text")
    kal.add_argument("--out", metavar="FILE")
    kal.set_defaults(run=runs(_kallelse))

    export = sub.add_parser(
        "export", parents=[store], help="write an export (fees, roster, budget, decisions, participants) or --audit"
    )
    export.add_argument("kind", nargs="?", choices=tuple(EXPORTS), help="what to export")
    export.add_argument("--audit", action="store_true", help="a förbund's audit export (JSON lines) for the auditors")
    export.add_argument(
        "--whole-log",
        action="store_true",
        help="with --audit: walk the whole log (format 1, the others' events as leaves) instead of the förbund's chain",
    )
    export.add_argument("--forbund", help="org nr")
    export.add_argument("--year", type=int)
    export.add_argument("--as-of", metavar="DATE")
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--out", metavar="FILE")

    def run_export(args: argparse.Namespace) -> int:
        if args.audit:
            if not args.forbund or not args.out:
                raise InvalidInput("Revisionsexporten behöver --forbund och --out.")
            return audit_export(args)
        return _export(app(args.store), args)

    export.set_defaults(run=run_export)

    dl = sub.add_parser("deadlines", parents=[store], help="what is due and overdue: the statutory clock")
    dl.add_argument("--forbund", help="org nr (default: every förbund NNS knows)")
    dl.add_argument("--as-of", metavar="DATE", help="the day (default: today)")
    dl.set_defaults(run=runs(_deadlines))
