"""Request bodies for the board: appointments of ledamöter and ersättare, their endings, and its officers."""

from __future__ import annotations

from datetime import date

from finsam_core.domain.forbund import Office
from finsam_core.values import BoardRole
from finsam_service.budgets.schemas import DecisionRefIn
from finsam_service.inputs import Body, Line

__all__ = [
    "AppointmentCreate",
    "AppointmentEnd",
    "OfficerElect",
]


class AppointmentCreate(Body, frozen=True, forbid_unknown_fields=True):
    """A member organisation appoints a ledamot or ersättare for a term."""

    person: Line
    member_key: Line
    role: BoardRole
    term_from: date
    term_to: date
    authorised_by: DecisionRefIn | None = None


class AppointmentEnd(Body, frozen=True, forbid_unknown_fields=True):
    """A ledamot or ersättare leaves the board before the term ends."""

    person: Line
    member_key: Line
    ended_on: date


class OfficerElect(Body, frozen=True, forbid_unknown_fields=True):
    """The board elects its chair (``ordforande``) or vice chair (``vice_ordforande``) among its ledamöter."""

    person: Line
    office: Office
    term_from: date
    term_to: date
