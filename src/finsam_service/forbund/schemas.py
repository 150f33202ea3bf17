"""Request and response bodies for förbund."""

from __future__ import annotations

from datetime import date

import msgspec

from finsam_core.domain.values import MemberKind

__all__ = ["Forbund", "ForbundCreate", "ForbundWritten", "Member", "MemberCreate"]


class MemberCreate(msgspec.Struct, frozen=True):
    key: str
    name: str
    kind: MemberKind
    board_members: int = 1
    deputies: int = 1


class ForbundCreate(msgspec.Struct, frozen=True):
    """A förbund to register; the charter gets one seat allocation per member and default rules."""

    org_nr: str
    name: str
    founded_on: date
    members: list[MemberCreate]


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
