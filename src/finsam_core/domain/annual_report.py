"""The annual report (årsredovisning) of one förbund and year, the audit and each member's discharge.

The board approves the annual report by a decision; the auditors' report records whether they
recommend discharge; then every member organisation decides on discharge (ansvarsfrihet) on its
own, with a reference to its own decision (such as the regional council's). Only the organisations
that were members during the year may decide.

Inside a member the discharge is a chain (:mod:`finsam_core.rules.discharge`): committees and the
board propose (:meth:`AnnualReport.propose_discharge`), the council decides; Försäkringskassan decides
for the state. Only auditors appointed for the year sign the audit report. One member's handling
may cover several förbund at once (`001_*`): each step names the förbund it ``covers``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.versions import association_to_forbund
from finsam_core.errors import DischargeRuleViolation, InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.rules.discharge import BodyKind, decides_for_itself, may_decide, may_propose, step_out_of_order
from finsam_core.rules.money import format_kronor
from finsam_core.values import MemberOrganisation, Value, require_exact

__all__ = [
    "AnnualReport",
    "AuditReport",
    "DischargeDecision",
    "DischargeProposal",
    "ReportFigures",
    "annual_report_id",
]


def annual_report_id(forbund_id: UUID, year: int) -> UUID:
    return uuid5(forbund_id, f"annual-report:{year}")


class ReportFigures(Value, frozen=True):
    """The income statement's totals and equity at year end, in kronor (result signed)."""

    income: Decimal
    costs: Decimal
    depreciation: Decimal
    result: Decimal
    equity_at_year_end: Decimal

    def __post_init__(self) -> None:
        for what, amount in (
            ("Intäkterna", self.income),
            ("Kostnaderna", self.costs),
            ("Avskrivningarna", self.depreciation),
            ("Resultatet", self.result),
            ("Det egna kapitalet", self.equity_at_year_end),
        ):
            require_exact(amount, what)


class AuditReport(Value, frozen=True):
    recommends_discharge: bool
    auditors: tuple[str, ...]
    reported_on: date
    remarks: str = ""


class DischargeDecision(Value, frozen=True):
    """A member's decision on discharge. ``body_kind`` is ``None`` in decisions recorded before issue 15."""

    member_key: str
    granted: bool
    decision: DecisionRef
    body_kind: BodyKind | None = None
    covers: tuple[str, ...] = ()
    """The org nrs of every förbund the same decision covers (empty: this one only)."""


class DischargeProposal(Value, frozen=True):
    """A step before the decision: a committee or the member's board proposes to grant or refuse."""

    member_key: str
    grant: bool
    proposal: DecisionRef
    body_kind: BodyKind
    covers: tuple[str, ...] = ()


def _discharge_v1_v2(state: dict[str, Any]) -> None:
    """Version 1 knew neither the kind of body that decided nor the förbund a decision covered."""
    decision = state["decision"]
    decision.setdefault("body_kind", None)
    decision.setdefault("covers", [])


def check_figures(figures: ReportFigures) -> None:
    for what, amount in (
        ("Intäkterna", figures.income),
        ("Kostnaderna", figures.costs),
        ("Avskrivningarna", figures.depreciation),
    ):
        if amount < 0:
            raise InvalidInput(f"{what} kan inte vara negativa ({format_kronor(amount)}).")
    computed = figures.income - figures.costs - figures.depreciation
    if computed != figures.result:
        raise MoneyRuleViolation(
            f"Intäkter minus kostnader och avskrivningar blir {format_kronor(computed)}, men "
            f"årets resultat anges till {format_kronor(figures.result)}."
        )


