"""The arithmetic of a förbund's money: NNS fee, allocation split, budget follow-up, equity.

All amounts are exact ``Decimal`` kronor; floats are refused. Shares and ratios are ``Decimal``
fractions (``Decimal("0.25")`` is 25 %). Results are signed: a deficit or an overspend is negative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from finsam_core.errors import InvalidInput
from finsam_core.rules.parameters import StatutoryParameters
from finsam_core.values import MemberKind

__all__ = [
    "AllocationSplit",
    "FeeResult",
    "budget_deadline",
    "budget_deviation",
    "budget_is_late",
    "budget_used_share",
    "check_allocation",
    "equity_above_cap",
    "equity_after",
    "equity_ratio",
    "format_kronor",
    "period_benchmark",
    "period_budget",
    "service_fee",
    "statutory_split",
    "statutory_split_from_state",
]

_WHOLE_KRONA = Decimal(1)
_ORE = Decimal("0.01")
_PER_MILLE = Decimal(1000)
_MONTHS_IN_YEAR = 12


def _exact(amount: Decimal, what: str) -> Decimal:
    """``amount`` if it is a finite Decimal; floats and other types are refused."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise InvalidInput(f"{what} ska anges som ett exakt belopp (Decimal), inte som {amount!r}.")
    return amount


def _not_negative(amount: Decimal, message: str) -> Decimal:
    if amount < 0:
        raise InvalidInput(message)
    return amount


def format_kronor(amount: Decimal) -> str:
    """Kronor the Swedish way: ``2 787 000 kr``, ``1 393 500,50 kr``."""
    if amount == amount.to_integral_value():
        text = f"{int(amount):,}"
    else:
        text = f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    return text.translate(str.maketrans(",.", " ,")) + " kr"


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}".replace(".", ",") + " %"


@dataclass(frozen=True, slots=True)
class FeeResult:
    """An NNS service fee in whole kronor, and whether the cap set it."""

    fee: Decimal
    capped: bool


def service_fee(allocation: Decimal, per_mille: Decimal, cap: Decimal | None) -> FeeResult:
    """The NNS service fee: ``per_mille`` of the ``allocation``, at most ``cap`` kronor.

    The fee is rounded to whole kronor, half up. ``capped`` is true only when the uncapped fee is
    above the cap (3.5 per mille reaches 30 000 kr above an allocation of 8 571 428,57 kr).
    """
    _not_negative(_exact(allocation, "Tilldelningen"), "Tilldelningen kan inte vara negativ.")
    _not_negative(
        _exact(per_mille, "Serviceavgiftens promillesats"),
        "Serviceavgiftens promillesats kan inte vara negativ.",
    )
    if cap is not None:
        _not_negative(
            _exact(cap, "Taket för serviceavgiften"),
            "Taket för serviceavgiften kan inte vara negativt.",
        )
    uncapped = allocation * per_mille / _PER_MILLE
    capped = cap is not None and uncapped > cap
    fee = cap if capped and cap is not None else uncapped
    return FeeResult(fee=fee.quantize(_WHOLE_KRONA, rounding=ROUND_HALF_UP), capped=capped)


@dataclass(frozen=True, slots=True)
class AllocationSplit:
    """What the state (through Försäkringskassan), the regions and the kommuner pay."""

    state: Decimal
    regions: Decimal
    kommuner: Decimal

    @property
    def total(self) -> Decimal:
        """The förbund's whole allocation."""
        return self.state + self.regions + self.kommuner


def statutory_split(total: Decimal, params: StatutoryParameters) -> AllocationSplit:
    """How a förbund's ``total`` allocation divides by law (50/25/25 in the current rules)."""
    _not_negative(_exact(total, "Tilldelningen"), "Tilldelningen kan inte vara negativ.")
    return AllocationSplit(
        state=total * params.state_share,
        regions=total * params.region_share,
        kommuner=total * params.kommun_share,
    )


def statutory_split_from_state(state: Decimal, params: StatutoryParameters) -> AllocationSplit:
    """The split that matches the ``state`` money: with S from the state, regions S/2, kommuner S/2.

    The state decides its amount first; the region and the kommuner match it.
    """
    _not_negative(_exact(state, "Statens bidrag"), "Statens bidrag kan inte vara negativt.")
    if params.state_share == 0:
        raise InvalidInput("Statens andel är 0 %; fördelningen kan inte räknas ut från den.")
    total = state / params.state_share
    return AllocationSplit(
        state=state,
        regions=total * params.region_share,
        kommuner=total * params.kommun_share,
    )


