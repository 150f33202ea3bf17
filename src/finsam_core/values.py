"""Small value objects stored inside events.

Everything here is immutable and encodes exactly with msgspec: strings, integers, dates, ``Decimal``
money (kronor, exact), enums and frozen ``msgspec.Struct`` s. Module paths and field names are a
stored contract: rename nothing without a ``class_version`` and an upcaster.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, Self

import msgspec

from finsam_core.errors import InvalidInput
from finsam_core.limits import check_amount

__all__ = [
    "Ballot",
    "BoardRole",
    "MajorityBase",
    "MatterKind",
    "MemberKind",
    "MemberOrganisation",
    "Money",
    "Ratio",
    "Value",
    "money",
    "org_nr_check_digit",
    "require_exact",
    "validate_org_nr",
]

Money = Decimal
"""Kronor as an exact ``Decimal`` (öre in the second decimal). Never a float."""

_ORG_NR: Final = re.compile(r"^([0-9]{6})-([0-9]{4})$")
"""ASCII digits only: a full-width or Arabic-Indic digit would make a look-alike of a real number."""


def org_nr_check_digit(first_nine: str) -> str:
    """The check digit (Luhn, modulus 10) that completes the nine digits ``first_nine`` of an organisation number."""
    total = 0
    for index, char in enumerate(reversed(first_nine)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def validate_org_nr(org_nr: str) -> str:
    """Return ``org_nr`` if it is a Swedish organisation number ``NNNNNN-NNNN`` with a valid check digit."""
    match = _ORG_NR.match(org_nr.strip())
    if match is None:
        raise InvalidInput(
            f"Organisationsnumret {org_nr!r} har fel form: det ska skrivas NNNNNN-NNNN, till exempel 222000-2279."
        )
    digits = match.group(1) + match.group(2)
    if digits[9] != org_nr_check_digit(digits[:9]):
        raise InvalidInput(
            f"Organisationsnumret {org_nr} har fel kontrollsiffra; kontrollera att det är rätt avskrivet."
        )
    return f"{match.group(1)}-{match.group(2)}"


FLOAT_REFUSED: Final = "Belopp anges exakt (heltal eller decimaltal som text), aldrig som flyttal."
"""The rule every float amount is refused with."""


def money(amount: Decimal | int | str) -> Decimal:
    """Exact kronor from an int, a string or a Decimal; floats are refused."""
    if isinstance(amount, float):
        raise InvalidInput(FLOAT_REFUSED)
    if isinstance(amount, str) and len(amount) > 64:
        raise InvalidInput("Beloppet är för långt för att vara ett belopp.")
    try:
        value = Decimal(amount)
    except ArithmeticError as exc:
        raise InvalidInput(f"{amount!r} är inget belopp.") from exc
    if not value.is_finite():
        raise InvalidInput(f"{amount!r} är inget belopp.")
    return check_amount("beloppet", value)


def require_exact(amount: object, what: str) -> None:
    """Refuse an amount held by a value object unless it is exact (a ``Decimal`` or an ``int``).

    A float is refused with the rule of :func:`money`, as a :class:`~finsam_core.errors.InvalidInput`,
    so no amount ever reaches arithmetic as a float (where it would fail as a ``TypeError``).
    """
    if isinstance(amount, Decimal) or (isinstance(amount, int) and not isinstance(amount, bool)):
        return
    if isinstance(amount, float):
        raise InvalidInput(f"{what}: {FLOAT_REFUSED}")
    raise InvalidInput(f"{what}: {amount!r} är inget exakt belopp; ange det som Decimal eller heltal.")


class Value(msgspec.Struct, frozen=True):
    """Base of the immutable value objects: a copy is the object itself.

    The application deep-copies aggregates out of its cache; value objects need no copying, and
    sharing them makes that copy several times cheaper.
    """

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self


class MemberKind(StrEnum):
    """The four kinds of member organisation the law allows."""

    FORSAKRINGSKASSAN = "forsakringskassan"
    ARBETSFORMEDLINGEN = "arbetsformedlingen"
    REGION = "region"
    KOMMUN = "kommun"

    @property
    def label(self) -> str:
        return _MEMBER_KIND_LABELS[self]


_MEMBER_KIND_LABELS: Final = {
    MemberKind.FORSAKRINGSKASSAN: "Försäkringskassan",
    MemberKind.ARBETSFORMEDLINGEN: "Arbetsförmedlingen",
    MemberKind.REGION: "region",
    MemberKind.KOMMUN: "kommun",
}


class MemberOrganisation(Value, frozen=True):
    """A member of a förbund. ``key`` is the short name used in minutes (``FK``, ``RVN``, ``ÖK``)."""

    key: str
    name: str
    kind: MemberKind


class BoardRole(StrEnum):
    """The seat a person holds for a member organisation."""

    BOARD_MEMBER = "ledamot"
    DEPUTY = "ersattare"


class Ballot(StrEnum):
    """How one voting member voted in an open vote."""

    YES = "ja"
    NO = "nej"
    ABSTAIN = "avstar"


class MatterKind(StrEnum):
    """What a decision is about, as far as the decision rule cares."""

    GENERAL = "general"
    ELECTION = "election"
    """Elections and appointments: a tie is decided by lot, not by the chair."""
    BUDGET = "budget"
    CHARTER = "charter"
    TABLING = "tabling"


class MajorityBase(StrEnum):
    """What a qualified majority is a share of, as a charter states it."""

    PRESENT_VOTERS = "narvarande"
    """Of the members present and entitled to vote in the paragraph: an abstention counts against."""
    VOTES_CAST = "avgivna"
    """Of the votes cast (yes and no): an abstention is left out."""


class Ratio(Value, frozen=True):
    """An exact fraction, such as 2/3 for a qualified majority."""

    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if self.denominator <= 0 or self.numerator < 0 or self.numerator > self.denominator:
            raise InvalidInput(f"{self.numerator}/{self.denominator} är ingen andel mellan 0 och 1.")

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def today_or(value: date | None) -> date:
    """``value`` or today's date; for public command methods only, never in an event handler."""
    return value if value is not None else date.today()
