"""The network (NNS): the förbunds it knows, membership and withdrawal, the fee policy and the fees.

The service fee is computed from each förbund's allocation for the year (see
:mod:`finsam_core.application.money`) and the fee policy NNS has in force that year.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from finsam_core.application.base import command
from finsam_core.application.money import MoneyCommands, kronor
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.network import (
    NNS_NAME,
    FeePolicy,
    Network,
    NetworkMembership,
    network_id,
    network_membership_id,
)
from finsam_core.errors import InvalidInput, MembershipRuleViolation, NotFound
from finsam_core.projections.fee_list import FeeEntry, FeeList, fee_entry, fee_list
from finsam_core.projections.roster import Roster, roster
from finsam_core.rules import calendar
from finsam_core.values import validate_org_nr

__all__ = ["NetworkCommands"]


class NetworkCommands(MoneyCommands):
    """Commands and reads of NNS: the network, its members, its fee policy and each förbund's fee."""

    @command
    def found_network(self, name: str = NNS_NAME) -> UUID:
        if self._has(network_id()):
            raise MembershipRuleViolation("Nätverket (NNS) är redan registrerat.")
        network = Network(name=name)
        self._stage(network)
        return network.id

    def network(self) -> Network:
        return self._get(network_id(), Network, "Nätverket (NNS) är inte registrerat; registrera det först.")

    @command
    def set_fee_policy(
        self,
        effective_year: int,
        per_mille: Decimal | int | str,
        cap: Decimal | int | str | None,
        decided_by: str = "",
    ) -> None:
        """NNS's service fee from ``effective_year``: ``per_mille`` of the allocation, at most ``cap``."""
        network = self.network()
        network.set_fee_policy(
            FeePolicy(
                effective_year=effective_year,
                per_mille=kronor(per_mille, "Promillesatsen"),
                cap=None if cap is None else kronor(cap, "Taket"),
                decided_by=decided_by,
            )
        )
        self._stage(network)

    @command
    def list_in_network(self, org_nr: str, name: str) -> None:
        """Make a förbund known to NNS by org nr and name (member or not)."""
        network = self.network()
        network.list_forbund(org_nr, name)
        self._stage(network)

    def _known_name(self, network: Network, org_nr: str, name: str | None) -> str:
        if name is not None:
            return name
        if org_nr in network.known:
            return network.known[org_nr]
        if self._has(forbund_id(org_nr)):
            return self.forbund(org_nr).name
        raise InvalidInput(f"Ange namnet på förbundet {org_nr}; nätverket känner inte till det.")

    @command
    def join_network(self, org_nr: str, joined_on: date, name: str | None = None) -> None:
        """A förbund joins NNS (or joins again after leaving)."""
        org_nr = validate_org_nr(org_nr)
        network = self.network()
        name = self._known_name(network, org_nr, name)
        network.list_forbund(org_nr, name)
        membership = self._find(network_membership_id(org_nr), NetworkMembership)
        if membership is not None:
            membership.rejoin(joined_on)
        else:
            membership = NetworkMembership(org_nr=org_nr, name=network.known[org_nr], joined_on=joined_on)
        self._stage(network, membership)

    def _membership(self, org_nr: str) -> NetworkMembership:
        org_nr = validate_org_nr(org_nr)
        membership = self._find(network_membership_id(org_nr), NetworkMembership)
        if membership is None:
            raise MembershipRuleViolation(
                f"Förbundet {org_nr} är inte medlem i NNS och kan inte säga upp eller återkalla ett medlemskap."
            )
        return membership

    @command
    def give_network_withdrawal_notice(self, org_nr: str, received_on: date, *, written: bool = True) -> date:
        """Written notice of withdrawal from NNS; returns the last day of membership (a year end).

        The withdrawal takes effect at the first year end at least three months after the notice.
        """
        received_on = calendar.swedish_date(received_on)
        membership = self._membership(org_nr)
        last_day = calendar.nns_withdrawal_effective(received_on)
        membership.give_withdrawal_notice(received_on, last_day, written)
        self._stage(membership)
        return last_day

    @command
    def revoke_network_withdrawal(self, org_nr: str, revoked_on: date) -> None:
        membership = self._membership(org_nr)
        membership.revoke_withdrawal(revoked_on)
        self._stage(membership)

    def network_roster(self, as_of: date) -> Roster:
        """Every förbund NNS knows, and whether it is a member on ``as_of``."""
        network = self.network()
        return roster(as_of, dict(network.known), self._memberships(network))

    def _memberships(self, network: Network) -> dict[str, NetworkMembership]:
        found: dict[str, NetworkMembership] = {}
        for org_nr in network.known:
            membership = self._find(network_membership_id(org_nr), NetworkMembership)
            if membership is not None:
                found[org_nr] = membership
        return found

    def _policy(self, network: Network, year: int) -> FeePolicy:
        policy = network.policy_for(year)
        if policy is None:
            raise NotFound(f"NNS har ingen avgiftsmodell som gäller {year}.")
        return policy

    def service_fee(self, org_nr: str, year: int) -> FeeEntry:
        """The förbund's service fee for ``year`` from that year's allocation and the policy in force."""
        org_nr = validate_org_nr(org_nr)
        network = self.network()
        membership = self._membership(org_nr)
        if not membership.is_member_during(year):
            raise MembershipRuleViolation(f"{membership.name} är inte medlem i NNS under {year}.")
        allocation = self._allocation_total(org_nr, year)
        if allocation is None:
            raise NotFound(f"Ingen tilldelning för {year} är registrerad för {membership.name}.")
        return fee_entry(org_nr, membership.name, allocation, self._policy(network, year))

    def fee_list(self, year: int) -> FeeList:
        """Every förbund that is a member of NNS during ``year``: allocation, rate, fee, capped."""
        network = self.network()
        policy = self._policy(network, year)
        members = [
            (org_nr, membership.name, self._allocation_total(org_nr, year))
            for org_nr, membership in self._memberships(network).items()
            if membership.is_member_during(year)
        ]
        return fee_list(year, policy, members)
