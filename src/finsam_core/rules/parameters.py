"""The numbers the law, the charters and NNS set, as dated configuration.

Finsamlagen (2003:1210) is under review, so no deadline, share or fee is a literal in the rules:
each lives in a :class:`StatutoryParameters` set that takes effect from a date, and
:func:`parameters_on` picks the set in force on a given day. A change in the law is a new entry in
:data:`HISTORY`, never an edit of an old one, so that old records are still judged by the rules of
their day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from finsam_core.errors import BoardRuleViolation, InvalidInput, MembershipRuleViolation
from finsam_core.values import Ratio

__all__ = ["HISTORY", "StatutoryParameters", "check_charter_limits", "parameters_on"]


_MORE_THAN_HALF: Final = Ratio(1, 2)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatutoryParameters:
    """One set of rule numbers, in force from ``effective_from`` until the next set takes over.

    Minutes and appeal (kommunallagen 2017:725, followed by the förbund):
      ``adjustment_days``: minutes are adjusted within this many days of the meeting;
      ``notice_posting_days``: the notice of adjustment is posted by this day after adjustment;
      ``appeal_weeks``: an appeal must arrive within this many weeks of the posting day.
    Members (Finsamlagen 2003:1210):
      ``member_notice_years``: the longest notice period for a kommun or region leaving a förbund
      (three years; a charter may set a shorter one, never a longer).
    Board: ``quorum_more_than``: the board may decide only when more than this share of the
      ledamöter are present (more than half); a charter may ask for more, never for less.
    Budget and accounts:
      ``budget_deadline_month``/``budget_deadline_day``: the budget is adopted by this day of the
      year before; ``annual_report_months``: the annual report is due this many months after the
      year end; ``equity_cap``: the recommended ceiling on equity, as a share of the allocation.
    Financing: ``state_share`` (paid by Försäkringskassan), ``region_share``, ``kommun_share``.
    NNS (agreed, not statutory): ``nns_withdrawal_notice_months``. The NNS service fee is not here:
    the network records its fee policy as events (``finsam_core.domain.network``).
    """

    effective_from: date
    adjustment_days: int = 14
    notice_posting_days: int = 2
    appeal_weeks: int = 3
    member_notice_years: int = 3
    nns_withdrawal_notice_months: int = 3
    budget_deadline_month: int = 11
    budget_deadline_day: int = 30
    annual_report_months: int = 3
    equity_cap: Decimal = Decimal("0.20")
    state_share: Decimal = Decimal("0.5")
    region_share: Decimal = Decimal("0.25")
    kommun_share: Decimal = Decimal("0.25")
    quorum_more_than: Ratio = _MORE_THAN_HALF

    def __post_init__(self) -> None:
        counts = {
            "justeringsfristen (dagar)": self.adjustment_days,
            "fristen för anslag (dagar)": self.notice_posting_days,
            "överklagandetiden (veckor)": self.appeal_weeks,
            "uppsägningstiden för medlemmar (år)": self.member_notice_years,
            "uppsägningstiden för utträde ur NNS (månader)": self.nns_withdrawal_notice_months,
            "fristen för årsredovisningen (månader)": self.annual_report_months,
        }
        for what, value in counts.items():
            if value < 0:
                raise InvalidInput(f"Parametern {what} kan inte vara negativ.")
        try:
            date(2001, self.budget_deadline_month, self.budget_deadline_day)
        except ValueError as exc:
            raise InvalidInput(
                f"Sista dag för budgeten, {self.budget_deadline_day}/{self.budget_deadline_month}, är inget datum."
            ) from exc
        shares = (self.state_share, self.region_share, self.kommun_share)
        if any(share < 0 for share in shares) or sum(shares) != 1:
            raise InvalidInput(
                "Statens, regionernas och kommunernas andelar måste vara positiva och tillsammans "
                "vara hela tilldelningen (100 %)."
            )
        if self.equity_cap < 0:
            raise InvalidInput("Taket för eget kapital kan inte vara negativt.")


HISTORY: Final[tuple[StatutoryParameters, ...]] = (
    # Finsamlagen (2003:1210) came into force on 1 January 2004.
    StatutoryParameters(effective_from=date(2004, 1, 1)),
)
"""Every parameter set finsam knows, in any order; add a set when a rule changes."""


def check_charter_limits(*, member_notice_years: int, quorum_more_than: Ratio, effective_from: date) -> None:
    """Refuse a charter's number that lies outside the law's limit in force when the charter takes effect.

    The notice period may be at most the law's (raises :class:`MembershipRuleViolation`); the quorum
    may be no lower than the law's (raises :class:`BoardRuleViolation`). A charter dated before
    Finsamlagen is judged by the first set.
    """
    earliest = min(HISTORY, key=lambda params: params.effective_from)
    limits = parameters_on(max(effective_from, earliest.effective_from))
    if member_notice_years < 0:
        raise MembershipRuleViolation("Förbundsordningens uppsägningstid för en medlem kan inte vara negativ.")
    if member_notice_years > limits.member_notice_years:
        raise MembershipRuleViolation(
            f"Förbundsordningens uppsägningstid, {member_notice_years} år, är längre än lagen tillåter: "
            f"högst {limits.member_notice_years} år (Finsamlagen, 2003:1210); förbundsordningen får bara "
            "bestämma en kortare tid."
        )
    law = limits.quorum_more_than
    if quorum_more_than.numerator * law.denominator < law.numerator * quorum_more_than.denominator:
        raise BoardRuleViolation(
            f"Förbundsordningen kan inte göra styrelsen beslutsför med fler än {quorum_more_than} av "
            f"ledamöterna närvarande: styrelsen är beslutsför först när mer än hälften ({law}) är närvarande."
        )


def parameters_on(day: date, history: Iterable[StatutoryParameters] = HISTORY) -> StatutoryParameters:
    """The set in force on ``day``: the one with the latest ``effective_from`` on or before it.

    Raises :class:`InvalidInput` when no set is in force yet on ``day``, or when two sets take
    effect on the same day (the history would be ambiguous).
    """
    in_force = [params for params in history if params.effective_from <= day]
    if not in_force:
        raise InvalidInput(
            f"Det finns inga regler för {day.isoformat()}: finsam känner bara till regler från och "
            "med att Finsamlagen trädde i kraft."
        )
    latest = max(params.effective_from for params in in_force)
    current = [params for params in in_force if params.effective_from == latest]
    if len(current) > 1:
        raise InvalidInput(f"Två olika regeluppsättningar gäller från {latest.isoformat()}; bara en får göra det.")
    return current[0]
