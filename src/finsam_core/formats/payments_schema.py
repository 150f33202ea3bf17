"""The kind ``betalningar``: how each member pays its contribution to a year's allocation, and what it paid.

Amounts are whole kronor as TOML integers or text (``"646500.50"``); a TOML float is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from finsam_core.formats.base import NonEmpty, OrgNr, _Doc

__all__ = ["Betalningar", "Betalningsplan", "Inbetalning"]

Year = Annotated[int, msgspec.Meta(ge=2004, le=2200)]


class Betalningsplan(_Doc):
    """A member's plan: ``forskott`` (once), ``tva_tillfallen`` (twice) or ``kvartalsvis`` (four times)."""

    plan: Literal["forskott", "tva_tillfallen", "kvartalsvis"]
    forfaller: list[date] = msgspec.field(default_factory=list)
    """The due days, one per instalment; empty: the plan's own days (docs/file-format.md)."""


class Inbetalning(_Doc):
    """One payment: the member's key, the day it was paid and the kronor."""

    medlem: NonEmpty
    datum: date
    belopp: int | str
    anteckning: str = ""


class Betalningar(_Doc, tag="betalningar", tag_field="kind", kw_only=True, forbid_unknown_fields=True):
    """The members' payment plans and payments for the allocation of ``ar``."""

    forbund: OrgNr
    ar: Year
    plan: dict[str, Betalningsplan] = msgspec.field(default_factory=dict)
    betalning: list[Inbetalning] = msgspec.field(default_factory=list)
