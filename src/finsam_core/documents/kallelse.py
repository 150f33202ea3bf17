"""The kallelse (notice of a meeting) as text and PDF: time, place, agenda, the documents sent, the
recipients and the day it was sent, and whether that was later than the charter allows.

Read from the meeting's sheet (:class:`~finsam_core.projections.minutes_sheet.MinutesSheet`): the
last day is the charter's (:func:`~finsam_core.rules.calendar.kallelse_deadline`), the lateness the
domain's, recorded when the kallelse was.
"""

from __future__ import annotations

from finsam_core.documents.layout import MinutesPage
from finsam_core.projections.minutes_sheet import MinutesSheet

__all__ = ["kallelse_lines", "kallelse_pdf", "kallelse_text"]


def _when(sheet: MinutesSheet) -> str:
    when = sheet.held_on.isoformat()
    if sheet.opens_at:
        when += f" kl. {sheet.opens_at:%H:%M}"
        if sheet.closes_at:
            when += f"–{sheet.closes_at:%H:%M}"
    return when


def _status(sheet: MinutesSheet) -> str:
    k = sheet.kallelse
    if k.sent_on is None:
        return f"Ej skickad. Ska skickas senast {k.due_on.isoformat()} enligt förbundsordningen."
    if k.late:
        return (
            f"Skickad {k.sent_on.isoformat()} – för sent: förbundsordningen kräver att kallelsen skickas "
            f"senast {k.due_on.isoformat()}."
        )
    return f"Skickad {k.sent_on.isoformat()} (senast {k.due_on.isoformat()} enligt förbundsordningen)."


def kallelse_lines(sheet: MinutesSheet) -> list[tuple[str, str]]:
    """The kallelse's rows, label and value."""
    k = sheet.kallelse
    return [
        ("Tid", _when(sheet)),
        ("Plats", sheet.place),
        ("Ärenden", "\n".join(f"{i}. {item}" for i, item in enumerate(sheet.agenda, 1)) or "–"),
        ("Handlingar", "\n".join(k.documents) or "–"),
        ("Mottagare", "\n".join(k.recipients) or "–"),
        ("Kallelsen", _status(sheet)),
    ]


def kallelse_text(sheet: MinutesSheet) -> str:
    """The kallelse as text."""
    lines = [
        "KALLELSE",
        f"{sheet.forbund} (org nr {sheet.org_nr})",
        f"{sheet.organ} kallas till sammanträde {sheet.reference}",
        "",
    ]
    for label, value in kallelse_lines(sheet):
        head, *rest = value.split("\n")
        lines += [f"{label}: {head}", *(f"  {line}" for line in rest)]
    return "\n".join(lines) + "\n"


def kallelse_pdf(sheet: MinutesSheet) -> bytes:
    """The kallelse as PDF."""
    title = f"KALLELSE {sheet.organ} {sheet.reference}"
    with MinutesPage(sheet.forbund, title, sheet.held_on, signature_box=False) as pdf:
        pdf.add_page()
        pdf.heading(f"Kallelse till {sheet.organ.lower()}s sammanträde {sheet.reference}", size=14)
        pdf.para(f"{sheet.forbund} (org nr {sheet.org_nr})")
        pdf.fields(kallelse_lines(sheet))
        return pdf.finish()