def _differs(actual: Decimal, expected: Decimal) -> bool:
    """Amounts agree to the krona: a difference under one krona is rounding, not a deviation."""
    return abs(actual - expected) >= _WHOLE_KRONA


def _key_deviations(kommuner: Mapping[str, Decimal], key: Mapping[str, Decimal], quarter: Decimal) -> list[str]:
    for name, weight in key.items():
        _not_negative(
            _exact(weight, f"Fördelningsnyckeln för {name}"),
            f"Fördelningsnyckeln för {name} kan inte vara negativ.",
        )
    weights = sum(key.values(), Decimal(0))
    if weights == 0:
        raise InvalidInput("Fördelningsnyckeln mellan kommunerna kan inte vara noll för alla.")
    deviations = [
        f"Fördelningsnyckeln nämner {name}, som inte finns bland kommunernas bidrag."
        for name in key
        if name not in kommuner
    ]
    for name, paid in kommuner.items():
        if name not in key:
            deviations.append(f"Kommunen {name} saknas i fördelningsnyckeln.")
            continue
        share = key[name] / weights
        expected = quarter * share
        if _differs(paid, expected):
            deviations.append(
                f"{name} ska enligt fördelningsnyckeln betala {format_kronor(expected)} "
                f"({_percent(share.quantize(Decimal('0.0001')))} av kommunernas andel), "
                f"men betalar {format_kronor(paid)}."
            )
    return deviations


def check_allocation(
    contributions: Mapping[str, tuple[MemberKind, Decimal]],
    kommun_key: Mapping[str, Decimal] | None,
    params: StatutoryParameters,
) -> list[str]:
    """The ways the members' ``contributions`` depart from the statutory split; empty if none.

    ``contributions`` maps each member's name to its kind and yearly amount. Försäkringskassan pays
    the whole state share (its own and Arbetsförmedlingen's), so Arbetsförmedlingen pays nothing
    itself. The expected amounts are derived from the state money, so a deviation names the member
    that is off. ``kommun_key`` (weights, such as 25 and 75, or shares) divides the kommuner's
    share between them; with ``None`` only their sum is checked. Amounts agree to the krona.
    """
    by_kind: dict[MemberKind, dict[str, Decimal]] = {kind: {} for kind in MemberKind}
    for name, (kind, amount) in contributions.items():
        _not_negative(_exact(amount, f"Bidraget från {name}"), f"Bidraget från {name} kan inte vara negativt.")
        by_kind[kind][name] = amount

    def paid(kind: MemberKind) -> Decimal:
        return sum(by_kind[kind].values(), Decimal(0))

    deviations: list[str] = []
    if not by_kind[MemberKind.FORSAKRINGSKASSAN]:
        deviations.append("Bidrag från Försäkringskassan saknas; den betalar statens andel.")
    if not by_kind[MemberKind.REGION]:
        deviations.append("Bidrag från en region saknas; minst en region ska vara medlem.")
    if not by_kind[MemberKind.KOMMUN]:
        deviations.append("Bidrag från en kommun saknas; minst en kommun ska vara medlem.")
    for name, amount in by_kind[MemberKind.ARBETSFORMEDLINGEN].items():
        if amount != 0:
            deviations.append(
                f"{name} betalar {format_kronor(amount)}, men Försäkringskassan ska betala hela "
                "statens andel, även Arbetsförmedlingens."
            )

    state = paid(MemberKind.FORSAKRINGSKASSAN) + paid(MemberKind.ARBETSFORMEDLINGEN)
    if state > 0 and params.state_share > 0:
        expected = statutory_split_from_state(state, params)
    else:
        actual_total = sum((amount for _, amount in contributions.values()), Decimal(0))
        expected = statutory_split(actual_total, params)
        if _differs(state, expected.state):
            deviations.append(
                f"Staten ska betala {_percent(params.state_share)} av tilldelningen, "
                f"{format_kronor(expected.state)}, men betalar {format_kronor(state)}."
            )

    for kind, what, share, due in (
        (MemberKind.REGION, "Regionerna", params.region_share, expected.regions),
        (MemberKind.KOMMUN, "Kommunerna", params.kommun_share, expected.kommuner),
    ):
        actual = paid(kind)
        if by_kind[kind] and _differs(actual, due):
            deviations.append(
                f"{what} ska tillsammans betala {_percent(share)} av tilldelningen, "
                f"{format_kronor(due)}, men betalar {format_kronor(actual)}."
            )

    if kommun_key is not None and by_kind[MemberKind.KOMMUN]:
        deviations.extend(_key_deviations(by_kind[MemberKind.KOMMUN], kommun_key, expected.kommuner))
    return deviations


