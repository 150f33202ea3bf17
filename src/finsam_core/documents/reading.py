"""Where the documents find their read models from the library and the CLI: the views kept in memory.

The service reads the same rows from PostgreSQL; the library follows the log into
:class:`~finsam_core.projections.memory.MemoryViews` (the same projection, the same rows).
"""

from __future__ import annotations

from finsam_core.application import Finsam
from finsam_core.errors import NotFound
from finsam_core.projections.memory import MemoryViews, follow
from finsam_core.projections.records import RecordsProjection
from finsam_core.projections.rows import MeetingRow
from finsam_core.values import validate_org_nr

__all__ = ["meeting_row", "views_of"]


def views_of(app: Finsam) -> MemoryViews:
    """The views of everything ``app``'s store holds."""
    views = MemoryViews()
    follow(app, RecordsProjection(app), views)
    return views


def meeting_row(views: MemoryViews, org_nr: str, reference: str) -> MeetingRow:
    """The meeting's row; :class:`NotFound` in Swedish when there is none."""
    org_nr = validate_org_nr(org_nr)
    for row in views.meetings(org_nr):
        if row.reference == reference:
            return row
    raise NotFound(f"Det finns inget sammanträde {reference} för förbundet {org_nr}.")
