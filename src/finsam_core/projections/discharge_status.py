"""Discharge status for a förbund's year: the audit's recommendation and which members have decided."""

from __future__ import annotations

from datetime import date

import msgspec

from finsam_core.domain.annual_report import AnnualReport

__all__ = ["DischargeStatus", "MemberDischarge", "discharge_status"]


class MemberDischarge(msgspec.Struct, frozen=True):
    member_key: str
    member_name: str
    decided: bool
    granted: bool | None
    decision: str | None
    decided_on: date | None


class DischargeStatus(msgspec.Struct, frozen=True):
    org_nr: str
    year: int
    approved_on: date
    late: bool
    audited: bool
    auditors_recommend: bool | None
    members: tuple[MemberDischarge, ...]

    @property
    def undecided(self) -> tuple[str, ...]:
        return tuple(m.member_key for m in self.members if not m.decided)

    @property
    def complete(self) -> bool:
        return not self.undecided


def discharge_status(report: AnnualReport) -> DischargeStatus:
    members = []
    for member in report.members:
        decision = report.discharges.get(member.key)
        members.append(
            MemberDischarge(
                member_key=member.key,
                member_name=member.name,
                decided=decision is not None,
                granted=decision.granted if decision else None,
                decision=str(decision.decision) if decision else None,
                decided_on=decision.decision.decided_on if decision else None,
            )
        )
    return DischargeStatus(
        org_nr=report.org_nr,
        year=report.year,
        approved_on=report.approved_on,
        late=report.late,
        audited=report.audit is not None,
        auditors_recommend=report.audit.recommends_discharge if report.audit else None,
        members=tuple(members),
    )
