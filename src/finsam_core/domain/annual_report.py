"""The annual report (årsredovisning) of one förbund and year, the audit and each member's discharge.

The board approves the annual report by a decision; the auditors' report records whether they
recommend discharge; then every member organisation decides on discharge (ansvarsfrihet) on its
own, with a reference to its own decision (such as the regional council's). Only the organisations
that were members during the year may decide.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.versions import association_to_forbund
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.rules.money import format_kronor
from finsam_core.values import MemberOrganisation, Value, require_exact

__all__ = ["AnnualReport", "AuditReport", "DischargeDecision", "ReportFigures", "annual_report_id"]


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
    member_key: str
    granted: bool
    decision: DecisionRef


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

    def record_audit(self, report: AuditReport) -> None:
        """The auditors' report and their recommendation on discharge."""
        if self.audit is not None:
            raise MoneyRuleViolation(f"Revisionsberättelsen för {self.year} är redan registrerad.")
        if not report.auditors or any(not name.strip() for name in report.auditors):
            raise InvalidInput("Ange revisorerna som har skrivit revisionsberättelsen.")
        if report.reported_on <= date(self.year, 12, 31):
            raise InvalidInput(f"Revisionsberättelsen för {self.year} kan inte vara daterad före årets slut.")
        self._audit_reported(report=report)

    @event("AuditReported")
    def _audit_reported(self, report: AuditReport) -> None:
        self.audit = report

    def decide_discharge(self, decision: DischargeDecision) -> None:
        """One member organisation grants or refuses discharge for the board, by its own decision."""
        member = next((m for m in self.members if m.key == decision.member_key), None)
        if member is None:
            raise MembershipRuleViolation(
                f"{decision.member_key} var inte medlem i förbundet {self.year} och kan inte besluta "
                "om ansvarsfrihet för styrelsen."
            )
        if self.audit is None:
            raise MoneyRuleViolation(
                "Revisionsberättelsen är inte registrerad; medlemmarna beslutar om ansvarsfrihet "
                "efter revisorernas prövning."
            )
        if decision.member_key in self.discharges:
            raise MoneyRuleViolation(f"{member.name} har redan beslutat om ansvarsfrihet för {self.year}.")
        if decision.decision.decided_on < self.audit.reported_on:
            raise InvalidInput(
                f"Beslutet om ansvarsfrihet ({decision.decision.decided_on.isoformat()}) kan inte komma "
                f"före revisionsberättelsen ({self.audit.reported_on.isoformat()})."
            )
        self._discharge_decided(decision=decision)

    @event("DischargeDecided")
    def _discharge_decided(self, decision: DischargeDecision) -> None:
        self.discharges[decision.member_key] = decision
