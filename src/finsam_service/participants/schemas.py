"""Request and response bodies for participant breakdowns: counts per category, never a person."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.domain.participant_breakdowns import Dimension, Population
from finsam_core.projections.published_participants import ShownBreakdown
from finsam_service.inputs import Body, Count, Items, Line

__all__ = ["BreakdownIn", "BreakdownsReport", "ParticipantBreakdowns"]


class BreakdownIn(Body, frozen=True, forbid_unknown_fields=True):
    """``cells``: category -> count; a kommun by its member name ("Karlskoga kommun"), the other
    dimensions by the words in docs/file-format.md (``16-29``, ``forsorjningsstod``, ``0-3``, ...)."""

    dimension: Dimension
    population: Population
    cells: Annotated[dict[Line, Count], Items]


class BreakdownsReport(Body, frozen=True, forbid_unknown_fields=True):
    """The year's breakdowns; they replace those reported before."""

    breakdowns: Annotated[list[BreakdownIn], Items]
    reported_on: date | None = None


class ParticipantBreakdowns(msgspec.Struct, frozen=True):
    """The year's breakdowns as every read shows them: a cell is a count, ``"<5"`` or ``".."``."""

    org_nr: str
    year: int
    breakdowns: tuple[ShownBreakdown, ...]
