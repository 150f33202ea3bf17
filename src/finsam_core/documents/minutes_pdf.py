"""The minutes as PDF, in the layout of a förbund's real minutes (seed ``002_*``).

The front page: time and place, beslutande with their members, övriga närvarande, who adjusts and
when, the signatures with the hash each one signed, and the BEVIS (anslagsbevis). Then the
paragraphs: heading, body, information, votes as an omröstningslista with the outcome in words,
decisions as "att"-clauses, reservations verbatim. Every page: "Sid N(M)" and "Justerandes signatur".
"""

from __future__ import annotations

from collections.abc import Iterable

from finsam_core.documents.layout import FONT, MinutesPage, fmt_date
from finsam_core.domain.minutes import DECISION_HEADING
from finsam_core.projections.minutes_sheet import MinutesSheet, SheetParagraph, SheetPerson, SheetVote

__all__ = ["bevis_rows", "front_rows", "minutes_pdf", "person", "write_paragraph"]

STORAGE_PLACE = "Förbundets kansli"
"""Förvaringsplats för protokollet: not yet recorded by the domain, so the layout's default."""


def person(p: SheetPerson) -> str:
    """ "Ordförande Jan-Olov Häggström RVN", "Mats Helli ersättare RVN", "Peter Vigren NNS (§ 42)"."""
    member = f" {p.member}" if p.member else ""
    paragraphs = f" (§ {', '.join(str(n) for n in p.paragraphs)})" if p.paragraphs else ""
    if p.role == "Ordförande":
        return f"{p.role} {p.name}{member}{paragraphs}"
    if p.role.startswith("tjänstgörande"):
        return f"{p.name}{member}, {p.role}{paragraphs}"
    return f"{p.name}{' ' + p.role if p.role else ''}{member}{paragraphs}"


def _when(sheet: MinutesSheet) -> str:
    when = sheet.held_on.isoformat()
    if sheet.opens_at and sheet.closes_at:
        when += f", {sheet.opens_at:%H:%M}–{sheet.closes_at:%H:%M}"
    return f"{sheet.place}, {when}"


def _adjustment(sheet: MinutesSheet) -> str:
    if sheet.adjusted_on is not None:
        late = " (senare än 14 dagar efter sammanträdet)" if sheet.adjustment_late else ""
        return f"Justerat {sheet.adjusted_on.isoformat()} genom digital signering{late}"
    return f"Ej justerat (utkast). Ska justeras senast {sheet.adjust_by.isoformat()}"


def _signature_lines(sheet: MinutesSheet, role: str, names: Iterable[str]) -> str:
    lines = []
    for name in names:
        signed = [s for s in sheet.signatures if s.role == role]
        lines.append(name)
        for s in signed:
            lines.append(f"Signerat {s.signed_at:%Y-%m-%d %H:%M} av {s.name}, SHA-256 {s.sha256.upper()}")
        if not signed:
            lines.append("Ej signerat")
    return "\n".join(lines) or "–"


def front_rows(sheet: MinutesSheet) -> list[tuple[str, str]]:
    """The front page's rows, label and value, as the seed minutes write them."""
    return [
        ("Plats och tid", _when(sheet)),
        ("Beslutande", "\n".join(person(p) for p in sheet.deciding) or "–"),
        ("Övriga närvarande", "\n".join(person(p) for p in sheet.others) or "–"),
        ("Utses att justera", ", ".join(sheet.adjusters) or "–"),
        ("Justeringens tid och plats", _adjustment(sheet)),
        ("Paragrafer", sheet.paragraph_range),
    ]


def _signature_rows(sheet: MinutesSheet) -> list[tuple[str, str]]:
    return [
        (
            "Underskrifter Sekreterare",
            _signature_lines(sheet, "sekreterare", [sheet.secretary] if sheet.secretary else []),
        ),
        ("Ordförande", _signature_lines(sheet, "ordförande", [sheet.chair] if sheet.chair else [])),
        ("Justerande", _signature_lines(sheet, "justerare", sheet.adjusters)),
    ]


