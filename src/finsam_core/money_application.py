"""Commands and queries for money and membership: allocations, budgets, NNS, annual reports.

A mixin of :class:`finsam_core.application.Finsam`; it uses the application's unit-of-work helpers
(``_get``, ``_has``, ``_stage``) so that every command records all of its events or none. The rules
live in the aggregates (``finsam_core.domain``) and in ``finsam_core.rules``; the methods here load,
call and stage, and compute what needs more than one aggregate (a date from the rules, a check
against the förbund's members or minutes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from finsam_core.domain.allocation import Allocation, allocation_id, contributions_from
from finsam_core.domain.annual_report import (
    AnnualReport,
    AuditReport,
    DischargeDecision,
    ReportFigures,
    annual_report_id,
)
from finsam_core.domain.association import association_id
from finsam_core.domain.budget import Budget, BudgetLine, IncomeLine, budget_id
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.interventions import (
    ExitCount,
    ExitOutcome,
    Funding,
    FundingSource,
    Intervention,
    InterventionKind,
    ParticipantCounts,
    ParticipantFigures,
    check_no_person,
    intervention_id,
    participant_figures_id,
)
from finsam_core.domain.network import (
    NNS_NAME,
    FeePolicy,
    Network,
    NetworkMembership,
    network_id,
    network_membership_id,
)
from finsam_core.errors import (
    InvalidInput,
    MembershipRuleViolation,
    MoneyRuleViolation,
    NotFound,
    PrivacyViolation,
)
from finsam_core.projections.budget_status import BudgetStatus, budget_status, opening_equity
from finsam_core.projections.discharge_status import DischargeStatus, discharge_status
from finsam_core.projections.fee_list import FeeEntry, FeeList, fee_entry, fee_list
from finsam_core.projections.participant_figures import NetworkParticipants, sum_counts
from finsam_core.projections.roster import Roster, roster
from finsam_core.rules import calendar
from finsam_core.rules.money import budget_is_late
from finsam_core.rules.parameters import parameters_on
from finsam_core.values import money, today_or, validate_org_nr

if TYPE_CHECKING:
    from finsam_core.domain.association import Association
    from finsam_core.domain.meeting import Meeting

__all__ = ["MoneyCommands"]

A = TypeVar("A", bound=Aggregate)

_PARTICIPANT_FIELDS = frozenset({"participants", "exited", "new", "women", "men", "exits"})
_IDENTIFYING_FIELDS = frozenset(
    {
        "name",
        "namn",
        "person",
        "personnummer",
        "personal_number",
        "samordningsnummer",
        "participant",
        "deltagare",
        "address",
        "adress",
        "email",
        "epost",
        "telefon",
        "phone",
        "birth_date",
        "fodelsedatum",
    }
)


def _amount(value: Decimal | int | str, what: str) -> Decimal:
    try:
        return money(value)
    except InvalidInput as exc:
        raise InvalidInput(f"{what}: {exc}") from None


class MoneyCommands:
    """Money and membership commands and read models (issue 3)."""

    if TYPE_CHECKING:

        def _get(self, aggregate_id: UUID, cls: type[A], missing: str) -> A: ...
        def _has(self, aggregate_id: UUID) -> bool: ...
        def _find(self, aggregate_id: UUID, cls: type[A]) -> A | None: ...
        def _stage(self, *aggregates: Aggregate) -> None: ...
        def association(self, org_nr: str) -> Association: ...
        def meeting(self, org_nr: str, reference: str) -> Meeting: ...
        def _check_decision(self, association: Association, ref: DecisionRef) -> None: ...

    # --- allocation ----------------------------------------------------------------------

    def record_allocation(
        self,
        org_nr: str,
        year: int,
        contributions: Mapping[str, Decimal | int | str],
        *,
        total: Decimal | int | str | None = None,
        kommun_key: Mapping[str, Decimal | int | str] | None = None,
        deviation_reason: str | None = None,
        recorded_on: date | None = None,
        authorised_by: DecisionRef | None = None,
    ) -> Decimal:
        """Record (or revise) the year's allocation, member key -> kronor; returns the total.

        Checked against the statutory split (state 50 %, regions 25 %, kommuner 25 % by
        ``kommun_key``, or by the charter's key when none is given); a departure is refused unless
        ``deviation_reason`` says why.
        """
        association = self.association(org_nr)
        recorded_on = today_or(recorded_on)
        amounts = {key: _amount(value, f"Bidraget från {key}") for key, value in contributions.items()}
        members = [
            m.member
            for m in association.memberships
            if m.joined_on <= date(year, 12, 31) and (m.leaves_on is None or m.leaves_on > date(year, 1, 1))
        ]
        stated = None if total is None else _amount(total, "Totalen")
        checked = contributions_from(amounts, members, stated)
        if kommun_key is None:
            key = association.charter_on(date(year, 1, 1)).kommun_weights()
        else:
            key = {k: _amount(v, f"Nyckeln för {k}") for k, v in kommun_key.items()}
        params = parameters_on(date(year, 1, 1))
        allocation = self._find(allocation_id(association.id, year), Allocation)
        if allocation is not None:
            allocation.revise(checked, recorded_on, params, key, deviation_reason, authorised_by)
        else:
            allocation = Allocation.record(
                association_id=association.id,
                org_nr=association.org_nr,
                year=year,
                contributions=checked,
                recorded_on=recorded_on,
                params=params,
                kommun_key=key,
                deviation_reason=deviation_reason,
                authorised_by=authorised_by,
            )
        self._stage(allocation)
        return allocation.total

    def allocation(self, org_nr: str, year: int) -> Allocation:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            allocation_id(association_id(org_nr), year),
            Allocation,
            f"Ingen tilldelning för {year} är registrerad för förbundet {org_nr}.",
        )

    def _allocation_total(self, org_nr: str, year: int) -> Decimal | None:
        allocation = self._find(allocation_id(association_id(org_nr), year), Allocation)
        return None if allocation is None else allocation.total

    # --- budget --------------------------------------------------------------------------

    def _budget_decision(self, association: Association, ref: DecisionRef) -> date:
        """The day of the board decision ``ref`` points at; it must be in the förbund's minutes."""
        if ref.meeting is None or ref.paragraph is None:
            raise MoneyRuleViolation(
                "Budgeten antas och revideras genom ett beslut av förbundets styrelse: hänvisa till "
                "sammanträdet och paragrafen (till exempel 2023-5 § 54)."
            )
        self._check_decision(association, ref)
        return self.meeting(association.org_nr, ref.meeting).held_on

    def adopt_budget(
        self,
        org_nr: str,
        year: int,
        lines: Sequence[BudgetLine],
        income: Sequence[IncomeLine],
        authorised_by: DecisionRef,
        *,
        total: Decimal | int | str | None = None,
        planned_result: Decimal | int | str | None = None,
        surplus_used: Decimal | int | str = 0,
    ) -> tuple[str, ...]:
        """Adopt the budget for ``year`` by the board decision ``authorised_by``; returns warnings.

        Adoption after the deadline (30 November of the year before) is recorded with a warning.
        """
        association = self.association(org_nr)
        aggregate_id = budget_id(association.id, year)
        if self._has(aggregate_id):
            raise MoneyRuleViolation(f"Budgeten för {year} är redan antagen; en ändring registreras som en revidering.")
        decided_on = self._budget_decision(association, authorised_by)
        params = parameters_on(date(year - 1, 1, 1))
        late = budget_is_late(decided_on, year, params)
        budget = Budget.adopt(
            association_id=association.id,
            org_nr=association.org_nr,
            year=year,
            lines=lines,
            income=income,
            decided_on=decided_on,
            authorised_by=authorised_by,
            late=late,
            stated_total=None if total is None else _amount(total, "Totalen"),
            planned_result=None if planned_result is None else _amount(planned_result, "Resultatet"),
            surplus_used=_amount(surplus_used, "Utnyttjat överskott"),
        )
        self._stage(budget)
        if late:
            return (
                f"Budgeten för {year} antogs {decided_on.isoformat()}, efter sista dag "
                f"{year - 1}-{params.budget_deadline_month:02d}-{params.budget_deadline_day:02d}.",
            )
        return ()

    def revise_budget(
        self,
        org_nr: str,
        year: int,
        lines: Sequence[BudgetLine],
        income: Sequence[IncomeLine],
        authorised_by: DecisionRef,
        *,
        total: Decimal | int | str | None = None,
        planned_result: Decimal | int | str | None = None,
        surplus_used: Decimal | int | str = 0,
    ) -> int:
        """Revise an adopted budget by a later decision; returns the revision number (1, 2, ...)."""
        association = self.association(org_nr)
        budget = self._adopted_budget(association.id, association.org_nr, year)
        decided_on = self._budget_decision(association, authorised_by)
        budget.revise(
            lines=lines,
            income=income,
            decided_on=decided_on,
            authorised_by=authorised_by,
            stated_total=None if total is None else _amount(total, "Totalen"),
            planned_result=None if planned_result is None else _amount(planned_result, "Resultatet"),
            surplus_used=_amount(surplus_used, "Utnyttjat överskott"),
        )
        self._stage(budget)
        return budget.current.revision

    def _adopted_budget(self, assoc_id: UUID, org_nr: str, year: int) -> Budget:
        budget = self._find(budget_id(assoc_id, year), Budget)
        if budget is None:
            raise MoneyRuleViolation(
                f"Budgeten för {year} är inte antagen för förbundet {org_nr}; den måste antas "
                "genom ett styrelsebeslut innan den kan revideras eller följas upp."
            )
        return budget

    def budget(self, org_nr: str, year: int) -> Budget:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            budget_id(association_id(org_nr), year),
            Budget,
            f"Ingen budget för {year} är antagen för förbundet {org_nr}.",
        )

    def record_outcome(self, org_nr: str, year: int, month: date, amounts: Mapping[str, Decimal | int | str]) -> None:
        """The month's outcome per budget line (line key -> kronor), all lines in one write."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(association_id(org_nr), org_nr, year)
        for key, value in amounts.items():
            budget.record_outcome(month, key, _amount(value, f"Utfallet för {key}"))
        self._stage(budget)

    def record_forecast(
        self, org_nr: str, year: int, deviations: Mapping[str, Decimal | int | str], made_on: date
    ) -> None:
        """Forecast each line's whole-year deviation from its budget (negative: costs more)."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(association_id(org_nr), org_nr, year)
        for key, value in deviations.items():
            budget.forecast(key, _amount(value, f"Prognosen för {key}"), made_on)
        self._stage(budget)

    def record_opening_equity(self, org_nr: str, year: int, amount: Decimal | int | str) -> None:
        """Equity at the start of ``year`` (when it is not carried forward from a closed year)."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(association_id(org_nr), org_nr, year)
        budget.record_opening_equity(_amount(amount, "Eget kapital"))
        self._stage(budget)

    def close_year(self, org_nr: str, year: int, result: Decimal | int | str, closed_on: date) -> Decimal | None:
        """Close the year with its result; returns the equity carried forward (if the opening is known)."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(association_id(org_nr), org_nr, year)
        opening = self._opening_equity(org_nr, budget)
        budget.close_year(_amount(result, "Årets resultat"), closed_on)
        self._stage(budget)
        return None if opening is None or budget.closed_result is None else opening + budget.closed_result

    def _opening_equity(self, org_nr: str, budget: Budget) -> Decimal | None:
        """Recorded on the budget, else carried forward from the closed year before, else the annual report."""
        assoc_id = association_id(org_nr)
        return opening_equity(
            budget,
            lambda year: self._find(budget_id(assoc_id, year), Budget),
            lambda year: self._find(annual_report_id(assoc_id, year), AnnualReport),
        )

    def budget_status(self, org_nr: str, year: int, months: int | None = None) -> BudgetStatus:
        """Adopted and revised budget, outcome to date, deviation, forecast, equity and flags."""
        org_nr = validate_org_nr(org_nr)
        budget = self._adopted_budget(association_id(org_nr), org_nr, year)
        return budget_status(
            budget,
            months=months,
            opening_equity=self._opening_equity(org_nr, budget),
            allocation=self._allocation_total(org_nr, year),
            params=parameters_on(date(year, 1, 1)),
        )

    # --- NNS -----------------------------------------------------------------------------

    def found_network(self, name: str = NNS_NAME) -> UUID:
        if self._has(network_id()):
            raise MembershipRuleViolation("Nätverket (NNS) är redan registrerat.")
        network = Network(name=name)
        self._stage(network)
        return network.id

    def network(self) -> Network:
        return self._get(network_id(), Network, "Nätverket (NNS) är inte registrerat; registrera det först.")

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
                per_mille=_amount(per_mille, "Promillesatsen"),
                cap=None if cap is None else _amount(cap, "Taket"),
                decided_by=decided_by,
            )
        )
        self._stage(network)

    def list_in_network(self, org_nr: str, name: str) -> None:
        """Make a förbund known to NNS by org nr and name (member or not)."""
        network = self.network()
        network.list_association(org_nr, name)
        self._stage(network)

    def _known_name(self, network: Network, org_nr: str, name: str | None) -> str:
        if name is not None:
            return name
        if org_nr in network.known:
            return network.known[org_nr]
        if self._has(association_id(org_nr)):
            return self.association(org_nr).name
        raise InvalidInput(f"Ange namnet på förbundet {org_nr}; nätverket känner inte till det.")

    def join_network(self, org_nr: str, joined_on: date, name: str | None = None) -> None:
        """A förbund joins NNS (or joins again after leaving)."""
        org_nr = validate_org_nr(org_nr)
        network = self.network()
        name = self._known_name(network, org_nr, name)
        network.list_association(org_nr, name)
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

    def give_network_withdrawal_notice(self, org_nr: str, received_on: date, *, written: bool = True) -> date:
        """Written notice of withdrawal from NNS; returns the last day of membership (a year end).

        The withdrawal takes effect at the first year end at least three months after the notice.
        """
        membership = self._membership(org_nr)
        last_day = calendar.nns_withdrawal_effective(received_on)
        membership.give_withdrawal_notice(received_on, last_day, written)
        self._stage(membership)
        return last_day

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

    # --- annual report and discharge -----------------------------------------------------

    def approve_annual_report(
        self,
        org_nr: str,
        year: int,
        *,
        income: Decimal | int | str,
        costs: Decimal | int | str,
        result: Decimal | int | str,
        equity_at_year_end: Decimal | int | str,
        authorised_by: DecisionRef,
        depreciation: Decimal | int | str = 0,
    ) -> tuple[str, ...]:
        """The board approves the annual report by a decision in its minutes; returns warnings."""
        association = self.association(org_nr)
        aggregate_id = annual_report_id(association.id, year)
        if self._has(aggregate_id):
            raise MoneyRuleViolation(f"Årsredovisningen för {year} är redan godkänd.")
        if authorised_by.meeting is None or authorised_by.paragraph is None:
            raise MoneyRuleViolation(
                "Styrelsen godkänner årsredovisningen genom ett beslut: hänvisa till sammanträdet och paragrafen."
            )
        self._check_decision(association, authorised_by)
        approved_on = self.meeting(association.org_nr, authorised_by.meeting).held_on
        params = parameters_on(date(year, 12, 31))
        deadline = calendar.annual_report_deadline(year, params)
        members = tuple(
            m.member
            for m in association.memberships
            if m.joined_on <= date(year, 12, 31) and (m.leaves_on is None or m.leaves_on > date(year, 1, 1))
        )
        report = AnnualReport.approve(
            association_id=association.id,
            org_nr=association.org_nr,
            year=year,
            figures=ReportFigures(
                income=_amount(income, "Intäkterna"),
                costs=_amount(costs, "Kostnaderna"),
                depreciation=_amount(depreciation, "Avskrivningarna"),
                result=_amount(result, "Resultatet"),
                equity_at_year_end=_amount(equity_at_year_end, "Eget kapital"),
            ),
            members=members,
            approved_on=approved_on,
            authorised_by=authorised_by,
            late=approved_on > deadline,
        )
        self._stage(report)
        if report.late:
            return (f"Årsredovisningen för {year} godkändes {approved_on.isoformat()}, efter {deadline.isoformat()}.",)
        return ()

    def annual_report(self, org_nr: str, year: int) -> AnnualReport:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            annual_report_id(association_id(org_nr), year),
            AnnualReport,
            f"Ingen årsredovisning för {year} är godkänd för förbundet {org_nr}.",
        )

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
        report = self.annual_report(org_nr, year)
        report.record_audit(
            AuditReport(
                recommends_discharge=recommends_discharge,
                auditors=auditors,
                reported_on=reported_on,
                remarks=remarks,
            )
        )
        self._stage(report)

    def decide_discharge(self, org_nr: str, year: int, member_key: str, granted: bool, decision: DecisionRef) -> None:
        """A member organisation grants or refuses discharge for the board, by its own decision."""
        report = self.annual_report(org_nr, year)
        report.decide_discharge(DischargeDecision(member_key=member_key, granted=granted, decision=decision))
        self._stage(report)

    def discharge_status(self, org_nr: str, year: int) -> DischargeStatus:
        return discharge_status(self.annual_report(org_nr, year))

    # --- interventions and participants --------------------------------------------------

    def register_intervention(
        self,
        org_nr: str,
        name: str,
        kind: InterventionKind,
        owner: str,
        starts_on: date,
        ends_on: date | None = None,
        funding: Mapping[str, Decimal | int | str] | tuple[Funding, ...] = (),
    ) -> UUID:
        """An intervention with its funding (source -> kronor, e.g. ``{"finsam": 4407000, "esf": 0}``)."""
        association = self.association(org_nr)
        if isinstance(funding, Mapping):
            try:
                items = tuple(
                    Funding(source=FundingSource(source), amount=_amount(value, f"Finansieringen {source}"))
                    for source, value in funding.items()
                )
            except ValueError as exc:
                raise InvalidInput(f"Okänd finansieringskälla: {exc}") from None
        else:
            items = funding
        if self._has(intervention_id(association.id, name.strip())):
            raise MoneyRuleViolation(f"Insatsen {name!r} är redan registrerad.")
        intervention = Intervention.register(
            association_id=association.id,
            name=name,
            kind=kind,
            owner=owner,
            starts_on=starts_on,
            ends_on=ends_on,
            funding=items,
        )
        self._stage(intervention)
        return intervention.id

    def intervention(self, org_nr: str, name: str) -> Intervention:
        org_nr = validate_org_nr(org_nr)
        return self._get(
            intervention_id(association_id(org_nr), name.strip()), Intervention, f"Insatsen {name!r} finns inte."
        )

    def report_participants(
        self,
        org_nr: str,
        year: int,
        figures: ParticipantCounts | Mapping[str, Any],
        *,
        reported_on: date | None = None,
        comment: str = "",
    ) -> None:
        """Aggregate participant figures for the year; anything that identifies a person is refused."""
        association = self.association(org_nr)
        check_no_person(comment)
        counts = figures if isinstance(figures, ParticipantCounts) else _counts_from(figures)
        aggregate_id = participant_figures_id(association.id, year)
        if self._has(aggregate_id):
            aggregate = self._get(aggregate_id, ParticipantFigures, "deltagarsiffror")
        else:
            aggregate = ParticipantFigures(association_id=association.id, org_nr=association.org_nr, year=year)
        aggregate.report(counts, today_or(reported_on))
        self._stage(aggregate)

    def participant_figures(self, org_nr: str, year: int) -> ParticipantCounts:
        org_nr = validate_org_nr(org_nr)
        aggregate = self._get(
            participant_figures_id(association_id(org_nr), year),
            ParticipantFigures,
            f"Inga deltagarsiffror för {year} är registrerade för förbundet {org_nr}.",
        )
        assert aggregate.counts is not None
        return aggregate.counts

    def network_participant_figures(self, year: int) -> NetworkParticipants:
        """The figures of every förbund NNS knows that has reported for ``year``, summed."""
        network = self.network()
        reporting: list[str] = []
        counts: list[ParticipantCounts] = []
        for org_nr in sorted(network.known):
            aggregate = self._find(participant_figures_id(association_id(org_nr), year), ParticipantFigures)
            if aggregate is not None and aggregate.counts is not None:
                reporting.append(org_nr)
                counts.append(aggregate.counts)
        return NetworkParticipants(year=year, reporting=tuple(reporting), counts=sum_counts(counts))


