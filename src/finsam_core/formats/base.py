"""The format's shared building blocks: the base of every table and the constrained scalars.

The scalars carry the library's bounds (:mod:`finsam_core.limits`), so a file with a NUL in a name,
a 30 000-character heading or full-width digits in an org nr is refused while it is read, with the
field's path; whatever a file gets past this, the library checks again before recording.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from finsam_core.limits import MAX_TEXT, TEXT_PATTERN

__all__ = ["Fraction", "NonEmpty", "Number", "OrgNr", "Sha256", "_Doc"]

NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT, pattern=TEXT_PATTERN)]
OrgNr = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}-[0-9]{4}$", description="NNNNNN-NNNN")]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Fa-f]{64}$", description="64 hexadecimal digits")]
Fraction = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,4}/[0-9]{1,4}$", description="a fraction such as 2/3")]
Number = Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class _Doc(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass
