"""Auditors, the audit report and discharge: a member's chain from proposal to decision.

The rules live in :mod:`finsam_core.rules.discharge` and in the aggregates
(:class:`~finsam_core.domain.auditors.AuditorRoster`,
:class:`~finsam_core.domain.annual_report.AnnualReport`); the methods here find the förbund's
members and the auditors appointed for the year, and record one member's handling that covers
several förbund (`001_*`: a region's committee proposes discharge for four förbund at once) in one
write: on every förbund or on none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from finsam_core.application.base import command
from finsam_core.application.money import MoneyCommands
from finsam_core.domain.annual_report import (
    AnnualReport,
    AuditReport,
    DischargeDecision,
    DischargeProposal,
    annual_report_id,
)
from finsam_core.domain.auditors import AuditorAppointment, AuditorRoster, auditor_roster_id
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.forbund import forbund_id
from finsam_core.errors import InvalidInput, MembershipRuleViolation
from finsam_core.projections.discharge_status import DischargeStatus, discharge_status
from finsam_core.rules.discharge import AuditorKind, BodyKind, StepKind
from finsam_core.values import validate_org_nr

__all__ = ["DischargeCommands"]


class DischargeCommands(MoneyCommands):
    """Commands and reads of auditors, audit reports and the members' discharge chains."""

    # --- auditors -------------------------------------------------------------------------

    @command
    def appoint_auditor(
        self,
        org_nr: str,
        member_key: str,
        name: str,
        kind: AuditorKind,
        starts_on: date,
        ends_on: date,
        appointed_by: str = "",
    ) -> AuditorAppointment:
        """``member_key`` appoints an auditor of the förbund for the term ``starts_on``–``ends_on``."""
        forbund = self.forbund(org_nr)
        membership = next(
            (
                m
                for m in forbund.memberships
                if m.member.key == member_key
                and m.joined_on <= ends_on
                and (m.leaves_on is None or m.leaves_on > starts_on)
            ),
            None,
        )
        if membership is None:
            raise MembershipRuleViolation(
                f"{member_key} är inte medlem i förbundet {starts_on.isoformat()}–{ends_on.isoformat()} "
                "och kan inte utse en revisor."
            )
        roster = self._find(auditor_roster_id(forbund.id), AuditorRoster) or AuditorRoster(
            forbund_id=forbund.id, org_nr=forbund.org_nr
        )
        appointment = roster.appoint(membership.member, name, kind, starts_on, ends_on, appointed_by)
        self._stage(roster)
        return appointment

    def auditors(self, org_nr: str, year: int) -> tuple[AuditorAppointment, ...]:
        """The auditors appointed for the förbund's ``year``."""
        roster = self._find(auditor_roster_id(forbund_id(validate_org_nr(org_nr))), AuditorRoster)
        return () if roster is None else roster.serving_during(year)

    # --- the audit report -----------------------------------------------------------------

    @command
    def record_audit_report(
        self,
        org_nr: str,
        year: int,
        *,
        recommends_discharge: bool,
        auditors: tuple[str, ...],
        reported_on: date,
        remarks: str = "",
    ) -> None:
        """The audit report, signed by auditors appointed for the year, and their recommendation."""
        report = self.annual_report(org_nr, year)
        appointed = tuple(a.name for a in self.auditors(org_nr, year))
        report.record_audit(
            AuditReport(
                recommends_discharge=recommends_discharge,
                auditors=auditors,
                reported_on=reported_on,
                remarks=remarks,
            ),
            appointed,
        )
        self._stage(report)

    # --- the discharge chain --------------------------------------------------------------

    @command
    def propose_discharge(
        self, org_nr: str, year: int, member_key: str, grant: bool, proposal: DecisionRef, *, body_kind: BodyKind
    ) -> None:
        """A committee or the board of ``member_key`` proposes that the member grant (or refuse) discharge."""
        report = self.annual_report(org_nr, year)
        report.propose_discharge(
            DischargeProposal(member_key=member_key, grant=grant, proposal=proposal, body_kind=body_kind)
        )
        self._stage(report)

    @command
    def decide_discharge(
        self, org_nr: str, year: int, member_key: str, granted: bool, decision: DecisionRef, *, body_kind: BodyKind
    ) -> None:
        """A member organisation grants or refuses discharge for the board, by its own decision."""
        report = self.annual_report(org_nr, year)
        report.decide_discharge(
            DischargeDecision(member_key=member_key, granted=granted, decision=decision, body_kind=body_kind)
        )
        self._stage(report)

    @command
    def record_member_discharge_step(
        self,
        member_name: str,
        year: int,
        org_nrs: Sequence[str],
        *,
        step: StepKind,
        body_kind: BodyKind,
        grant: bool,
        ref: DecisionRef,
    ) -> tuple[str, ...]:
        """One member's proposal or decision that covers several förbund, recorded on each or on none.

        The member is named as the förbunds name it (``Region Örebro län``); returns the org nrs.
        """
        covers = tuple(sorted({validate_org_nr(o) for o in org_nrs}))
        if not covers:
            raise InvalidInput("Ange minst ett förbund som beslutet gäller.")
        wanted = " ".join(member_name.split()).casefold()
        reports: list[tuple[AnnualReport, str]] = []
        for org_nr in covers:
            report = self.annual_report(org_nr, year)
            member = next((m for m in report.members if m.name.casefold() == wanted), None)
            if member is None:
                raise MembershipRuleViolation(
                    f"{member_name} var inte medlem i förbundet {org_nr} {year} och kan inte besluta om "
                    "ansvarsfrihet för dess styrelse."
                )
            reports.append((report, member.key))
        for report, key in reports:
            if step is StepKind.PROPOSAL:
                report.propose_discharge(
                    DischargeProposal(member_key=key, grant=grant, proposal=ref, body_kind=body_kind, covers=covers)
                )
            else:
                report.decide_discharge(
                    DischargeDecision(member_key=key, granted=grant, decision=ref, body_kind=body_kind, covers=covers)
                )
        self._stage(*(report for report, _ in reports))
        return covers

    def discharge_status(self, org_nr: str, year: int) -> DischargeStatus:
        return discharge_status(self.annual_report(org_nr, year), self.auditors(org_nr, year))

    def network_discharge(self, year: int, org_nrs: Sequence[str]) -> tuple[DischargeStatus, ...]:
        """The discharge status of ``year`` for each of ``org_nrs`` that has an approved annual report."""
        found = []
        for org_nr in org_nrs:
            report = self._find_report(org_nr, year)
            if report is not None:
                found.append(discharge_status(report, self.auditors(org_nr, year)))
        return tuple(found)

    def _find_report(self, org_nr: str, year: int) -> AnnualReport | None:
        return self._find(annual_report_id(forbund_id(validate_org_nr(org_nr)), year), AnnualReport)
