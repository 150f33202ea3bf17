"""The auditors (revisorer) each member appoints to examine a förbund, for a term.

The state's authorised auditor is appointed by Försäkringskassan for both state members; a region
and each kommun elect lay auditors. Only an auditor appointed for a year may sign that year's
audit report (:meth:`~finsam_core.domain.annual_report.AnnualReport.record_audit`).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.errors import DischargeRuleViolation, InvalidInput
from finsam_core.rules.discharge import AuditorKind, required_auditor_kind
from finsam_core.values import MemberOrganisation, Value

__all__ = ["AuditorAppointment", "AuditorRoster", "auditor_roster_id"]


def auditor_roster_id(forbund_id: UUID) -> UUID:
    return uuid5(forbund_id, "auditors")


class AuditorAppointment(Value, frozen=True):
    """One auditor appointed by one member for a term (both days included)."""

    name: str
    member_key: str
    member_name: str
    kind: AuditorKind
    starts_on: date
    ends_on: date
    appointed_by: str = ""
    """The appointing decision, as the member names it (may be empty when the source does not say)."""

    def serves_during(self, year: int) -> bool:
        return self.starts_on <= date(year, 12, 31) and self.ends_on >= date(year, 1, 1)


class AuditorRoster(Aggregate):
    """A förbund's auditors over time."""

    @staticmethod
    def create_id(forbund_id: UUID, org_nr: str) -> UUID:
        return auditor_roster_id(forbund_id)

    @event("Started")
    def __init__(self, forbund_id: UUID, org_nr: str) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.appointments: list[AuditorAppointment] = []

    def appoint(
        self,
        member: MemberOrganisation,
        name: str,
        kind: AuditorKind,
        starts_on: date,
        ends_on: date,
        appointed_by: str = "",
    ) -> AuditorAppointment:
        """``member`` appoints ``name`` for the term; the kind must be the one the law gives the member."""
        name = " ".join(name.split())
        if not name:
            raise InvalidInput("Ange revisorns namn.")
        if ends_on < starts_on:
            raise InvalidInput(
                f"Revisorns uppdrag kan inte sluta ({ends_on.isoformat()}) före det börjar ({starts_on.isoformat()})."
            )
        required = required_auditor_kind(member.kind)
        if kind is not required:
            raise DischargeRuleViolation(f"{member.name} utser en {required.label}, inte en {kind.label} ({name}).")
        for other in self.appointments:
            if other.name == name and other.starts_on <= ends_on and starts_on <= other.ends_on:
                raise DischargeRuleViolation(
                    f"{name} är redan utsedd till revisor {other.starts_on.isoformat()}–{other.ends_on.isoformat()} "
                    f"(för {other.member_name})."
                )
        appointment = AuditorAppointment(
            name=name,
            member_key=member.key,
            member_name=member.name,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            appointed_by=appointed_by.strip(),
        )
        self._appointed(appointment=appointment)
        return appointment

    @event("AuditorAppointed")
    def _appointed(self, appointment: AuditorAppointment) -> None:
        self.appointments.append(appointment)

    def serving_during(self, year: int) -> tuple[AuditorAppointment, ...]:
        """The auditors appointed for ``year`` (serving on at least one of its days)."""
        return tuple(a for a in self.appointments if a.serves_during(year))
