"""Renderings of read models: the minutes as text, HTML and PDF, the protokollsutdrag, the exports.

Every function here lays out what a view holds (:mod:`finsam_core.projections`): the minutes'
:class:`~finsam_core.projections.minutes_sheet.MinutesSheet`, the fee list's rows, the roster. They
compute no rule of their own; a date, an amount or an outcome they show is the view's.
"""

from __future__ import annotations

from finsam_core.documents.excerpt import excerpt_pdf, excerpt_text, require_adjusted
from finsam_core.documents.kallelse import kallelse_pdf, kallelse_text
from finsam_core.documents.minutes_html import minutes_html
from finsam_core.documents.minutes_pdf import minutes_pdf

__all__ = [
    "excerpt_pdf",
    "excerpt_text",
    "kallelse_pdf",
    "kallelse_text",
    "minutes_html",
    "minutes_pdf",
    "require_adjusted",
]
