"""NNS, the national network of förbund: its fee policy, the förbund it knows, their memberships.

NNS is not a förbund. The :class:`Network` aggregate holds what the network decides for all
(the service fee policy over time) and the förbund it knows by org nr and name, members or not.
Each förbund's membership of NNS is its own :class:`NetworkMembership` aggregate, so that joins and
withdrawals of different förbund never contend for one aggregate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

import msgspec
from eventsourcing.domain import Aggregate, event

from finsam_core.domain.forbund import FINSAM_NAMESPACE
from finsam_core.errors import InvalidInput, MembershipRuleViolation, MoneyRuleViolation
from finsam_core.values import Value, require_exact, validate_org_nr

__all__ = [
    "FeePolicy",
    "MembershipPeriod",
    "Network",
    "NetworkMembership",
    "network_id",
    "network_membership_id",
]

NNS_NAME = "Nationella nätverket för samordningsförbund"


def network_id() -> UUID:
    """The identity of NNS (there is one network)."""
    return uuid5(FINSAM_NAMESPACE, "network:nns")


def network_membership_id(org_nr: str) -> UUID:
    """The identity of one förbund's membership of NNS."""
    return uuid5(FINSAM_NAMESPACE, f"nns-membership:{org_nr}")


class FeePolicy(Value, frozen=True):
    """The service fee from ``effective_year``: ``per_mille`` of the allocation, at most ``cap`` kronor."""

    effective_year: int
    per_mille: Decimal
    cap: Decimal | None
    decided_by: str = ""

    def __post_init__(self) -> None:
        require_exact(self.per_mille, "Serviceavgiften i promille")
        if self.cap is not None:
            require_exact(self.cap, "Taket för serviceavgiften")


class Network(Aggregate):
    """NNS: the fee policy history and the förbund it knows."""

    @staticmethod
    def create_id(name: str) -> UUID:
        return network_id()

    @event("Founded")
    def __init__(self, name: str) -> None:
        self.name = name
        self.policies: list[FeePolicy] = []
        self.known: dict[str, str] = {}
        """Every förbund the network knows, member or not: org nr -> name."""

    def set_fee_policy(self, policy: FeePolicy) -> None:
        """A fee policy taking effect from its year; refuses a negative rate or cap and a repeated year."""
        if policy.per_mille < 0:
            raise InvalidInput(f"Serviceavgiftens promillesats kan inte vara negativ ({policy.per_mille} ‰).")
        if policy.cap is not None and policy.cap < 0:
            raise InvalidInput(f"Taket för serviceavgiften kan inte vara under noll ({policy.cap} kr).")
        if not 2004 <= policy.effective_year <= 2200:
            raise InvalidInput(f"{policy.effective_year} är inget rimligt år för en avgiftsmodell.")
        if any(p.effective_year == policy.effective_year for p in self.policies):
            raise MoneyRuleViolation(
                f"Det finns redan en avgiftsmodell från {policy.effective_year}; två kan inte gälla från samma år."
            )
        self._fee_policy_set(policy=policy)

    @event("FeePolicySet")
    def _fee_policy_set(self, policy: FeePolicy) -> None:
        self.policies.append(policy)
        self.policies.sort(key=lambda p: p.effective_year)

    def policy_for(self, year: int) -> FeePolicy | None:
        """The policy in force for ``year`` (the latest taking effect on or before it)."""
        for policy, last_year in self.policies_in_force():
            if policy.effective_year <= year and (last_year is None or year <= last_year):
                return policy
        return None

    def policies_in_force(self) -> list[tuple[FeePolicy, int | None]]:
        """Each policy with the last year it is in force (``None``: until a later one is set)."""
        return [
            (policy, self.policies[index + 1].effective_year - 1 if index + 1 < len(self.policies) else None)
            for index, policy in enumerate(self.policies)
        ]

    def list_forbund(self, org_nr: str, name: str) -> None:
        """Make a förbund known to the network by org nr and name (a no-op if it already is)."""
        org_nr = validate_org_nr(org_nr)
        if not name.strip():
            raise InvalidInput("Ange förbundets namn.")
        if self.known.get(org_nr) == name.strip():
            return
        self._forbund_listed(org_nr=org_nr, name=name.strip())

    @event("ForbundListed")
    def _forbund_listed(self, org_nr: str, name: str) -> None:
        self.known[org_nr] = name


