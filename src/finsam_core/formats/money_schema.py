"""The money kinds of the file format: allocation, budget, NNS, annual report, interventions.

Amounts are whole kronor written as TOML integers (``5574000``) or, when öre or a fraction is
needed, as text (``"3.5"``); a TOML float (``3.5``) is refused, because money is exact.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from finsam_core.formats.base import NonEmpty, OrgNr, _Doc

__all__ = [
    "Arsredovisning",
    "Beslutsref",
    "Budget",
    "Insatser",
    "Nns",
    "Tilldelning",
]

Amount = int | str
"""Kronor: an integer, or text such as ``"348375.50"``."""
Year = Annotated[int, msgspec.Meta(ge=2004, le=2200)]
Count = Annotated[int, msgspec.Meta(ge=0)]


class Beslutsref(_Doc):
    """A decision in this förbund's own minutes: the meeting's reference and the paragraph."""

    sammantrade: NonEmpty
    paragraf: Annotated[int, msgspec.Meta(ge=1)]


class AnnatBeslut(_Doc):
    """Another body's decision, such as a regional council's."""

    organ: NonEmpty
    beteckning: NonEmpty
    datum: date


# --- tilldelning -------------------------------------------------------------------------------


class Tilldelning(_Doc, tag="tilldelning", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """The year's allocation: each member's contribution (Försäkringskassan pays the state half)."""

    forbund: OrgNr
    ar: Year
    bidrag: Annotated[dict[str, Amount], msgspec.Meta(min_length=1)]
    total: Amount | None = None
    kommunnyckel: dict[str, Amount] = msgspec.field(default_factory=dict)
    avvikelse_skal: str | None = None
    registrerad: date | None = None


# --- budget ------------------------------------------------------------------------------------

Radslag = Literal["individuell_insats", "strukturell_insats", "kansli", "styrelse", "revision", "ovrigt"]


class Budgetrad(_Doc):
    nyckel: NonEmpty
    namn: NonEmpty
    belopp: Amount
    slag: Radslag = "ovrigt"


class Intakt(_Doc):
    namn: NonEmpty
    belopp: Amount


class Revidering(_Doc):
    beslut: Beslutsref
    rad: Annotated[list[Budgetrad], msgspec.Meta(min_length=1)]
    intakt: list[Intakt] = msgspec.field(default_factory=list)
    total: Amount | None = None
    resultat: Amount | None = None
    fran_tidigare_overskott: Amount = 0


class Utfall(_Doc):
    manad: date
    """Any day of the month the outcome is for."""
    belopp: Annotated[dict[str, Amount], msgspec.Meta(min_length=1)]


class Prognos(_Doc):
    datum: date
    avvikelse: Annotated[dict[str, Amount], msgspec.Meta(min_length=1)]
    """Each line's whole-year deviation from its budget; negative: costs more."""


class Bokslut(_Doc):
    resultat: Amount
    datum: date


class Budget(_Doc, tag="budget", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """A year's budget as the board adopted it, its revisions, outcome, forecasts and closing."""

    forbund: OrgNr
    ar: Year
    beslut: Beslutsref
    rad: Annotated[list[Budgetrad], msgspec.Meta(min_length=1)]
    intakt: list[Intakt] = msgspec.field(default_factory=list)
    total: Amount | None = None
    resultat: Amount | None = None
    fran_tidigare_overskott: Amount = 0
    ingaende_eget_kapital: Amount | None = None
    revidering: list[Revidering] = msgspec.field(default_factory=list)
    utfall: list[Utfall] = msgspec.field(default_factory=list)
    prognos: list[Prognos] = msgspec.field(default_factory=list)
    bokslut: Bokslut | None = None


# --- NNS ---------------------------------------------------------------------------------------


class Avgift(_Doc):
    fran_ar: Year
    promille: Amount
    tak: Amount | None = None
    beslut: str = ""


class NnsForbund(_Doc):
    org_nr: OrgNr
    namn: NonEmpty
    medlem_fran: date | None = None
    """Without a date the förbund is known to NNS but not a member."""


class Uttrade(_Doc):
    org_nr: OrgNr
    mottaget: date
    skriftligt: bool = True


class Nns(_Doc, tag="nns", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """The national network: its service fee policies, the förbund it knows and their membership."""

    namn: str = "Nationella nätverket för samordningsförbund"
    avgift: list[Avgift] = msgspec.field(default_factory=list)
    forbund: list[NnsForbund] = msgspec.field(default_factory=list)
    uttrade: list[Uttrade] = msgspec.field(default_factory=list)


# --- årsredovisning ----------------------------------------------------------------------------


class Revisionsberattelse(_Doc):
    tillstyrker: bool
    revisorer: Annotated[list[NonEmpty], msgspec.Meta(min_length=1)]
    datum: date
    anmarkningar: str = ""


class Ansvarsfrihet(_Doc):
    """One step of one member's handling: a committee's or board's proposal, or the decision."""

    medlem: NonEmpty
    beviljad: bool
    beslut: AnnatBeslut
    organtyp: Literal["utskott", "styrelse", "fullmaktige", "myndighet"]
    steg: Literal["forslag", "beslut"] = "beslut"


class Arsredovisning(_Doc, tag="arsredovisning", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """The annual report the board approved, the audit report and each member's discharge decision."""

    forbund: OrgNr
    ar: Year
    godkand: Beslutsref
    intakter: Amount
    kostnader: Amount
    avskrivningar: Amount = 0
    resultat: Amount
    eget_kapital: Amount
    revisionsberattelse: Revisionsberattelse | None = None
    ansvarsfrihet: list[Ansvarsfrihet] = msgspec.field(default_factory=list)


# --- insatser ----------------------------------------------------------------------------------


class Insats(_Doc):
    namn: NonEmpty
    slag: Literal["individuell", "strukturell"]
    huvudman: NonEmpty
    startar: date
    slutar: date | None = None
    finansiering: dict[Literal["finsam", "esf", "ovrigt"], Amount] = msgspec.field(default_factory=dict)


ExitWord = Literal[
    "arbete", "subventionerat_arbete", "studier", "arbetssokande", "fortsatt_rehabilitering", "vard", "annat"
]


class Fordelning(_Doc):
    """One breakdown of the year's participants: ``efter`` (kommun, alder, kon, forsorjning,
    tid_i_insats), ``grupp`` (deltagare, nya, avslutade), ``antal`` category -> count."""

    efter: Literal["kommun", "alder", "kon", "forsorjning", "tid_i_insats"]
    grupp: Literal["deltagare", "nya", "avslutade"]
    antal: dict[str, Count]


class Deltagarsiffror(_Doc):
    """A year's aggregate figures: counts only, never a person."""

    ar: Year
    deltagare: Count
    avslutade: Count
    nya: Count | None = None
    kvinnor: Count | None = None
    man: Count | None = None
    till: dict[ExitWord, Count] = msgspec.field(default_factory=dict)
    """Exited participants by where they went."""
    rapporterad: date | None = None
    kommentar: str = ""
    fordelning: list[Fordelning] = msgspec.field(default_factory=list)
    """Breakdowns by kommun, age, gender (of new or exited), income source, time in the intervention."""


class Insatser(_Doc, tag="insatser", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """A förbund's interventions and its yearly participant figures."""

    forbund: OrgNr
    insats: list[Insats] = msgspec.field(default_factory=list)
    deltagare: list[Deltagarsiffror] = msgspec.field(default_factory=list)
