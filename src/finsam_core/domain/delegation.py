"""The board's delegation order (delegationsordning) and the decisions taken under it.

One :class:`DelegationRegister` per förbund. The board adopts a delegation order at a meeting (a
:class:`~finsam_core.domain.charter.DecisionRef` to the paragraph) valid from a date; a later order
replaces it from its own date and the earlier ones stay as history, so a decision is always judged
by the order in force on its day. A delegated decision (delegationsbeslut) names the order's item it
was taken under; it is refused when no order was in force, when the item or delegate does not match,
when the amount is over the item's limit, or when the law keeps the matter with the board
(kommunallagen 6 kap. 37–38 §§). Decisions are reported to the board (anmälan av delegationsbeslut)
in a paragraph of a later meeting (6 kap. 40 §); the chair's urgent decisions (6 kap. 39 §) at the
next meeting (40 §), which the read side (:mod:`finsam_core.projections.delegation`) checks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.copying import copy_aggregate
from finsam_core.domain.meeting_parts import same_person
from finsam_core.errors import DelegationRuleViolation, InvalidInput
from finsam_core.rules.delegation import URGENT_DELEGATES, MatterClass, kronor, non_delegable_reason, over_limit
from finsam_core.values import Value, require_exact

__all__ = [
    "DelegatedDecision",
    "DelegationItem",
    "DelegationOrder",
    "DelegationRegister",
    "DelegationReport",
    "delegation_register_id",
]


def delegation_register_id(forbund_id: UUID) -> UUID:
    return uuid5(forbund_id, "delegation-register")


class DelegationItem(Value, frozen=True):
    """One line of the delegation order: a group of matters (ärendegrupp) and who decides them."""

    code: str
    """The item's number in the order, such as ``3.2``."""
    matter: str
    """The group of matters, as the order words it."""
    delegate: str
    """Who decides: a role (``förbundschef``, ``ordförande``) or a named ledamot."""
    limit: Decimal | None = None
    """The most one decision may commit, in kronor (``None``: no amount limit)."""
    matter_class: MatterClass = MatterClass.ORDINARY
    urgent: bool = False
    """Urgent matters the board cannot wait for (6 kap. 39 §): reported at the next meeting (40 §)."""

    def __post_init__(self) -> None:
        if self.limit is not None:
            require_exact(self.limit, f"Beloppsgränsen i punkt {self.code}")


class DelegationOrder(Value, frozen=True):
    """A delegation order as the board adopted it."""

    authorised_by: DecisionRef
    """The board's decision adopting it (named like every decision a change cites, so drafts are marked)."""
    valid_from: date
    items: tuple[DelegationItem, ...]

    def item(self, code: str) -> DelegationItem | None:
        return next((i for i in self.items if i.code == code.strip()), None)


class DelegatedDecision(Value, frozen=True):
    """A decision taken on the board's behalf under an item of the order in force on its day."""

    number: int
    """Numbered in the order recorded, from 1, per förbund."""
    decided_on: date
    item_code: str
    delegate: str
    matter: str
    """What was decided."""
    amount: Decimal | None
    urgent: bool
    order_valid_from: date
    """The order it was taken under (by its date)."""
    registry_number: str = ""


class DelegationReport(Value, frozen=True):
    """Where a decision was reported to the board: a paragraph of a meeting's minutes."""

    meeting: str
    held_on: date
    paragraph: int