def period_benchmark(months_elapsed: int) -> Decimal:
    """The share of the year budget a linear budget has used after ``months_elapsed`` months.

    After October (10 months) it is 10/12, 83.3 %.
    """
    if not 0 <= months_elapsed <= _MONTHS_IN_YEAR:
        raise InvalidInput(f"Antalet månader måste vara mellan 0 och {_MONTHS_IN_YEAR}, inte {months_elapsed}.")
    return Decimal(months_elapsed) / Decimal(_MONTHS_IN_YEAR)


def period_budget(year_budget: Decimal, months_elapsed: int) -> Decimal:
    """The linear period budget after ``months_elapsed`` months, rounded once to the öre (half up).

    This is the one rounding of a budget deviation: 4 400 000 kr after October is 3 666 666,67 kr.
    """
    _exact(year_budget, "Årsbudgeten")
    period_benchmark(months_elapsed)
    return (year_budget * months_elapsed / _MONTHS_IN_YEAR).quantize(_ORE, rounding=ROUND_HALF_UP)


def budget_deviation(year_budget: Decimal, outcome: Decimal, months_elapsed: int) -> Decimal:
    """The period budget after ``months_elapsed`` months minus the ``outcome``; negative: overspent.

    Exact to the öre: the period budget is rounded once (:func:`period_budget`), the outcome is
    exact. Seed ``000_*``: 6 088 tkr a year, 5 418 tkr used after October gives −344 666,67 kr.
    A budget's line deviations and its total are each computed by this function, so the lines may
    sum to an öre or two off the total, as rounded rows do.
    """
    _exact(outcome, "Utfallet")
    return period_budget(year_budget, months_elapsed) - outcome


def budget_used_share(outcome: Decimal, year_budget: Decimal) -> Decimal:
    """The share of the year budget the ``outcome`` has used (5 418 of 6 088 tkr is about 89 %)."""
    _exact(outcome, "Utfallet")
    if _exact(year_budget, "Årsbudgeten") <= 0:
        raise InvalidInput("Årsbudgeten måste vara större än noll för att räkna ut en andel.")
    return outcome / year_budget


def equity_ratio(equity: Decimal, allocation: Decimal) -> Decimal:
    """Equity as a share of the yearly allocation (330 tkr on 2 586 tkr is 12,76 %)."""
    _exact(equity, "Det egna kapitalet")
    if _exact(allocation, "Tilldelningen") <= 0:
        raise InvalidInput("Tilldelningen måste vara större än noll för att räkna ut det egna kapitalets andel.")
    return equity / allocation


def equity_above_cap(equity: Decimal, allocation: Decimal, cap: Decimal) -> bool:
    """True when equity is above ``cap`` (a share, such as 0.20) of the yearly allocation."""
    _not_negative(_exact(cap, "Taket"), "Taket för eget kapital kan inte vara negativt.")
    return equity_ratio(equity, allocation) > cap


def equity_after(start_equity: Decimal, planned_result: Decimal, forecast_deviation: Decimal) -> Decimal:
    """Equity at year end: the start, plus the budgeted result, plus the forecast deviation.

    Results are signed: seed ``000_*`` has 1 518 tkr, a planned deficit of −528 tkr and a
    forecast deviation of −400 tkr, leaving 590 tkr.
    """
    _exact(start_equity, "Det egna kapitalet")
    _exact(planned_result, "Det budgeterade resultatet")
    _exact(forecast_deviation, "Prognosens avvikelse")
    return start_equity + planned_result + forecast_deviation


def budget_deadline(budget_year: int, params: StatutoryParameters) -> date:
    """The last day to adopt the budget for ``budget_year`` (30 November of the year before)."""
    return date(budget_year - 1, params.budget_deadline_month, params.budget_deadline_day)


def budget_is_late(adopted_on: date, budget_year: int, params: StatutoryParameters) -> bool:
    """True when the budget for ``budget_year`` was adopted after its deadline."""
    return adopted_on > budget_deadline(budget_year, params)
