"""Request and response bodies of the delegation order, delegated decisions and per capsulam decisions.

The read shapes are the core's own rows (:mod:`finsam_core.projections.delegation`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from finsam_core.domain.delegation import DelegationItem
from finsam_core.rules.delegation import MatterClass
from finsam_core.values import Ballot, MatterKind
from finsam_service.budgets.schemas import DecisionRefIn
from finsam_service.inputs import Amount, Body, Items, Line, Number, Text

__all__ = [
    "DelegatedDecisionCreate",
    "DelegatedDecisionWritten",
    "DelegationItemIn",
    "DelegationOrderCreate",
    "DelegationReportCreate",
    "PerCapsulamAnswer",
    "PerCapsulamClose",
    "PerCapsulamClosed",
    "PerCapsulamCreate",
    "PerCapsulamReportCreate",
]


class DelegationItemIn(Body, frozen=True, forbid_unknown_fields=True):
    """One item of the order: a group of matters, its delegate (a role or a ledamot) and any amount limit."""

    code: Line
    matter: Text
    delegate: Line
    limit: Amount | None = None
    matter_class: MatterClass = MatterClass.ORDINARY
    urgent: bool = False
    """Urgent matters (kommunallagen 6 kap. 39 §): only the chair or a ledamot; reported at the next meeting (40 §)."""

    def to_domain(self) -> DelegationItem:
        return DelegationItem(self.code, self.matter, self.delegate, self.limit, self.matter_class, self.urgent)


class DelegationOrderCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A delegation order the board adopted in ``adopted_by`` (a paragraph of its minutes)."""

    valid_from: date
    adopted_by: DecisionRefIn
    items: Annotated[list[DelegationItemIn], Items]


class DelegatedDecisionCreate(Body, frozen=True, forbid_unknown_fields=True):
    decided_on: date
    item_code: Line
    delegate: Line
    matter: Text
    amount: Amount | None = None
    matter_class: MatterClass = MatterClass.ORDINARY
    registry_number: Line = ""


class DelegatedDecisionWritten(msgspec.Struct, frozen=True):
    number: int
    """The decision's number in the förbund's list (used to report it)."""
    urgent: bool
    position: int


class DelegationReportCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The delegated decisions reported to the board in this paragraph (anmälan av delegationsbeslut)."""

    decisions: Annotated[list[Number], Items]


class PerCapsulamCreate(Body, frozen=True, forbid_unknown_fields=True):
    reference: Line
    proposal: Text
    sent_on: date
    matter: MatterKind = MatterKind.GENERAL


class PerCapsulamAnswer(Body, frozen=True, forbid_unknown_fields=True):
    name: Line
    ballot: Ballot
    answered_on: date


class PerCapsulamClose(Body, frozen=True, forbid_unknown_fields=True):
    closed_on: date


class PerCapsulamClosed(msgspec.Struct, frozen=True):
    outcome: str
    position: int


class PerCapsulamReportCreate(Body, frozen=True, forbid_unknown_fields=True):
    """The per capsulam decision reported to the board in this paragraph."""

    decision: Line
