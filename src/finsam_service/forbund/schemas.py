"""Request and response bodies for förbund."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.values import MemberKind
from finsam_service.inputs import Body, Count, Items, Line, OrgNr

__all__ = ["Forbund", "ForbundCreate", "ForbundWritten", "Member", "MemberCreate"]


class MemberCreate(Body, frozen=True):
    key: Line
    name: Line
    kind: MemberKind
    board_members: Count = 1
    deputies: Count = 1


class ForbundCreate(Body, frozen=True):
    """A förbund to register; the charter gets one seat allocation per member and default rules."""

    org_nr: OrgNr
    name: Line
    founded_on: date
    members: Annotated[list[MemberCreate], Items]


class ForbundWritten(msgspec.Struct, frozen=True):
    org_nr: str
    position: int


class Member(msgspec.Struct, frozen=True):
    key: str
    name: str
    kind: str
    joined_on: date
    leaves_on: date | None


class Forbund(msgspec.Struct, frozen=True):
    org_nr: str
    name: str
    founded_on: date
    members: list[Member]
