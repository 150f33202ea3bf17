"""The minutes as one self-contained HTML page (no outside assets), in the layout of the PDF.

The same rows as :mod:`~finsam_core.documents.minutes_pdf` (front page, signatures, BEVIS, then the
paragraphs), escaped; print CSS gives "Sid N(M)" where the browser supports page counters.
"""

from __future__ import annotations

from html import escape

from finsam_core.documents.minutes_pdf import bevis_rows, front_rows
from finsam_core.domain.minutes import DECISION_HEADING
from finsam_core.projections.minutes_sheet import MinutesSheet, SheetParagraph, SheetVote

__all__ = ["minutes_html"]

_STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:10pt;max-width:48em;margin:2em auto}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
td,th{border-top:1px solid #999;padding:.2em .4em;vertical-align:top;text-align:left}
th{width:14em}.vote td,.vote th{width:auto;border:1px solid #999}.vote .x{text-align:center}
blockquote{font-style:italic;margin:.5em 2em}.sig{font-size:8pt}
@page{size:A4;margin:18mm 20mm 30mm;@top-right{content:"Sid " counter(page) "(" counter(pages) ")"}
@bottom-left{content:"Justerandes signatur"}}
"""


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value).replace(chr(10), '<br>')}</td></tr>" for label, value in rows
    )
    return f"<table>{cells}</table>"


def _vote(vote: SheetVote) -> str:
    rows = "".join(
        f"<tr><td>{escape(b.name)}</td><td>{escape(b.member or '–')}</td>"
        + "".join(f'<td class="x">{"X" if b.ballot == w else ""}</td>' for w in ("ja", "nej", "avstår"))
        + "</tr>"
        for b in vote.ballots
    )
    return (
        f"<p>Omröstning vidtog.</p><p><em>Förslag: {escape(vote.proposal)}</em></p>"
        '<table class="vote"><tr><th>Omröstningslista</th><th>Ledamot för</th><th>Ja</th><th>Nej</th>'
        f"<th>Avstår</th></tr>{rows}<tr><td>Summa</td><td></td><td class=x>{vote.yes}</td>"
        f"<td class=x>{vote.no}</td><td class=x>{vote.abstain}</td></tr></table>"
        f"<p>Beslutsregel: {escape(vote.rule)}. Utfall: {escape(vote.outcome)}</p>"
    )


def _paragraph(p: SheetParagraph) -> str:
    parts = [f'<section id="p{p.number}"><h2>§ {p.number} {escape(p.title)}</h2>']
    if p.body:
        parts.append(f"<p>{escape(p.body)}</p>")
    for entry in p.entries:
        if entry.vote is not None:
            parts.append(_vote(entry.vote))
        elif entry.kind == "decision":
            parts.append(f"<h3>{DECISION_HEADING}</h3>" + "".join(f"<p>{escape(line)}</p>" for line in entry.lines))
        elif entry.kind == "reservation":
            parts.append(f"<p>{escape(entry.lines[0])}</p>")
            if entry.quote:
                parts.append(f"<blockquote>”{escape(entry.quote)}”</blockquote>")
        else:
            parts.extend(f"<p>{escape(line)}</p>" for line in entry.lines)
    parts.extend(f"<p><strong>{escape(line)}</strong></p>" for line in p.corrections)
    return "".join(parts) + "</section>"


def minutes_html(sheet: MinutesSheet) -> str:
    """The minutes as an HTML document (see the module's docstring)."""
    title = f"Protokoll {sheet.organ} {sheet.reference} – {sheet.forbund}"
    signatures = "".join(
        f'<p class="sig">Namn: {escape(s.name)} ({escape(s.role)})<br>Datum: {s.signed_at:%Y-%m-%d %H:%M}<br>'
        f"SHA-256 för protokollet: {s.sha256.upper()}</p>"
        for s in sheet.signatures
    )
    status = "" if sheet.final else "<p><strong>Utkast – protokollet är inte justerat.</strong></p>"
    return (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(sheet.organ)}s sammanträde {escape(sheet.reference)}</h1>"
        f"<p>{escape(sheet.forbund)} (org nr {escape(sheet.org_nr)})</p>{status}</header>"
        f"{_rows(front_rows(sheet))}<h2>BEVIS</h2><p>Justeringen har tillkännagivits genom anslag</p>"
        f"{_rows(bevis_rows(sheet))}"
        + "".join(_paragraph(p) for p in sheet.paragraphs)
        + f"<h2>Signering</h2>{signatures}</body></html>\n"
    )
