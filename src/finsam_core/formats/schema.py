"""The file format's documents as typed msgspec structures, one per ``kind``.

A secretary writes one document per TOML file. Field names are Swedish without å, ä and ö (TOML
keys are ASCII); values (names, texts) are written exactly as in the minutes. Unknown fields are
refused, so a misspelt field name is reported instead of silently ignored. The reference is
``docs/file-format.md``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Literal

import msgspec

from finsam_core.values import Ballot

__all__ = [
    "Anslag",
    "Arendetyp",
    "Bordlaggning",
    "Document",
    "Forbund",
    "Forbundsordning",
    "Handling",
    "Medlem",
    "Narvaro",
    "Omrostning",
    "Paragraf",
    "Period",
    "Plats",
    "Post",
    "Reservation",
    "Sammantrade",
    "Styrelseuppdrag",
    "Underskrift",
    "Uppdrag",
]

from finsam_core.formats.base import Fraction, NonEmpty, Number, OrgNr, Sha256, _Doc

# --- förbund ---------------------------------------------------------------------------------


class Medlemstyp(StrEnum):
    FORSAKRINGSKASSAN = "forsakringskassan"
    ARBETSFORMEDLINGEN = "arbetsformedlingen"
    REGION = "region"
    KOMMUN = "kommun"


class Medlem(_Doc):
    kortnamn: NonEmpty
    """The short name the minutes use (FK, AF, RVN, KGA)."""
    namn: NonEmpty
    typ: Medlemstyp


class Plats(_Doc):
    """How many ledamöter and ersättare one member appoints."""

    medlem: NonEmpty
    ledamoter: Annotated[int, msgspec.Meta(ge=0)] = 1
    ersattare: Annotated[int, msgspec.Meta(ge=0)] = 1


QualifiedMatter = Literal["val", "budget", "forbundsordning", "bordlaggning"]


class Forbundsordning(_Doc):
    platser: list[Plats] = msgspec.field(default_factory=list)
    """Empty: one ledamot and one ersättare per member."""
    beslutsfor_mer_an: Fraction = "1/2"
    kvalificerad_majoritet: Fraction | None = None
    kvalificerad_for_alla: bool = False
    kvalificerad_for: list[QualifiedMatter] = msgspec.field(default_factory=list)
    kvalificerad_bas: Literal["narvarande", "avgivna"] = "narvarande"
    """What the qualified majority is a share of: the members present and voting, or the votes cast."""
    per_capsulam: bool = False
    """The board may decide per capsulam while this charter is in force (from ``bildat``)."""
    ordforande_utslagsrost: bool = True
    mandatperiod_ar: Annotated[int, msgspec.Meta(ge=1, le=8)] = 4
    mandatperiod_startmanad: Annotated[int, msgspec.Meta(ge=1, le=12)] = 1
    mandatperiod_startdag: Annotated[int, msgspec.Meta(ge=1, le=31)] = 1
    uppsagningstid_ar: Annotated[int, msgspec.Meta(ge=0, le=10)] = 3
    kommunnyckel: dict[str, int | str] = msgspec.field(default_factory=dict)
    """How the kommuner share their quarter, e.g. ``{ DFS = 25, KGA = 75 }``."""


class Period(_Doc):
    fran: date
    till: date


class Roll(StrEnum):
    LEDAMOT = "ledamot"
    ERSATTARE = "ersattare"


class Styrelseuppdrag(_Doc):
    """A person appointed to the board by a member (förordnande)."""

    namn: NonEmpty
    medlem: NonEmpty
    roll: Roll
    fran: date | None = None
    till: date | None = None
    """Without ``fran``/``till`` the förbund's ``mandatperiod`` applies."""


class Post(StrEnum):
    ORDFORANDE = "ordforande"
    VICE_ORDFORANDE = "vice_ordforande"


class Presidium(_Doc):
    namn: NonEmpty
    post: Post
    fran: date | None = None
    till: date | None = None


