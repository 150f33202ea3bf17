"""The bounds every input must keep, in the library and at the service's edge alike.

One förbund's records share a store, a projection and a service with every other förbund's, so
no input may be large or strange enough to cost the others time or break what they read:

- text is free of control characters (tab, line feed and carriage return excepted) and of lone
  UTF-16 surrogates; PostgreSQL cannot keep NUL in text, and a lone surrogate has no UTF-8;
- a line (a name, a reference, a title, a place, a key) is at most :data:`MAX_LINE` characters,
  a text (a paragraph's body, a motivation, an att-clause) at most :data:`MAX_TEXT`;
- a list holds at most :data:`MAX_ITEMS` entries and a payload nests at most :data:`MAX_DEPTH` deep;
- an amount is an exact decimal of at most :data:`MAX_INTEGER_DIGITS` digits before the point and
  :data:`MAX_DECIMALS` after it (``1e999999`` is a number Python can hold but nobody can pay).

:func:`check_event` applies them to every event before it is recorded, whatever the command; the
service states the same limits in its schemas (:data:`LINE_PATTERN`, :data:`AMOUNT_PATTERN`) so a
client learns them from the OpenAPI document and is refused before anything is parsed further.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, Final
from uuid import UUID

from finsam_core.errors import InvalidInput

__all__ = [
    "AMOUNT_PATTERN",
    "LINE_PATTERN",
    "MAX_DECIMALS",
    "MAX_DEPTH",
    "MAX_INTEGER_DIGITS",
    "MAX_ITEMS",
    "MAX_LINE",
    "MAX_TEXT",
    "TEXT_PATTERN",
    "check_amount",
    "check_event",
    "check_text",
]

MAX_LINE: Final = 500
"""Characters in a name, reference, title, place or key."""
MAX_TEXT: Final = 20_000
"""Characters in a paragraph's body, a motivation, an att-clause, a correction."""
MAX_ITEMS: Final = 1_000
"""Entries in one list or mapping (budget lines, ballots, attendees, agenda items)."""
MAX_DEPTH: Final = 8
"""Levels of nesting in one event's payload (the deepest event needs four)."""
MAX_INTEGER_DIGITS: Final = 13
"""Digits before the decimal point of an amount: up to 9 999 999 999 999 kr."""
MAX_DECIMALS: Final = 6
"""Digits after the decimal point (öre need two; a kommun key or a per mille rate may need more)."""

_FORBIDDEN_IN_TEXT: Final = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_FORBIDDEN_IN_LINE: Final = r"\x00-\x1f\x7f"
TEXT_PATTERN: Final = f"^[^{_FORBIDDEN_IN_TEXT}]*$"
"""Regular expression of an allowed text (ECMA-262 and Python alike): no control characters but tab and line breaks."""
LINE_PATTERN: Final = f"^[^{_FORBIDDEN_IN_LINE}]*$"
"""Regular expression of an allowed line: no control characters at all."""
AMOUNT_PATTERN: Final = rf"^-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,{MAX_DECIMALS}}})?$"
"""Regular expression of an amount written as text: ``4407000``, ``-424000``, ``1045125.50``."""

_BAD_CHARACTER: Final = re.compile(f"[{_FORBIDDEN_IN_TEXT}\ud800-\udfff]")


def _describe(char: str) -> str:
    if char == "\x00":
        return "tecknet NUL (U+0000)"
    if "\ud800" <= char <= "\udfff":
        return f"ett ensamt surrogattecken (U+{ord(char):04X})"
    return f"styrtecknet U+{ord(char):04X}"


def check_text(field: str, value: str, max_length: int = MAX_TEXT, *, line: bool = False) -> str:
    """Return ``value`` if it is a text of at most ``max_length`` characters without control characters.

    With ``line=True`` line breaks and tabs are refused too. ``field`` names the field in the message.
    """
    if len(value) > max_length:
        raise InvalidInput(f"Fältet {field} är för långt: {len(value)} tecken, högst {max_length} är tillåtna.")
    bad = _BAD_CHARACTER.search(value)
    if bad is None and line:
        bad = re.search("[\t\n\r]", value)
    if bad is not None:
        raise InvalidInput(
            f"Fältet {field} innehåller {_describe(bad.group())}, som inte får förekomma i text; "
            "ta bort tecknet och försök igen."
        )
    return value


def check_amount(field: str, value: Decimal) -> Decimal:
    """Return ``value`` if it is a finite amount within :data:`MAX_INTEGER_DIGITS` and :data:`MAX_DECIMALS`.

    Checked on the decimal's digits and exponent alone, without arithmetic, so a hostile value
    (``1e999999``, five thousand digits) costs nothing to refuse.
    """
    if not value.is_finite():
        raise InvalidInput(f"Fältet {field} ska vara ett belopp, inte {value}.")
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    integer_digits = len(digits) + exponent
    if digits == (0,):
        integer_digits = 1
    decimals = max(0, -exponent)
    if (
        integer_digits > MAX_INTEGER_DIGITS
        or decimals > MAX_DECIMALS
        or len(digits) > MAX_INTEGER_DIGITS + MAX_DECIMALS
    ):
        raise InvalidInput(
            f"Fältet {field} är inget rimligt belopp: högst {MAX_INTEGER_DIGITS} siffror före "
            f"decimaltecknet och {MAX_DECIMALS} efter är tillåtna."
        )
    return value


_SCALARS: Final = (Enum, bool, int, float, date, datetime, time, UUID, type(None))


def check_event(event: object) -> None:
    """Refuse an event whose payload breaks a bound; called for every event before it is recorded."""
    for name, value in vars(event).items():
        if name in ("originator_id", "originator_version", "originator_topic", "timestamp"):
            continue
        _check_value(name.lstrip("_"), value, 1)


def _check_value(field: str, value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise InvalidInput(f"Fältet {field} är nästlat i för många nivåer (högst {MAX_DEPTH}).")
    if isinstance(value, _SCALARS):
        return
    if isinstance(value, str):
        check_text(field, value)
    elif isinstance(value, Decimal):
        check_amount(field, value)
    elif isinstance(value, Mapping):
        _check_items(field, len(value))
        for key, item in value.items():
            _check_value(field, key, depth + 1)
            _check_value(f"{field}.{key}", item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        _check_items(field, len(value))
        for item in value:
            _check_value(field, item, depth + 1)
    elif hasattr(value, "__struct_fields__"):
        for name in value.__struct_fields__:
            _check_value(f"{field}.{name}", getattr(value, name), depth + 1)
    elif hasattr(value, "__dict__"):
        for name, item in vars(value).items():
            _check_value(f"{field}.{name}", item, depth + 1)


def _check_items(field: str, count: int) -> None:
    if count > MAX_ITEMS:
        raise InvalidInput(f"Fältet {field} har för många poster: {count}, högst {MAX_ITEMS} är tillåtna.")