def _counts_from(data: Mapping[str, Any]) -> ParticipantCounts:
    """Figures from plain data; a field that could identify a participant is refused, not ignored."""
    identifying = sorted(key for key in data if key.casefold() in _IDENTIFYING_FIELDS)
    if identifying:
        raise PrivacyViolation(
            "Finsam registrerar bara antal deltagare, aldrig uppgifter om enskilda personer; "
            f"ta bort fälten {', '.join(identifying)}."
        )
    unknown = sorted(set(data) - _PARTICIPANT_FIELDS)
    if unknown:
        raise InvalidInput(
            f"Okända fält i deltagarsiffrorna: {', '.join(unknown)}. Tillåtna är "
            + ", ".join(sorted(_PARTICIPANT_FIELDS))
            + "."
        )
    for key, value in data.items():
        if key != "exits" and value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise InvalidInput(f"{key} ska vara ett heltal (antal), inte {value!r}.")
    exits_data = data.get("exits") or {}
    try:
        exits = tuple(ExitCount(ExitOutcome(outcome), int(count)) for outcome, count in dict(exits_data).items())
    except ValueError as exc:
        raise InvalidInput(f"Okänt utfall efter avslut: {exc}") from None
    if "participants" not in data or "exited" not in data:
        raise InvalidInput("Ange minst antal deltagare (participants) och antal avslutade (exited).")
    return ParticipantCounts(
        participants=data["participants"],
        exited=data["exited"],
        new=data.get("new"),
        women=data.get("women"),
        men=data.get("men"),
        exits=exits,
    )
