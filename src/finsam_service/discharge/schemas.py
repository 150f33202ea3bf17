"""Request and response bodies for auditors, discharge proposals and the network's discharge view."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.rules.discharge import AuditorKind, BodyKind, StepKind
from finsam_service.budgets.schemas import DecisionRefIn
from finsam_service.inputs import Body, Items, Line, OrgNr, Text

__all__ = [
    "AuditorCreate",
    "DischargeProposalCreate",
    "ForbundDischarge",
    "MemberDischargeStepCreate",
    "MemberStepWritten",
    "NetworkDischarge",
    "WaitingMember",
]


class AuditorCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A member appoints an auditor of the förbund for a term (both days included)."""

    member_key: Line
    name: Line
    kind: AuditorKind
    starts_on: date
    ends_on: date
    appointed_by: Text = ""


class DischargeProposalCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A committee or the board of a member proposes that the member grant (or refuse) discharge."""

    member_key: Line
    grant: bool
    body_kind: BodyKind
    proposal: DecisionRefIn


class MemberDischargeStepCreate(Body, frozen=True, forbid_unknown_fields=True):
    """One member's proposal or decision covering the boards of several förbund at once."""

    member_name: Line
    year: int
    forbund: Annotated[list[OrgNr], Items, msgspec.Meta(min_length=1)]
    step: StepKind
    body_kind: BodyKind
    grant: bool
    decision: DecisionRefIn


class MemberStepWritten(msgspec.Struct, frozen=True):
    covers: list[str]
    position: int


class WaitingMember(msgspec.Struct, frozen=True):
    member_key: str
    member_name: str
    waiting_for: str | None


class ForbundDischarge(msgspec.Struct, frozen=True):
    org_nr: str
    name: str
    audited: bool
    auditors_recommend: bool | None
    fully_discharged: bool
    waiting: list[WaitingMember]


class NetworkDischarge(msgspec.Struct, frozen=True):
    """Which förbund have full discharge for the year, and which wait on which member (final minutes)."""

    year: int
    fully_discharged: list[str]
    """The org nrs of the förbund every member has granted discharge."""
    entries: list[ForbundDischarge]