class DelegationRegister(Aggregate):
    """A förbund's delegation orders over time, the decisions taken under them, and their reports."""

    def __deepcopy__(self, memo: dict[int, Any]) -> DelegationRegister:
        return copy_aggregate(self, memo, "orders", "decisions", "reports")

    @staticmethod
    def create_id(forbund_id: UUID) -> UUID:
        return delegation_register_id(forbund_id)

    @event("Opened")
    def __init__(self, forbund_id: UUID, org_nr: str) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.orders: list[DelegationOrder] = []
        self.decisions: list[DelegatedDecision] = []
        self.reports: dict[int, DelegationReport] = {}

    # --- the order ------------------------------------------------------------------------

    def order_on(self, day: date) -> DelegationOrder | None:
        """The order in force on ``day`` (the latest valid from that day or earlier)."""
        current = None
        for order in self.orders:
            if order.valid_from <= day:
                current = order
        return current

    def adopt_order(self, order: DelegationOrder, ledamoter_on_valid_from: list[str]) -> None:
        """The board adopts a delegation order; it replaces the one in force from ``valid_from``.

        ``ledamoter_on_valid_from``: the board's ledamöter that day (an urgent item may name one).
        """
        if not order.items:
            raise InvalidInput("Delegationsordningen behöver minst en punkt.")
        codes = [i.code.strip() for i in order.items]
        if any(not c for c in codes) or len(set(codes)) != len(codes):
            raise InvalidInput("Varje punkt i delegationsordningen behöver ett eget nummer.")
        if order.authorised_by.meeting is None or order.authorised_by.paragraph is None:
            raise DelegationRuleViolation(
                "En delegationsordning beslutas av styrelsen: hänvisa till sammanträdet och paragrafen "
                "där den antogs (6 kap. 37 § kommunallagen)."
            )
        if order.valid_from < order.authorised_by.decided_on:
            raise DelegationRuleViolation(
                f"Delegationsordningen kan inte gälla från {order.valid_from.isoformat()}, före beslutet "
                f"{order.authorised_by.decided_on.isoformat()} som antog den."
            )
        if self.orders and order.valid_from <= self.orders[-1].valid_from:
            raise DelegationRuleViolation(
                f"En ny delegationsordning måste gälla från ett senare datum än den gällande "
                f"({self.orders[-1].valid_from.isoformat()}); den tidigare finns kvar som historik."
            )
        for item in order.items:
            if not item.matter.strip() or not item.delegate.strip():
                raise InvalidInput(f"Punkt {item.code} behöver både ärendegrupp och delegat.")
            reason = non_delegable_reason(item.matter_class)
            if reason is not None:
                raise DelegationRuleViolation(
                    f"Punkt {item.code} ({item.matter}) kan inte delegeras: styrelsen beslutar själv om {reason} "
                    "kommunallagen."
                )
            if item.limit is not None and item.limit <= 0:
                raise InvalidInput(f"Beloppsgränsen i punkt {item.code} måste vara större än noll.")
            if item.urgent and not (
                item.delegate.strip().casefold() in URGENT_DELEGATES
                or any(same_person(item.delegate, name) for name in ledamoter_on_valid_from)
            ):
                raise DelegationRuleViolation(
                    f"Punkt {item.code}: brådskande ärenden får bara delegeras till ordföranden eller en annan "
                    f"ledamot som styrelsen utsett (6 kap. 39 § kommunallagen); {item.delegate} är inte ledamot "
                    f"{order.valid_from.isoformat()}."
                )
        self._order_adopted(order=order)

    @event("OrderAdopted")
    def _order_adopted(self, order: DelegationOrder) -> None:
        self.orders.append(order)

    # --- delegated decisions ---------------------------------------------------------------

    def record_decision(
        self,
        decided_on: date,
        item_code: str,
        delegate: str,
        matter: str,
        amount: Decimal | None = None,
        matter_class: MatterClass = MatterClass.ORDINARY,
        registry_number: str = "",
    ) -> DelegatedDecision:
        """Record a delegationsbeslut; it must fall under the order in force on ``decided_on``."""
        if amount is not None:
            require_exact(amount, "Beslutets belopp")
            if amount < 0:
                raise InvalidInput("Beslutets belopp kan inte vara negativt.")
        if not matter.strip() or not delegate.strip():
            raise InvalidInput("Ange vad som beslutades och av vem.")
        order = self.order_on(decided_on)
        if order is None:
            raise DelegationRuleViolation(
                f"Ingen delegationsordning gällde {decided_on.isoformat()}: utan styrelsens uppdrag kan ingen "
                "besluta på styrelsens vägnar (6 kap. 37 § kommunallagen)."
            )
        item = order.item(item_code)
        if item is None:
            raise DelegationRuleViolation(
                f"Delegationsordningen som gällde från {order.valid_from.isoformat()} har ingen punkt "
                f"{item_code}; beslutet saknar stöd i delegationen (6 kap. 37 § kommunallagen)."
            )
        if not same_person(item.delegate, delegate):
            raise DelegationRuleViolation(
                f"Punkt {item.code} ({item.matter}) är delegerad till {item.delegate}, inte till {delegate} "
                "(6 kap. 37 § kommunallagen)."
            )
        reason = non_delegable_reason(matter_class)
        if reason is not None:
            raise DelegationRuleViolation(
                f"Beslutet kan inte fattas på delegation: styrelsen beslutar själv om {reason} kommunallagen."
            )
        if item.limit is not None and amount is None:
            raise InvalidInput(f"Punkt {item.code} har en beloppsgräns; ange beslutets belopp.")
        if over_limit(amount, item.limit):
            assert amount is not None and item.limit is not None
            raise DelegationRuleViolation(
                f"Beloppet {kronor(amount)} överstiger gränsen {kronor(item.limit)} i punkt {item.code} "
                f"({item.matter}); beslutet måste fattas av styrelsen."
            )
        decision = DelegatedDecision(
            number=len(self.decisions) + 1,
            decided_on=decided_on,
            item_code=item.code,
            delegate=item.delegate,
            matter=matter.strip(),
            amount=amount,
            urgent=item.urgent,
            order_valid_from=order.valid_from,
            registry_number=registry_number.strip(),
        )
        self._decision_recorded(decision=decision)
        return decision

    @event("DecisionRecorded")
    def _decision_recorded(self, decision: DelegatedDecision) -> None:
        self.decisions.append(decision)

    def decision(self, number: int) -> DelegatedDecision:
        if not 1 <= number <= len(self.decisions):
            raise InvalidInput(f"Delegationsbeslut nr {number} finns inte.")
        return self.decisions[number - 1]

    # --- reporting to the board ------------------------------------------------------------

    def report(self, numbers: tuple[int, ...], meeting: str, held_on: date, paragraph: int, meeting_id: UUID) -> None:
        """The decisions ``numbers`` are reported to the board in § ``paragraph`` of ``meeting``."""
        if not numbers:
            raise InvalidInput("Ange vilka delegationsbeslut som anmäls.")
        if len(set(numbers)) != len(numbers):
            raise InvalidInput("Samma delegationsbeslut står flera gånger i anmälan.")
        for number in numbers:
            decision = self.decision(number)
            earlier = self.reports.get(number)
            if earlier is not None:
                raise DelegationRuleViolation(
                    f"Delegationsbeslut nr {number} anmäldes redan i § {earlier.paragraph} på sammanträdet "
                    f"{earlier.meeting}."
                )
            if decision.decided_on > held_on:
                raise DelegationRuleViolation(
                    f"Delegationsbeslut nr {number} fattades {decision.decided_on.isoformat()}, efter "
                    f"sammanträdet {held_on.isoformat()}, och kan inte anmälas där."
                )
        self._reported(
            numbers=numbers,
            report=DelegationReport(meeting=meeting, held_on=held_on, paragraph=paragraph),
            meeting_id=meeting_id,
        )

    @event("Reported")
    def _reported(self, numbers: tuple[int, ...], report: DelegationReport, meeting_id: UUID) -> None:
        """``meeting_id``: the meeting whose minutes hold the report (the event derives from them)."""
        for number in numbers:
            self.reports[number] = report
