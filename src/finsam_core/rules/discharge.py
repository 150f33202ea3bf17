"""Who audits a förbund and who decides on discharge (ansvarsfrihet) for its board: pure rules.

Finsamlagen (2003:1210) and the members' own order: the state's two members (Försäkringskassan
and Arbetsförmedlingen) have an authorised auditor (auktoriserad revisor), appointed by
Försäkringskassan for the state; a region or a kommun elects lay auditors (förtroendevalda
revisorer). Each member decides on discharge on its own, after the audit report: in a kommun or a
region a committee and the board (kommunstyrelse, regionstyrelse) propose and the council
(fullmäktige) decides; Försäkringskassan decides for the whole state, for both state members.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from finsam_core.values import MemberKind

__all__ = [
    "STATE_DECIDER",
    "AuditorKind",
    "BodyKind",
    "StepKind",
    "decides_for_itself",
    "may_decide",
    "may_propose",
    "required_auditor_kind",
    "step_out_of_order",
]


class AuditorKind(StrEnum):
    AUTHORISED = "auktoriserad"
    """An authorised auditor (auktoriserad revisor): the state's."""
    LAY = "fortroendevald"
    """An elected lay auditor (förtroendevald revisor): a region's or a kommun's."""

    @property
    def label(self) -> str:
        return "auktoriserad revisor" if self is AuditorKind.AUTHORISED else "förtroendevald revisor"


class BodyKind(StrEnum):
    """The kind of body that takes a step in a member's discharge chain, in the order they act."""

    COMMITTEE = "utskott"
    """A committee: an arbetsutskott, a nämnd (regionstyrelsens arbetsutskott in `001_*`)."""
    BOARD = "styrelse"
    """The member's board: kommunstyrelsen, regionstyrelsen."""
    COUNCIL = "fullmaktige"
    """The council: kommunfullmäktige, regionfullmäktige."""
    AGENCY = "myndighet"
    """A state agency: Försäkringskassan, for the state."""

    @property
    def label(self) -> str:
        return _BODY_LABELS[self]

    @property
    def rank(self) -> int:
        return _BODY_ORDER.index(self)


_BODY_LABELS = {
    BodyKind.COMMITTEE: "ett utskott eller en nämnd",
    BodyKind.BOARD: "styrelsen (kommunstyrelsen eller regionstyrelsen)",
    BodyKind.COUNCIL: "fullmäktige",
    BodyKind.AGENCY: "myndigheten",
}
_BODY_ORDER = (BodyKind.COMMITTEE, BodyKind.BOARD, BodyKind.COUNCIL, BodyKind.AGENCY)


class StepKind(StrEnum):
    PROPOSAL = "forslag"
    DECISION = "beslut"


STATE_DECIDER = MemberKind.FORSAKRINGSKASSAN
"""Försäkringskassan decides on discharge for the state: for itself and for Arbetsförmedlingen."""


def required_auditor_kind(member: MemberKind) -> AuditorKind:
    """The state's members have an authorised auditor; a region or a kommun lay auditors."""
    if member in (MemberKind.FORSAKRINGSKASSAN, MemberKind.ARBETSFORMEDLINGEN):
        return AuditorKind.AUTHORISED
    return AuditorKind.LAY


def decides_for_itself(member: MemberKind) -> bool:
    """Arbetsförmedlingen does not decide on discharge: Försäkringskassan decides for the state."""
    return member is not MemberKind.ARBETSFORMEDLINGEN


def may_decide(member: MemberKind, body: BodyKind) -> bool:
    """A kommun's or a region's council decides; for the state, Försäkringskassan (the agency)."""
    if member is MemberKind.FORSAKRINGSKASSAN:
        return body is BodyKind.AGENCY
    if member in (MemberKind.REGION, MemberKind.KOMMUN):
        return body is BodyKind.COUNCIL
    return False


def may_propose(member: MemberKind, body: BodyKind) -> bool:
    """A committee or the board proposes, inside a kommun or a region (the agency decides directly)."""
    return member in (MemberKind.REGION, MemberKind.KOMMUN) and body in (BodyKind.COMMITTEE, BodyKind.BOARD)


def step_out_of_order(earlier: tuple[tuple[BodyKind, date], ...], body: BodyKind, on: date) -> str | None:
    """Why a step by ``body`` on ``on`` cannot follow the ``earlier`` steps (body, date), or ``None``.

    Each step is taken by a body later in the order committee → board → council than the step
    before it, and not before it in time.
    """
    if not earlier:
        return None
    last_body, last_on = earlier[-1]
    if body.rank <= last_body.rank:
        return f"{body.label} kan inte ta ett steg efter {last_body.label}"
    if on < last_on:
        return f"steget ({on.isoformat()}) kan inte komma före det föregående ({last_on.isoformat()})"
    return None
