"""Request and response bodies for annual reports, audit reports, discharge, interventions and
participant figures (aggregate counts only: a field that could name a person is refused)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import msgspec

from finsam_core.domain.interventions import ExitOutcome, InterventionKind, ParticipantCounts
from finsam_core.projections.discharge_status import DischargeStatus
from finsam_service.budgets.schemas import DecisionRefIn

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


class AnnualReportCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The board approves the annual report by the decision ``authorised_by`` in its minutes."""

    income: Decimal
    costs: Decimal
    result: Decimal
    equity_at_year_end: Decimal
    authorised_by: DecisionRefIn
    depreciation: Decimal = Decimal(0)


class WarningsWritten(msgspec.Struct, frozen=True):
    warnings: list[str]
    position: int


class AuditReportCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    recommends_discharge: bool
    auditors: list[str]
    reported_on: date
    remarks: str = ""


class DischargeCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One member organisation's own decision on discharge for the board."""

    member_key: str
    granted: bool
    decision: DecisionRefIn


class InterventionCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str
    kind: InterventionKind
    owner: str
    starts_on: date
    ends_on: date | None = None
    funding: dict[str, Decimal] = msgspec.field(default_factory=dict)
    """Source (``finsam``, ``esf``, ``ovrigt``) -> kronor."""


class InterventionWritten(msgspec.Struct, frozen=True):
    id: UUID
    position: int


class ParticipantsReport(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The year's aggregate figures; unknown fields (a name, a personnummer) are refused with 400."""

    participants: int
    exited: int
    new: int | None = None
    women: int | None = None
    men: int | None = None
    exits: dict[ExitOutcome, int] = msgspec.field(default_factory=dict)
    reported_on: date | None = None
    comment: str = ""

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


class ForbundParticipants(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    counts: ParticipantCounts
