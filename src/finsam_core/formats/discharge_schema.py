"""The discharge kinds of the file format: a förbund's auditors, and one member's discharge step.

``revisorer``: the auditors each member appointed, with their terms. ``ansvarsfrihet``: one step
of a member's handling of discharge (a proposal or the decision) that may cover several förbund at
once, as Region Örebro län's committee did for four förbund on 2021-06-01 (`001_*`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from finsam_core.formats.base import NonEmpty, OrgNr, _Doc

__all__ = ["Ansvarsfrihetssteg", "Revisor", "Revisorer"]

Year = Annotated[int, msgspec.Meta(ge=2004, le=2200)]
Organtyp = Literal["utskott", "styrelse", "fullmaktige", "myndighet"]
Steg = Literal["forslag", "beslut"]


class Revisor(_Doc):
    namn: NonEmpty
    medlem: NonEmpty
    """The appointing member's short name (``kortnamn``)."""
    slag: Literal["auktoriserad", "fortroendevald"]
    fran: date
    till: date
    utsedd_av: str = ""


class Revisorer(_Doc, tag="revisorer", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """The auditors of one förbund, each appointed by a member for a term."""

    forbund: OrgNr
    revisor: Annotated[list[Revisor], msgspec.Meta(min_length=1)]


class Ansvarsfrihetssteg(_Doc, tag="ansvarsfrihet", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """One member's proposal or decision on discharge for the boards of one or more förbund."""

    medlem: NonEmpty
    """The member's full name as the förbund name it (``Region Örebro län``)."""
    ar: Year
    steg: Steg
    organ: NonEmpty
    organtyp: Organtyp
    beteckning: NonEmpty
    datum: date
    beviljad: bool
    """A proposal: whether it proposes to grant; a decision: whether it grants."""
    forbund: Annotated[list[OrgNr], msgspec.Meta(min_length=1)]
    ovriga_forbund: list[NonEmpty] = msgspec.field(default_factory=list)
    """Förbund the same handling names that are not registered here (kept for the reader)."""
