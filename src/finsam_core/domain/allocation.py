"""The yearly allocation (tilldelning) of one förbund: what each member organisation contributes.

One aggregate per förbund and year. The contributions are checked against the statutory split
(:func:`finsam_core.rules.money.check_allocation`); a contribution that departs from it is refused
unless it is recorded as an explicit deviation with a reason. A revised allocation (a member
changing its amount during the year) is a new event; the history is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.versions import association_to_forbund
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.rules.money import check_allocation, format_kronor
from finsam_core.rules.parameters import StatutoryParameters
from finsam_core.values import MemberKind, MemberOrganisation, Value, require_exact

__all__ = ["Allocation", "AllocationVersion", "Contribution", "allocation_id", "contributions_from"]


def allocation_id(forbund_id: UUID, year: int) -> UUID:
    """The identity of a förbund's allocation for ``year``."""
    return uuid5(forbund_id, f"allocation:{year}")


class Contribution(Value, frozen=True):
    """One member organisation's contribution for the year, in kronor."""

    member_key: str
    member_name: str
    kind: MemberKind
    amount: Decimal

    def __post_init__(self) -> None:
        require_exact(self.amount, f"Bidraget från {self.member_name}")


class AllocationVersion(Value, frozen=True):
    """The allocation as recorded (or revised) on ``recorded_on``."""

    contributions: tuple[Contribution, ...]
    recorded_on: date
    deviations: tuple[str, ...] = ()
    deviation_reason: str | None = None
    authorised_by: DecisionRef | None = None

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.contributions), Decimal(0))


def contributions_from(
    amounts: Mapping[str, Decimal],
    members: list[MemberOrganisation],
    stated_total: Decimal | None,
) -> tuple[Contribution, ...]:
    """Contributions keyed by member key, checked: known members, no negative amounts, the stated total."""
    by_key = {member.key: member for member in members}
    contributions: list[Contribution] = []
    for key, amount in amounts.items():
        member = by_key.get(key)
        if member is None:
            raise MembershipRuleViolation(
                f"{key} är inte medlem i förbundet under året och kan inte bidra till tilldelningen."
            )
        if amount < 0:
            raise InvalidInput(f"Bidraget från {member.name} kan inte vara negativt ({format_kronor(amount)}).")
        contributions.append(Contribution(key, member.name, member.kind, amount))
    if not contributions:
        raise InvalidInput("Ange minst ett bidrag till tilldelningen.")
    total = sum((c.amount for c in contributions), Decimal(0))
    if stated_total is not None and stated_total != total:
        raise MoneyRuleViolation(
            f"Bidragen summerar till {format_kronor(total)}, men totalen anges till "
            f"{format_kronor(stated_total)}. Kontrollera beloppen."
        )
    return tuple(contributions)


def _check_split(
    contributions: tuple[Contribution, ...],
    kommun_key: Mapping[str, Decimal] | None,
    deviation_reason: str | None,
    params: StatutoryParameters,
) -> tuple[str, ...]:
    names = {c.member_key: c.member_name for c in contributions}
    key_by_name = None if kommun_key is None else {names.get(k, k): w for k, w in kommun_key.items()}
    deviations = tuple(
        check_allocation({c.member_name: (c.kind, c.amount) for c in contributions}, key_by_name, params)
    )
    if deviations and not (deviation_reason and deviation_reason.strip()):
        raise MoneyRuleViolation(
            "Tilldelningen följer inte den lagstadgade fördelningen: "
            + " ".join(deviations)
            + " Registrera den som en avvikelse med ett skäl om den ändå är avsedd."
        )
    return deviations


class Allocation(Aggregate):
    """A förbund's allocation for one year, with its history of revisions."""

    @staticmethod
    def create_id(forbund_id: UUID, year: int) -> UUID:
        return allocation_id(forbund_id, year)

    @classmethod
    def record(
        cls,
        *,
        forbund_id: UUID,
        org_nr: str,
        year: int,
        contributions: tuple[Contribution, ...],
        recorded_on: date,
        params: StatutoryParameters,
        kommun_key: Mapping[str, Decimal] | None = None,
        deviation_reason: str | None = None,
        authorised_by: DecisionRef | None = None,
    ) -> Allocation:
        """Record the year's allocation; refuses a split the law does not allow unless a reason is given."""
        deviations = _check_split(contributions, kommun_key, deviation_reason, params)
        version = AllocationVersion(
            contributions=contributions,
            recorded_on=recorded_on,
            deviations=deviations,
            deviation_reason=deviation_reason.strip() if deviations and deviation_reason else None,
            authorised_by=authorised_by,
        )
        return cls(forbund_id=forbund_id, org_nr=org_nr, year=year, version=version)

    class Recorded(Aggregate.Created):
        """Version 2 names the förbund ``forbund_id``; version 1 said ``association_id``."""

        class_version = 2
        forbund_id: UUID
        org_nr: str
        year: int
        version: AllocationVersion
        upcast_v1_v2 = staticmethod(association_to_forbund)

    @event(Recorded)
    def __init__(self, forbund_id: UUID, org_nr: str, year: int, version: AllocationVersion) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.year = year
        self.versions: list[AllocationVersion] = [version]

    def revise(
        self,
        contributions: tuple[Contribution, ...],
        recorded_on: date,
        params: StatutoryParameters,
        kommun_key: Mapping[str, Decimal] | None = None,
        deviation_reason: str | None = None,
        authorised_by: DecisionRef | None = None,
    ) -> None:
        """Replace the contributions from ``recorded_on``; the earlier version stays in the history."""
        if recorded_on < self.versions[-1].recorded_on:
            raise InvalidInput(
                "En ändrad tilldelning kan inte gälla från ett tidigare datum än den senaste "
                f"({self.versions[-1].recorded_on.isoformat()})."
            )
        deviations = _check_split(contributions, kommun_key, deviation_reason, params)
        self._revised(
            version=AllocationVersion(
                contributions=contributions,
                recorded_on=recorded_on,
                deviations=deviations,
                deviation_reason=deviation_reason.strip() if deviations and deviation_reason else None,
                authorised_by=authorised_by,
            )
        )

    @event("Revised")
    def _revised(self, version: AllocationVersion) -> None:
        self.versions.append(version)

    @property
    def current(self) -> AllocationVersion:
        return self.versions[-1]

    @property
    def total(self) -> Decimal:
        return self.current.total

    def on(self, day: date) -> AllocationVersion | None:
        """The allocation as it stood on ``day`` (``None`` before it was recorded)."""
        found = None
        for version in self.versions:
            if version.recorded_on <= day:
                found = version
        return found