class MembershipPeriod(Value, frozen=True):
    """One stretch of membership; ``last_day`` is the year end a withdrawal takes effect on."""

    joined_on: date
    notice_received: date | None = None
    last_day: date | None = None

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.last_day is None or day <= self.last_day)

    @property
    def years(self) -> tuple[int, int | None]:
        """The first and the last year with a day of membership (``None``: no end yet)."""
        return self.joined_on.year, None if self.last_day is None else self.last_day.year

    def is_member_during(self, year: int) -> bool:
        """Member on at least one day of ``year``."""
        first, last = self.years
        return first <= year and (last is None or year <= last)


class NetworkMembership(Aggregate):
    """One förbund's membership of NNS over time."""

    @staticmethod
    def create_id(org_nr: str, name: str, joined_on: date) -> UUID:
        return network_membership_id(org_nr)

    @event("Joined")
    def __init__(self, org_nr: str, name: str, joined_on: date) -> None:
        self.org_nr = org_nr
        self.name = name
        self.periods: list[MembershipPeriod] = [MembershipPeriod(joined_on=joined_on)]

    def is_member_on(self, day: date) -> bool:
        return any(period.is_member_on(day) for period in self.periods)

    def is_member_during(self, year: int) -> bool:
        """Member on at least one day of ``year`` (the fee is charged for the year)."""
        return any(p.is_member_during(year) for p in self.periods)

    @property
    def pending_notice(self) -> MembershipPeriod | None:
        latest = self.periods[-1]
        return latest if latest.notice_received is not None else None

    def rejoin(self, joined_on: date) -> None:
        latest = self.periods[-1]
        if latest.last_day is None or joined_on <= latest.last_day:
            raise MembershipRuleViolation(f"{self.name} är redan medlem i NNS {joined_on.isoformat()}.")
        self._rejoined(joined_on=joined_on)

    @event("Rejoined")
    def _rejoined(self, joined_on: date) -> None:
        self.periods.append(MembershipPeriod(joined_on=joined_on))

    def give_withdrawal_notice(self, received_on: date, last_day: date, written: bool) -> None:
        """Written notice of withdrawal; ``last_day`` is the year end it takes effect (computed by the rules)."""
        latest = self.periods[-1]
        if not written:
            raise MembershipRuleViolation(
                "Utträde ur NNS ska anmälas skriftligt; en muntlig uppsägning registreras inte."
            )
        if received_on < latest.joined_on:
            raise MembershipRuleViolation(
                f"Uppsägningen är daterad {received_on.isoformat()}, innan {self.name} gick med i NNS "
                f"({latest.joined_on.isoformat()})."
            )
        if not latest.is_member_on(received_on):
            raise MembershipRuleViolation(
                f"{self.name} är inte medlem i NNS {received_on.isoformat()} och kan inte säga upp medlemskapet."
            )
        if latest.notice_received is not None:
            raise MembershipRuleViolation(
                f"{self.name} har redan sagt upp medlemskapet ({latest.notice_received.isoformat()}); "
                f"utträdet gäller från {latest.last_day.isoformat() if latest.last_day else '?'}."
            )
        self._withdrawal_notice_given(received_on=received_on, last_day=last_day)

    @event("WithdrawalNoticeGiven")
    def _withdrawal_notice_given(self, received_on: date, last_day: date) -> None:
        self.periods[-1] = msgspec.structs.replace(self.periods[-1], notice_received=received_on, last_day=last_day)

    def revoke_withdrawal(self, revoked_on: date) -> None:
        """Take back a withdrawal notice; only before the withdrawal has taken effect."""
        latest = self.periods[-1]
        if latest.notice_received is None or latest.last_day is None:
            raise MembershipRuleViolation(f"{self.name} har ingen uppsägning att återkalla.")
        if revoked_on > latest.last_day:
            raise MembershipRuleViolation(
                f"Utträdet trädde i kraft efter {latest.last_day.isoformat()}; det kan inte återkallas "
                f"{revoked_on.isoformat()}. Förbundet får gå med i NNS igen i stället."
            )
        if revoked_on < latest.notice_received:
            raise MembershipRuleViolation("En uppsägning kan inte återkallas innan den lämnats.")
        self._withdrawal_revoked(revoked_on=revoked_on)

    @event("WithdrawalRevoked")
    def _withdrawal_revoked(self, revoked_on: date) -> None:
        self.periods[-1] = MembershipPeriod(joined_on=self.periods[-1].joined_on)
