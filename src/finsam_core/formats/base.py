"""The format's shared building blocks: the base of every table and the constrained scalars."""

from __future__ import annotations

from typing import Annotated

import msgspec

__all__ = ["Fraction", "NonEmpty", "Number", "OrgNr", "Sha256", "_Doc"]

NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
OrgNr = Annotated[str, msgspec.Meta(pattern=r"^\d{6}-\d{4}$", description="NNNNNN-NNNN")]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Fa-f]{64}$", description="64 hexadecimal digits")]
Fraction = Annotated[str, msgspec.Meta(pattern=r"^\d+/\d+$", description="a fraction such as 2/3")]
Number = Annotated[int, msgspec.Meta(ge=1)]


class _Doc(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass
