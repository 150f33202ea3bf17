"""Request and response bodies for annual reports, audit reports, discharge, interventions and
participant figures (aggregate counts only: a field that could name a person is refused)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

from finsam_core.domain.interventions import ExitOutcome, InterventionKind
from finsam_core.projections.discharge_status import DischargeStatus
from finsam_core.projections.published_participants import ShownFigures
from finsam_core.rules.discharge import BodyKind
from finsam_service.budgets.schemas import DecisionRefIn
from finsam_service.inputs import Amount, Body, Count, Items, Line, Text

__all__ = [
    "AnnualReportCreate",
    "AnnualReportView",
    "AuditReportCreate",
    "DischargeCreate",
    "ForbundParticipants",
    "InterventionCreate",
    "InterventionWritten",
    "ParticipantsReport",
    "WarningsWritten",
]


class AnnualReportCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The board approves the annual report by the decision ``authorised_by`` in its minutes."""

    income: Amount
    costs: Amount
    result: Amount
    equity_at_year_end: Amount
    authorised_by: DecisionRefIn
    depreciation: Amount = Decimal(0)


class WarningsWritten(msgspec.Struct, frozen=True):
    warnings: list[str]
    position: int


class AuditReportCreate(Body, frozen=True, forbid_unknown_fields=True):
    recommends_discharge: bool
    auditors: Annotated[list[Line], Items]
    reported_on: date
    remarks: Text = ""


class DischargeCreate(Body, frozen=True, forbid_unknown_fields=True):
    """One member organisation's own decision on discharge for the board."""

    member_key: Line
    granted: bool
    decision: DecisionRefIn
    body_kind: BodyKind
    """The kind of body that decided: ``fullmaktige`` (kommun, region) or ``myndighet`` (Försäkringskassan)."""


class InterventionCreate(Body, frozen=True, forbid_unknown_fields=True):
    name: Line
    kind: InterventionKind
    owner: Line
    starts_on: date
    ends_on: date | None = None
    funding: Annotated[dict[Line, Amount], Items] = msgspec.field(default_factory=dict)
    """Source (``finsam``, ``esf``, ``ovrigt``) -> kronor."""


class InterventionWritten(msgspec.Struct, frozen=True):
    id: UUID
    position: int


class ParticipantsReport(Body, frozen=True, forbid_unknown_fields=True):
    """The year's aggregate figures; unknown fields (a name, a personnummer) are refused with 400."""

    participants: Count
    exited: Count
    new: Count | None = None
    women: Count | None = None
    men: Count | None = None
    exits: Annotated[dict[ExitOutcome, Count], Items] = msgspec.field(default_factory=dict)
    reported_on: date | None = None
    comment: Text = ""

    def counts(self) -> dict[str, object]:
        data: dict[str, object] = {"participants": self.participants, "exited": self.exited}
        for key in ("new", "women", "men"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.exits:
            data["exits"] = {outcome.value: count for outcome, count in self.exits.items()}
        return data


class AnnualReportView(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    result: Decimal
    equity_at_year_end: Decimal
    discharge: DischargeStatus


ForbundParticipants = ShownFigures
"""The year's participant figures as every read shows them: ``"<5"`` / ``".."`` for small counts."""