def bevis_rows(sheet: MinutesSheet) -> list[tuple[str, str]]:
    """The BEVIS (anslagsbevis): the notice that the minutes are adjusted, and the appeal period."""
    notice = sheet.notice
    posted = "Ej uppsatt" if notice is None else f"{notice.posted_on.isoformat()} ({notice.place})"
    if notice is not None and notice.late:
        posted += ", senare än andra dagen efter justeringen"
    down = "–"
    if notice is not None:
        down = (
            f"{notice.taken_down_on.isoformat()}"
            if notice.taken_down_on
            else f"tidigast {notice.appeal_ends_on.isoformat()}"
        )
    return [
        ("Instans", f"{sheet.organ}, {sheet.forbund}"),
        ("Sammanträdesdatum", sheet.held_on.isoformat()),
        ("Datum för anslags uppsättande", posted),
        ("Datum för anslags nedtagande", down),
        ("Sista dag att överklaga", fmt_date(notice.appeal_ends_on if notice else None)),
        ("Förvaringsplats för protokollet", STORAGE_PLACE),
        ("Underskrift", "Digital signering" if sheet.signatures else "–"),
    ]


def _vote(pdf: MinutesPage, vote: SheetVote) -> None:
    needed = 24 + 7 * (len(vote.ballots) + 2)  # the proposal and the whole list on one page, as on paper
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.para("Omröstning vidtog.")
    pdf.para(f"Förslag: {vote.proposal}", style="I")
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(60, 40, 18, 18, 18), text_align=("LEFT", "LEFT", "CENTER", "CENTER", "CENTER")) as table:
        head = table.row()
        for text in ("Omröstningslista", "Ledamot för", "Ja", "Nej", "Avstår"):
            head.cell(text)
        for ballot in vote.ballots:
            row = table.row()
            row.cell(ballot.name)
            row.cell(ballot.member or "–")
            for word in ("ja", "nej", "avstår"):
                row.cell("X" if ballot.ballot == word else "")
        total = table.row()
        total.cell("Summa")
        total.cell("")
        for count in (vote.yes, vote.no, vote.abstain):
            total.cell(str(count))
    pdf.ln(2)
    pdf.para(f"Beslutsregel: {vote.rule}. Utfall: {vote.outcome}")


def write_paragraph(pdf: MinutesPage, p: SheetParagraph) -> None:
    """One paragraph: heading, body and its entries in the order recorded."""
    pdf.heading(f"§ {p.number} {p.title}")
    if p.body:
        pdf.para(p.body)
    for entry in p.entries:
        if entry.vote is not None:
            _vote(pdf, entry.vote)
        elif entry.kind == "decision":
            pdf.para(DECISION_HEADING, style="B")
            for line in entry.lines:
                pdf.para(line)
        elif entry.kind == "reservation":
            pdf.para(entry.lines[0])
            if entry.quote:
                pdf.para(f"”{entry.quote}”", style="I")
        else:
            for line in entry.lines:
                pdf.para(line)
    for line in p.corrections:
        pdf.para(line, style="B")
    pdf.ln(2)


def minutes_pdf(sheet: MinutesSheet) -> bytes:
    """The minutes as PDF bytes (see the module's docstring)."""
    title = "PROTOKOLL" if sheet.final else "PROTOKOLL – UTKAST, EJ JUSTERAT"
    with MinutesPage(sheet.forbund, f"{title} {sheet.organ} {sheet.reference}", sheet.held_on) as pdf:
        _write_minutes(pdf, sheet)
        return pdf.finish()


def _write_minutes(pdf: MinutesPage, sheet: MinutesSheet) -> None:
    pdf.add_page()
    pdf.heading(f"{sheet.organ}s sammanträde {sheet.reference}", size=14)
    pdf.para(f"{sheet.forbund} (org nr {sheet.org_nr})")
    pdf.fields(front_rows(sheet))
    pdf.fields(_signature_rows(sheet))
    pdf.heading("BEVIS", size=11)
    pdf.para("Justeringen har tillkännagivits genom anslag", size=9)
    pdf.fields(bevis_rows(sheet))
    if sheet.agenda:
        pdf.heading("Dagordning", size=11)
        pdf.para("\n".join(f"{i}. {item}" for i, item in enumerate(sheet.agenda, 1)))
    pdf.add_page()
    for paragraph in sheet.paragraphs:
        write_paragraph(pdf, paragraph)
    pdf.heading("Signering", size=11)
    pdf.para("Följande parter har signerat detta dokument", size=9)
    for s in sheet.signatures:
        text = f"Namn: {s.name} ({s.role})\nDatum: {s.signed_at:%Y-%m-%d %H:%M}"
        text += f"\nSHA-256 för protokollet: {s.sha256.upper()}"
        if s.document_sha256:
            text += f"\nSHA-256 för signerat dokument: {s.document_sha256.upper()}"
        pdf.para(text, size=8)