class AnnualReport(Aggregate):
    """A förbund's annual report for one year, the audit and the members' discharge decisions."""

    @staticmethod
    def create_id(forbund_id: UUID, year: int) -> UUID:
        return annual_report_id(forbund_id, year)

    @classmethod
    def approve(
        cls,
        *,
        forbund_id: UUID,
        org_nr: str,
        year: int,
        figures: ReportFigures,
        members: tuple[MemberOrganisation, ...],
        approved_on: date,
        authorised_by: DecisionRef,
        late: bool,
    ) -> AnnualReport:
        """The board approves the annual report; ``members`` are those who decide on discharge."""
        check_figures(figures)
        if approved_on <= date(year, 12, 31):
            raise MoneyRuleViolation(
                f"Årsredovisningen för {year} kan inte godkännas före årets slut ({approved_on.isoformat()})."
            )
        return cls(
            forbund_id=forbund_id,
            org_nr=org_nr,
            year=year,
            figures=figures,
            members=members,
            approved_on=approved_on,
            authorised_by=authorised_by,
            late=late,
        )

    class Approved(Aggregate.Created):
        """Version 2 names the förbund ``forbund_id``; version 1 said ``association_id``."""

        class_version = 2
        forbund_id: UUID
        org_nr: str
        year: int
        figures: ReportFigures
        members: tuple[MemberOrganisation, ...]
        approved_on: date
        authorised_by: DecisionRef
        late: bool
        upcast_v1_v2 = staticmethod(association_to_forbund)

    @event(Approved)
    def __init__(
        self,
        forbund_id: UUID,
        org_nr: str,
        year: int,
        figures: ReportFigures,
        members: tuple[MemberOrganisation, ...],
        approved_on: date,
        authorised_by: DecisionRef,
        late: bool,
    ) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.year = year
        self.figures = figures
        self.members = members
        self.approved_on = approved_on
        self.authorised_by = authorised_by
        self.late = late
        self.audit: AuditReport | None = None
        self.discharges: dict[str, DischargeDecision] = {}
        self.proposals: dict[str, list[DischargeProposal]] = {}

    def record_audit(self, report: AuditReport, appointed: tuple[str, ...]) -> None:
        """The auditors' report and their recommendation on discharge.

        ``appointed`` are the names of the auditors appointed for the year: only they may sign.
        """
        if self.audit is not None:
            raise MoneyRuleViolation(f"Revisionsberättelsen för {self.year} är redan registrerad.")
        if not report.auditors or any(not name.strip() for name in report.auditors):
            raise InvalidInput("Ange revisorerna som har skrivit revisionsberättelsen.")
        if report.reported_on <= date(self.year, 12, 31):
            raise InvalidInput(f"Revisionsberättelsen för {self.year} kan inte vara daterad före årets slut.")
        known = {_name_key(name) for name in appointed}
        strangers = [name for name in report.auditors if _name_key(name) not in known]
        if strangers:
            who = ", ".join(strangers)
            listed = ", ".join(appointed) if appointed else "inga revisorer är registrerade"
            appointed_as = "utsedd till revisor" if len(strangers) == 1 else "utsedda till revisorer"
            raise DischargeRuleViolation(
                f"{who} är inte {appointed_as} för förbundet {self.year} och kan inte skriva under "
                f"revisionsberättelsen (utsedda: {listed})."
            )
        if len(known & {_name_key(n) for n in report.auditors}) != len(report.auditors):
            raise InvalidInput("Samma revisor kan bara skriva under revisionsberättelsen en gång.")
        self._audit_reported(report=report)

    @event("AuditReported")
    def _audit_reported(self, report: AuditReport) -> None:
        self.audit = report

    def _member_step(self, member_key: str, body: BodyKind, on: date, *, deciding: bool) -> MemberOrganisation:
        """The checks every step of a member's chain shares; returns the member."""
        member = next((m for m in self.members if m.key == member_key), None)
        if member is None:
            raise MembershipRuleViolation(
                f"{member_key} var inte medlem i förbundet {self.year} och kan inte besluta "
                "om ansvarsfrihet för styrelsen."
            )
        if self.audit is None:
            raise MoneyRuleViolation(
                "Revisionsberättelsen är inte registrerad; medlemmarna beslutar om ansvarsfrihet "
                "efter revisorernas prövning."
            )
        if member.key in self.discharges:
            raise MoneyRuleViolation(f"{member.name} har redan beslutat om ansvarsfrihet för {self.year}.")
        what = "Beslutet om ansvarsfrihet" if deciding else "Förslaget om ansvarsfrihet"
        if on < self.audit.reported_on:
            raise InvalidInput(
                f"{what} ({on.isoformat()}) kan inte komma före revisionsberättelsen "
                f"({self.audit.reported_on.isoformat()})."
            )
        if not decides_for_itself(member.kind):
            raise DischargeRuleViolation(
                f"{member.name} beslutar inte själv om ansvarsfrihet: Försäkringskassan beslutar för staten, "
                "för båda de statliga medlemmarna."
            )
        allowed = may_decide(member.kind, body) if deciding else may_propose(member.kind, body)
        if not allowed:
            verb = "besluta om" if deciding else "föreslå"
            raise DischargeRuleViolation(f"För {member.name} kan {body.label} inte {verb} ansvarsfrihet.")
        earlier = tuple((p.body_kind, p.proposal.decided_on) for p in self.proposals.get(member.key, ()))
        problem = step_out_of_order(earlier, body, on)
        if problem is not None:
            raise DischargeRuleViolation(f"Stegen i {member.name}s behandling är i fel ordning: {problem}.")
        return member

    def propose_discharge(self, proposal: DischargeProposal) -> None:
        """A committee or the member's board proposes that the member grant (or refuse) discharge."""
        self._member_step(proposal.member_key, proposal.body_kind, proposal.proposal.decided_on, deciding=False)
        self._discharge_proposed(proposal=proposal)

    @event("DischargeProposed")
    def _discharge_proposed(self, proposal: DischargeProposal) -> None:
        self.proposals.setdefault(proposal.member_key, []).append(proposal)

    def decide_discharge(self, decision: DischargeDecision) -> None:
        """One member organisation grants or refuses discharge for the board, by its own decision."""
        if decision.body_kind is None:
            raise InvalidInput("Ange vilket slags organ som beslutar om ansvarsfrihet.")
        self._member_step(decision.member_key, decision.body_kind, decision.decision.decided_on, deciding=True)
        self._discharge_decided(decision=decision)

    class DischargeDecided(Aggregate.Event):
        """Version 2 says which kind of body decided and which förbund the decision covers."""

        class_version = 2
        decision: DischargeDecision
        upcast_v1_v2 = staticmethod(_discharge_v1_v2)

    @event(DischargeDecided)
    def _discharge_decided(self, decision: DischargeDecision) -> None:
        self.discharges[decision.member_key] = decision


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()
