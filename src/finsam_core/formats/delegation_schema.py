"""The delegation kinds of the file format: the delegation order, delegated decisions, per capsulam.

Reported decisions name the meeting and paragraph where the board was told of them
(``anmalt = { sammantrade = "2024-01-26", paragraf = 6 }``): the paragraph already holds the report
in the imported minutes, so the import records only where it was reported.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from finsam_core.formats.base import NonEmpty, OrgNr, _Doc
from finsam_core.formats.money_schema import Amount, Beslutsref, Year

__all__ = ["Delegationsbeslut", "Delegationsordning", "PerCapsulam"]

Kategori = Literal["ordinar", "mal_och_inriktning", "budget", "yttrande", "principiell", "enligt_forfattning"]


class Punkt(_Doc):
    """One item of the delegation order: a group of matters and its delegate."""

    nummer: NonEmpty
    arende: NonEmpty
    delegat: NonEmpty
    belopp_max: Amount | None = None
    kategori: Kategori = "ordinar"
    bradskande: bool = False
    """Brådskande ärenden (kommunallagen 6 kap. 39 §): anmäls vid nästa sammanträde (40 §)."""


class Delegationsordning(_Doc, tag="delegationsordning", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """A delegation order adopted by the board in a paragraph of its minutes."""

    forbund: OrgNr
    galler_fran: date
    antagen: Beslutsref
    punkt: Annotated[list[Punkt], msgspec.Meta(min_length=1)]


class Beslut(_Doc):
    """One delegated decision."""

    datum: date
    punkt: NonEmpty
    delegat: NonEmpty
    arende: NonEmpty
    belopp: Amount | None = None
    kategori: Kategori = "ordinar"
    diarienummer: str = ""
    anmalt: Beslutsref | None = None


class Delegationsbeslut(_Doc, tag="delegationsbeslut", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """The delegated decisions of one year, in the order they were taken."""

    forbund: OrgNr
    ar: Year
    beslut: Annotated[list[Beslut], msgspec.Meta(min_length=1)]


class Svar(_Doc):
    namn: NonEmpty
    rost: Literal["ja", "nej", "avstar"]
    datum: date


class PerCapsulam(_Doc, tag="per_capsulam", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """A decision per capsulam: the proposal, each ledamot's answer, when it closed and where it was reported."""

    forbund: OrgNr
    beteckning: NonEmpty
    forslag: NonEmpty
    skickat: date
    arendetyp: Literal["allmant", "val", "budget", "forbundsordning"] = "allmant"
    svar: list[Svar] = msgspec.field(default_factory=list)
    avslutat: date | None = None
    anmalt: Beslutsref | None = None
