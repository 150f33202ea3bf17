"""Discharge status for a förbund's year: the auditors, the audit report and each member's chain.

Each member's chain lists its steps in order (a committee's and the board's proposals, then the
decision). Arbetsförmedlingen's status follows Försäkringskassan's decision, which is taken for the
whole state. ``waiting_on`` names the members that have not decided yet, and what they are at.
"""

from __future__ import annotations

from datetime import date

import msgspec

from finsam_core.domain.annual_report import AnnualReport, DischargeDecision
from finsam_core.domain.auditors import AuditorAppointment
from finsam_core.rules.discharge import STATE_DECIDER, decides_for_itself
from finsam_core.values import MemberKind, MemberOrganisation

__all__ = ["AuditorView", "DischargeStatus", "DischargeStepView", "MemberDischarge", "discharge_status"]


class AuditorView(msgspec.Struct, frozen=True):
    name: str
    member_key: str
    member_name: str
    kind: str
    starts_on: date
    ends_on: date


class DischargeStepView(msgspec.Struct, frozen=True):
    step: str
    """``forslag`` or ``beslut``."""
    body: str
    body_kind: str | None
    reference: str
    decided_on: date
    grant: bool
    covers: tuple[str, ...] = ()


class MemberDischarge(msgspec.Struct, frozen=True):
    member_key: str
    member_name: str
    decided: bool
    granted: bool | None
    decision: str | None
    decided_on: date | None
    steps: tuple[DischargeStepView, ...] = ()
    decided_through: str | None = None
    """The member whose decision is this member's (``FK`` for Arbetsförmedlingen), else ``None``."""
    waiting_for: str | None = None
    """What the member's chain waits for, in Swedish; ``None`` once decided."""


class DischargeStatus(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    approved_on: date
    late: bool
    audited: bool
    auditors_recommend: bool | None
    members: tuple[MemberDischarge, ...]
    auditors: tuple[AuditorView, ...] = ()
    """The auditors appointed for the year."""
    audit_signed_by: tuple[str, ...] = ()
    audit_reported_on: date | None = None
    fully_discharged: bool = False
    """Every member has decided, and every one granted discharge."""
    waiting_on: tuple[str, ...] = ()
    """The names of the members that have not decided."""

    @property
    def undecided(self) -> tuple[str, ...]:
        return tuple(m.member_key for m in self.members if not m.decided)

    @property
    def complete(self) -> bool:
        return not self.undecided


def _decision_step(decision: DischargeDecision) -> DischargeStepView:
    return DischargeStepView(
        step="beslut",
        body=decision.decision.body,
        body_kind=None if decision.body_kind is None else decision.body_kind.value,
        reference=decision.decision.reference,
        decided_on=decision.decision.decided_on,
        grant=decision.granted,
        covers=decision.covers,
    )


def _member(report: AnnualReport, member: MemberOrganisation) -> MemberDischarge:
    decision = report.discharges.get(member.key)
    through: str | None = None
    if decision is None and not decides_for_itself(member.kind):
        state = next((m for m in report.members if m.kind is STATE_DECIDER), None)
        if state is not None:
            through = state.key
            decision = report.discharges.get(state.key)
    steps = [
        DischargeStepView(
            step="forslag",
            body=p.proposal.body,
            body_kind=p.body_kind.value,
            reference=p.proposal.reference,
            decided_on=p.proposal.decided_on,
            grant=p.grant,
            covers=p.covers,
        )
        for p in report.proposals.get(member.key, ())
    ]
    if decision is not None and through is None:
        steps.append(_decision_step(decision))
    waiting: str | None = None
    if decision is None:
        if report.audit is None:
            waiting = "revisionsberättelsen"
        elif through is not None or member.kind is MemberKind.ARBETSFORMEDLINGEN:
            waiting = "Försäkringskassans beslut för staten"
        elif member.kind is MemberKind.FORSAKRINGSKASSAN:
            waiting = "Försäkringskassans beslut"
        elif steps:
            waiting = "fullmäktiges beslut"  # the steps so far are listed beside it
        else:
            waiting = "förslag och fullmäktiges beslut"
    return MemberDischarge(
        member_key=member.key,
        member_name=member.name,
        decided=decision is not None,
        granted=decision.granted if decision else None,
        decision=str(decision.decision) if decision else None,
        decided_on=decision.decision.decided_on if decision else None,
        steps=tuple(steps),
        decided_through=through,
        waiting_for=waiting,
    )


def discharge_status(report: AnnualReport, auditors: tuple[AuditorAppointment, ...] = ()) -> DischargeStatus:
    """The status of ``report``'s year; ``auditors`` are those appointed for the year."""
    members = tuple(_member(report, member) for member in report.members)
    return DischargeStatus(
        org_nr=report.org_nr,
        year=report.year,
        approved_on=report.approved_on,
        late=report.late,
        audited=report.audit is not None,
        auditors_recommend=report.audit.recommends_discharge if report.audit else None,
        members=members,
        auditors=tuple(
            AuditorView(a.name, a.member_key, a.member_name, a.kind.value, a.starts_on, a.ends_on) for a in auditors
        ),
        audit_signed_by=report.audit.auditors if report.audit else (),
        audit_reported_on=report.audit.reported_on if report.audit else None,
        fully_discharged=bool(members) and all(m.decided and m.granted for m in members),
        waiting_on=tuple(m.member_name for m in members if not m.decided),
    )
