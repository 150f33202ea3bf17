"""The field types of every request body: the library's bounds, stated where clients and msgspec see them.

A request body is decoded straight into these types, so a title of 800 kB, a reference with NUL,
ten thousand budget lines or ``"1e999999"`` kronor are refused with a 400 naming the field while
the body is parsed, before any command runs or any lock is taken. The same bounds are in the
OpenAPI document (``maxLength``, ``pattern``, ``maxItems``, ``maximum``) and in the library
(:mod:`finsam_core.limits`), which checks every event again before it is recorded.

Text is normalised to Unicode NFC on the way in, so ``Ö`` typed as ``O`` + a combining diaeresis
is the same name as the precomposed ``Ö``: a look-alike cannot pose as another förbund or person.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Final

import msgspec

from finsam_core.errors import InvalidInput
from finsam_core.limits import (
    AMOUNT_PATTERN,
    LINE_PATTERN,
    MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
    MAX_ITEMS,
    MAX_LINE,
    MAX_TEXT,
    TEXT_PATTERN,
    check_amount,
)

__all__ = [
    "ORG_NR_PATTERN",
    "Amount",
    "Body",
    "Count",
    "Items",
    "Line",
    "Number",
    "OrgNr",
    "Text",
]

ORG_NR_PATTERN: Final = r"^[0-9]{6}-[0-9]{4}$"

Line = Annotated[
    str,
    msgspec.Meta(
        max_length=MAX_LINE,
        pattern=LINE_PATTERN,
        description=f"En rad text: högst {MAX_LINE} tecken, inga styrtecken eller radbrytningar.",
    ),
]
"""A name, a reference, a title, a place, a key."""

Text = Annotated[
    str,
    msgspec.Meta(
        max_length=MAX_TEXT,
        pattern=TEXT_PATTERN,
        description=f"Text: högst {MAX_TEXT} tecken; radbrytningar och tabbar tillåtna, andra styrtecken inte.",
    ),
]
"""A paragraph's body, a motivation, an att-clause, a reason."""

OrgNr = Annotated[
    str,
    msgspec.Meta(
        pattern=ORG_NR_PATTERN,
        max_length=11,
        description="Organisationsnummer NNNNNN-NNNN med siffrorna 0–9.",
        examples=["222000-1883"],
    ),
]

Amount = Annotated[
    Decimal,
    msgspec.Meta(
        description=(
            f"Kronor, exakt: ett heltal eller decimaltal (som JSON-tal eller text), högst {MAX_INTEGER_DIGITS} "
            f"siffror före och {MAX_DECIMALS} efter decimalpunkten."
        ),
        examples=["4407000", "1045125.50"],
        extra_json_schema={"extra": {"pattern": AMOUNT_PATTERN, "max_length": MAX_INTEGER_DIGITS + MAX_DECIMALS + 2}},
    ),
]
"""Checked by :class:`Body` (msgspec cannot bound a ``Decimal`` itself)."""

Count = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
"""A number of people or events: never negative, never astronomical."""

Number = Annotated[int, msgspec.Meta(ge=1, le=100_000)]
"""A paragraph number (§), a numerator, a count of seats."""

Items = msgspec.Meta(max_length=MAX_ITEMS, description=f"Högst {MAX_ITEMS} poster.")
"""``Annotated[list[X], Items]`` or ``Annotated[dict[K, V], Items]``: a bounded list or mapping."""


class Body(msgspec.Struct, frozen=True):
    """Base of every request body: amounts are bounded, text is NFC, as the body is decoded."""

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            checked = _checked(name, value)
            if checked is not value:
                msgspec.structs.force_setattr(self, name, checked)


def _checked(field: str, value: Any) -> Any:
    """``value`` with its text in NFC; a ``ValueError`` (a 400 naming the field) for an absurd amount."""
    if isinstance(value, str):
        normal = unicodedata.normalize("NFC", value)
        return value if normal == value else normal
    if isinstance(value, Decimal):
        try:
            return check_amount(field, value)
        except InvalidInput as exc:
            raise ValueError(str(exc)) from None
    if isinstance(value, list):
        items = [_checked(field, item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = [(_checked(field, k), _checked(f"{field}.{k}", v)) for k, v in value.items()]
        same = all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=True))
        return value if same else dict(pairs)
    return value
