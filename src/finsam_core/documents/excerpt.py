"""The protokollsutdrag: some paragraphs of adjusted minutes, certified, as text and as PDF.

An excerpt shows the front matter it needs (förbund, organ, date, place, who was present and who
adjusted), the chosen paragraphs as the minutes hold them, the SHA-256 of the adjusted minutes it
was taken from (the hash every signature in the trail holds, so anyone can check it) and the
utdragsbestyrkande: who certifies that it agrees with the minutes, and when. Minutes not yet
adjusted give no excerpt (:class:`~finsam_core.errors.ExcerptNotAllowed`); nothing is recorded
either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from finsam_core.documents.layout import MinutesPage
from finsam_core.documents.minutes_pdf import person, write_paragraph
from finsam_core.domain.minutes import DECISION_HEADING
from finsam_core.errors import ExcerptNotAllowed
from finsam_core.projections.minutes_sheet import MinutesSheet, SheetParagraph

__all__ = ["excerpt_pdf", "excerpt_text", "require_adjusted"]


def require_adjusted(sheet: MinutesSheet, numbers: Sequence[int]) -> list[SheetParagraph]:
    """The paragraphs ``numbers`` of adjusted minutes; refused in Swedish otherwise."""
    if not sheet.final:
        raise ExcerptNotAllowed(
            f"Protokollsutdrag kan bara tas ur justerade protokoll: protokollet {sheet.reference} för "
            f"{sheet.forbund} är inte justerat (kommunallagen 5 kap. 69 §)."
        )
    if not numbers:
        raise ExcerptNotAllowed("Ange minst en paragraf (§) att ta med i protokollsutdraget.")
    held = {p.number: p for p in sheet.paragraphs}
    missing = [n for n in numbers if n not in held]
    if missing:
        raise ExcerptNotAllowed(
            f"Protokollet {sheet.reference} har ingen § {', '.join(str(n) for n in missing)} "
            f"(det omfattar §§ {sheet.paragraph_range})."
        )
    return [held[n] for n in sorted(set(numbers))]


def _front(sheet: MinutesSheet) -> list[tuple[str, str]]:
    return [
        ("Sammanträdesdatum", sheet.held_on.isoformat()),
        ("Plats", sheet.place),
        ("Beslutande", ", ".join(person(p) for p in sheet.deciding) or "–"),
        ("Ordförande", sheet.chair or "–"),
        ("Sekreterare", sheet.secretary or "–"),
        ("Justerande", ", ".join(sheet.adjusters) or "–"),
        ("Justerat", sheet.adjusted_on.isoformat() if sheet.adjusted_on else "–"),
    ]


def _certification(sheet: MinutesSheet, certified_by: str, certified_on: date) -> list[str]:
    return [
        "Utdragsbestyrkande",
        f"Utdraget överensstämmer med det justerade protokollet {sheet.reference}.",
        f"Bestyrkt {certified_on.isoformat()} av {certified_by}.",
        f"SHA-256 för det justerade protokollet: {sheet.sha256.upper()}",
    ]


def _paragraph_text(p: SheetParagraph) -> list[str]:
    lines = ["", f"§ {p.number} {p.title}"]
    if p.body:
        lines += ["", p.body]
    for entry in p.entries:
        if entry.vote is not None:
            v = entry.vote
            lines += ["", "Omröstning vidtog.", f"Förslag: {v.proposal}", "Omröstningslista:"]
            lines += [f"  {b.name}{' ' + b.member if b.member else ''}: {b.ballot}" for b in v.ballots]
            lines.append(f"Beslutsregel: {v.rule}. Utfall: {v.outcome}")
        elif entry.kind == "decision":
            lines += ["", DECISION_HEADING, "", *entry.lines]
        elif entry.kind == "reservation":
            lines += ["", *entry.lines] + (["", f"”{entry.quote}”"] if entry.quote else [])
        else:
            lines += ["", *entry.lines]
    return lines


def excerpt_text(sheet: MinutesSheet, numbers: Sequence[int], certified_by: str, certified_on: date) -> str:
    """The excerpt as text (see the module's docstring)."""
    paragraphs = require_adjusted(sheet, numbers)
    lines = [
        "PROTOKOLLSUTDRAG",
        f"{sheet.forbund} (org nr {sheet.org_nr})",
        f"{sheet.organ}s sammanträde {sheet.reference}",
        "",
        *(f"{label}: {value}" for label, value in _front(sheet)),
    ]
    for p in paragraphs:
        lines += _paragraph_text(p)
    lines += ["", *_certification(sheet, certified_by, certified_on)]
    return "\n".join(lines) + "\n"


def excerpt_pdf(sheet: MinutesSheet, numbers: Sequence[int], certified_by: str, certified_on: date) -> bytes:
    """The excerpt as PDF (see the module's docstring)."""
    paragraphs = require_adjusted(sheet, numbers)
    title = f"PROTOKOLLSUTDRAG {sheet.organ} {sheet.reference}"
    with MinutesPage(sheet.forbund, title, sheet.held_on, certification_box=True) as pdf:
        _write_excerpt(pdf, sheet, paragraphs, certified_by, certified_on)
        return pdf.finish()


def _write_excerpt(
    pdf: MinutesPage, sheet: MinutesSheet, paragraphs: list[SheetParagraph], certified_by: str, certified_on: date
) -> None:
    pdf.add_page()
    pdf.heading(f"Protokollsutdrag – {sheet.organ}s sammanträde {sheet.reference}", size=13)
    pdf.para(f"{sheet.forbund} (org nr {sheet.org_nr})")
    pdf.fields(_front(sheet))
    for p in paragraphs:
        write_paragraph(pdf, p)
    certification = _certification(sheet, certified_by, certified_on)
    pdf.heading(certification[0], size=11)
    pdf.para("\n".join(certification[1:]), size=9)