class Forbund(_Doc, tag="forbund", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """A förbund, its members, its charter and its board."""

    org_nr: OrgNr
    namn: NonEmpty
    bildat: date
    medlem: Annotated[list[Medlem], msgspec.Meta(min_length=4)]
    forbundsordning: Forbundsordning = msgspec.field(default_factory=Forbundsordning)
    mandatperiod: Period | None = None
    styrelse: list[Styrelseuppdrag] = msgspec.field(default_factory=list)
    presidium: list[Presidium] = msgspec.field(default_factory=list)


# --- sammanträde -----------------------------------------------------------------------------


class Som(StrEnum):
    LEDAMOT = "ledamot"
    TJANSTGORANDE_ERSATTARE = "tjanstgorande_ersattare"
    ERSATTARE = "ersattare"
    OVRIG = "ovrig"


class Narvaro(_Doc):
    namn: NonEmpty
    som: Som
    medlem: str | None = None
    ersatter: str | None = None
    """For a serving deputy: the ledamot he or she serves for."""
    titel: str = ""
    paragrafer: list[Number] = msgspec.field(default_factory=list)
    """Present only for these paragraphs; empty means the whole meeting."""


class Arendetyp(StrEnum):
    ALLMANT = "allmant"
    VAL = "val"
    BUDGET = "budget"
    FORBUNDSORDNING = "forbundsordning"
    BORDLAGGNING = "bordlaggning"


class Omrostning(_Doc):
    forslag: NonEmpty
    roster: Annotated[dict[str, Ballot], msgspec.Meta(min_length=1)]
    """Each voter's name and ``ja``, ``nej`` or ``avstar``."""
    arendetyp: Arendetyp = Arendetyp.ALLMANT


class Reservation(_Doc):
    namn: NonEmpty
    motivering: str = ""
    for_rakning: str | None = None
    """On whose behalf (``Försäkringskassan``)."""


class Bordlaggning(_Doc):
    arende: NonEmpty
    skal: NonEmpty
    till_sammantrade: str | None = None


class Uppdrag(_Doc):
    till: NonEmpty
    uppgift: NonEmpty
    senast: date | None = None


class Handling(_Doc):
    """An incoming document (inkommande handling)."""

    diarienummer: NonEmpty
    avsandare: NonEmpty
    rubrik: NonEmpty
    inkom: date


class Paragraf(_Doc):
    nummer: Number
    rubrik: NonEmpty
    text: str = ""
    jav: list[NonEmpty] = msgspec.field(default_factory=list)
    information: list[NonEmpty] = msgspec.field(default_factory=list)
    handlingar: list[Handling] = msgspec.field(default_factory=list)
    bordlagt: list[Bordlaggning] = msgspec.field(default_factory=list)
    omrostning: Omrostning | None = None
    beslut: list[NonEmpty] = msgspec.field(default_factory=list)
    """The decision's clauses ("att ..."), in order."""
    arendetyp: Arendetyp = Arendetyp.ALLMANT
    reservationer: list[Reservation] = msgspec.field(default_factory=list)
    uppdrag: list[Uppdrag] = msgspec.field(default_factory=list)
    belopp: int | str | None = None
    """The amount the decision carries: the most it lets the förbund spend in its period (kronor)."""
    beloppsperiod: Literal["ar", "engang"] = "ar"
    """``ar``: each calendar year ("50 000 kronor per år"); ``engang``: once, in all."""


class Underskrift(_Doc):
    namn: NonEmpty
    tid: datetime | None = None
    """When signed; without an offset the time is Swedish local time."""
    datum: date | None = None
    """When only the day is known."""
    dokument_sha256: Sha256 | None = None


class Anslag(_Doc):
    uppsatt: date
    plats: str = ""
    nedtaget: date | None = None


class Sammantrade(_Doc, tag="sammantrade", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """One meeting of the board: attendance, paragraphs, adjustment and notice."""

    forbund: OrgNr
    beteckning: NonEmpty
    datum: date
    plats: NonEmpty
    borjar: time | None = None
    slutar: time | None = None
    justeras: date | None = None
    """The adjustment date the header announces ("Justering")."""
    dagordning: list[str] = msgspec.field(default_factory=list)
    ordforande: NonEmpty
    sekreterare: NonEmpty
    justerare: list[NonEmpty] = msgspec.field(default_factory=list)
    narvaro: Annotated[list[Narvaro], msgspec.Meta(min_length=1)]
    paragraf: list[Paragraf] = msgspec.field(default_factory=list)
    underskrift: list[Underskrift] = msgspec.field(default_factory=list)
    anslag: Anslag | None = None


from finsam_core.formats.delegation_schema import (  # noqa: E402 -- the delegation kinds
    Delegationsbeslut,
    Delegationsordning,
    PerCapsulam,
)
from finsam_core.formats.discharge_schema import Ansvarsfrihetssteg, Revisorer  # noqa: E402 -- issue 15
from finsam_core.formats.money_schema import (  # noqa: E402 -- the money kinds
    Arsredovisning,
    Budget,
    Insatser,
    Nns,
    Tilldelning,
)
from finsam_core.formats.payments_schema import Betalningar  # noqa: E402 -- the members' payments
from finsam_core.formats.plan_schema import Verksamhetsplan  # noqa: E402 -- the verksamhetsplan kind

Document = (
    Forbund
    | Sammantrade
    | Tilldelning
    | Budget
    | Nns
    | Arsredovisning
    | Insatser
    | Revisorer
    | Ansvarsfrihetssteg
    | Verksamhetsplan
    | Betalningar
    | Delegationsordning
    | Delegationsbeslut
    | PerCapsulam
)
"""Every kind the importer knows; ``kind`` says which."""
