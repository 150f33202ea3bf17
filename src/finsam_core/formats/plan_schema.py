"""The ``verksamhetsplan`` kind of the file format: a plan, its goals and indicators, and its follow-ups.

Target and measured values are numbers written as TOML integers (``40``) or, with a fraction, as text
(``"40.5"``); a TOML float is refused, as amounts are, so a value is exactly what the file says.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from finsam_core.formats.base import NonEmpty, OrgNr, _Doc
from finsam_core.formats.money_schema import Beslutsref, Year

__all__ = ["Verksamhetsplan"]

Value = int | str
"""A target or a measured value: an integer, or text such as ``"40.5"``."""

Matt = Literal[
    "sus_egen_forsorjning",
    "sus_stegforflyttning",
    "indikator_stod_inflytande",
    "indikator_mer_redo",
    "indikator_samverkan",
    "lokalt",
]
Bedomning = Literal["Mycket väl uppfyllt", "Väl uppfyllt", "Uppfyllt", "Ej uppfyllt"]


class Indikator(_Doc):
    nyckel: NonEmpty
    text: NonEmpty
    malvarde: Value
    enhet: str
    """``%`` for a share (0–100); an empty unit is refused by the rules, with the indicator named."""
    matt: Matt = "lokalt"
    riktning: Literal["minst", "hogst"] = "minst"
    foljs_upp_med: str = ""


class Mal(_Doc):
    nyckel: NonEmpty
    rubrik: NonEmpty
    beskrivning: str = ""
    delmal: list[NonEmpty] = msgspec.field(default_factory=list)
    insatser: list[NonEmpty] = msgspec.field(default_factory=list)
    indikator: list[Indikator] = msgspec.field(default_factory=list)


class IndikatorResultat(_Doc):
    nyckel: NonEmpty
    varde: Value | None = None
    bedomning: Bedomning | None = None
    kommentar: str = ""


class MalResultat(_Doc):
    nyckel: NonEmpty
    bedomning: Bedomning
    kommentar: str = ""


class Uppfoljning(_Doc):
    ar: Year
    datum: date
    beslut: Beslutsref | None = None
    indikator: list[IndikatorResultat] = msgspec.field(default_factory=list)
    mal: list[MalResultat] = msgspec.field(default_factory=list)


class Verksamhetsplan(_Doc, tag="verksamhetsplan", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """A verksamhetsplan as the board adopted it, with the follow-ups of the years it governs."""

    forbund: OrgNr
    beteckning: NonEmpty
    rubrik: NonEmpty
    fran_ar: Year
    till_ar: Year
    beslut: Beslutsref
    ersatter: NonEmpty | None = None
    mal: Annotated[list[Mal], msgspec.Meta(min_length=1)]
    uppfoljning: list[Uppfoljning] = msgspec.field(default_factory=list)
