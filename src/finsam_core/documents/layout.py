"""The page of a förbund's minutes as PDF: the DejaVu fonts shipped in the package, the header with
"Sid N(M)" and the footer with "Justerandes signatur" on every page (fpdf2, pure Python).

fpdf2 needs no system library, so the PDF renders on a machine with only Python. The fonts are DejaVu
Sans (``fonts/LICENSE``) cut down with fontTools' ``pyftsubset`` to Latin-1, Latin Extended-A and the
general punctuation (``U+0020-007E,U+00A0-017F,U+2010-2027,U+2030-203A,U+20AC,U+2212,U+2264,U+2265``):
å, ä, ö, §, the typographic quotes and dashes minutes use. A whole DejaVu file takes fpdf2 some
300 ms to parse on each document; the subset a few.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Final

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

__all__ = ["FONT", "MinutesPage", "fmt_date"]

FONT: Final = "DejaVu"
_FONTS: Final = Path(__file__).parent / "fonts"
_BOLD: Final = FontFace(emphasis="BOLD")


def fmt_date(day: date | None) -> str:
    return day.isoformat() if day is not None else "–"


class MinutesPage(FPDF):
    """An A4 page of minutes: ``title`` and the förbund top left, the date and "Sid N(M)" top right,
    "Justerandes signatur" (and, when asked, "Utdragsbestyrkande") at the foot of every page."""

    def __init__(
        self, forbund: str, title: str, held_on: date, *, certification_box: bool = False, signature_box: bool = True
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.forbund = forbund
        self.doc_title = title
        self.held_on = held_on
        self.certification_box = certification_box
        self.signature_box = signature_box
        for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf")):
            self.add_font(FONT, style, str(_FONTS / file))
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=32)
        self.set_title(f"{title} {forbund} {held_on.isoformat()}")
        self.set_creator("finsam")
        # The meeting's day, not the clock: the same minutes give the same bytes.
        self.set_creation_date(datetime.combine(held_on, time(0), UTC))

    def __enter__(self) -> MinutesPage:
        return self

    def __exit__(self, *_: object) -> None:
        """Close the font files fontTools keeps open (it reads them lazily)."""
        for font in self.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()

    def finish(self) -> bytes:
        """The document's bytes."""
        return bytes(self.output())

    def header(self) -> None:
        self.set_font(FONT, "B", 11)
        self.cell(110, 5, self.forbund)
        self.set_font(FONT, "", 9)
        self.cell(0, 5, f"Sid {self.page_no()}({{nb}})", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.cell(110, 5, self.doc_title)
        self.cell(0, 5, f"Sammanträdesdatum {self.held_on.isoformat()}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)

    def footer(self) -> None:
        if not self.signature_box:
            return
        self.set_y(-28)
        self.set_font(FONT, "", 8)
        width = (self.w - self.l_margin - self.r_margin) / 2
        y = self.get_y()
        self.rect(self.l_margin, y, width - 4, 14)
        self.set_xy(self.l_margin + 1, y + 1)
        self.cell(width - 6, 4, "Justerandes signatur")
        if self.certification_box:
            self.rect(self.l_margin + width, y, width, 14)
            self.set_xy(self.l_margin + width + 1, y + 1)
            self.cell(width - 2, 4, "Utdragsbestyrkande")

    # --- building blocks the documents share ------------------------------------------------

    def heading(self, text: str, size: float = 12) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def para(self, text: str, *, style: str = "", size: float = 10) -> None:
        """A paragraph of running text, left aligned, broken into lines at spaces.

        The lines are fitted here, word by word, and each written as one cell: fpdf2's own
        ``multi_cell`` measures a line again for every character it adds (some 0.4 s for twenty
        paragraphs of minutes); a word wider than the page still goes through ``multi_cell``.
        """
        self.set_font(FONT, style, size)
        for line in self._lines(text):
            if self.get_string_width(line) > self.epw:
                self.multi_cell(0, 5, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                self.cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def _lines(self, text: str) -> list[str]:
        space = self.get_string_width(" ")
        lines = []
        for part in text.split("\n"):
            line: list[str] = []
            width = 0.0
            for word in part.split(" "):
                word_width = self.get_string_width(word)
                if line and width + space + word_width > self.epw:
                    lines.append(" ".join(line))
                    line, width = [word], word_width
                else:
                    width += word_width + (space if line else 0.0)
                    line.append(word)
            lines.append(" ".join(line))
        return lines

    def fields(self, rows: list[tuple[str, str]], label_width: float = 48) -> None:
        """A front-page block: a label column and a value column, lines between the rows."""
        self.set_font(FONT, "", 9)
        with self.table(
            col_widths=(label_width, self.epw - label_width),
            first_row_as_headings=False,
            line_height=5,
            text_align="LEFT",
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(label, style=_BOLD)
                row.cell(value)
        self.ln(3)
