"""The NNS fee list and the budget status for 100 förbund × 20 years of history, beside a plain-dict baseline.

The history is 100 FICTITIOUS förbund, each an NNS member with an allocation and a budget (three
lines, twelve months of outcome, forecasts) for each of 20 years: 2 000 allocations, 2 000 budgets,
about 80 000 events. Allocations and memberships go through the application's commands; budgets are
built with the ``Budget`` aggregate's own methods and saved directly (adopting through the commands
would need 2 000 board meetings, which the governance benchmark already measures).

Measured, on the store given (``sqlite`` by default, ``memory`` or ``postgres``):
  * the fee list for each of the 20 years, from a fresh application (cold: every aggregate read
    from the store) and again from the same application (warm: the aggregate cache);
  * the budget status of every förbund and year (2 000 statuses), cold and warm;
  * the baseline: the same arithmetic (the same ``service_fee`` rule, the same period benchmark and
    deviations) over plain dicts already in memory: the floor no store can beat.

    .venv/bin/python bench/bench_money.py [--forbund 100] [--years 20] [--store sqlite]
"""

from __future__ import annotations

import argparse
import tempfile
import time as clock
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from finsam_core.application import Finsam
from finsam_core.domain.budget import Budget, BudgetLine, IncomeLine, LineKind
from finsam_core.domain.charter import Charter, DecisionRef, SeatAllocation
from finsam_core.domain.forbund import forbund_id
from finsam_core.rules.money import service_fee
from finsam_core.testing import fictitious_org_nr, register_nns
from finsam_core.values import MemberKind, MemberOrganisation

FIRST_YEAR = 2005
MEMBERS = (
    MemberOrganisation("FK", "Försäkringskassan", MemberKind.FORSAKRINGSKASSAN),
    MemberOrganisation("AF", "Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN),
    MemberOrganisation("R", "Fiktiv region", MemberKind.REGION),
    MemberOrganisation("K", "Fiktiv kommun", MemberKind.KOMMUN),
)


def allocation_for(index: int, year: int) -> dict[str, int]:
    state = 1_000_000 + 25_000 * index + 10_000 * (year - FIRST_YEAR)
    return {"FK": state, "R": state // 2, "K": state // 2}


def lines_for(total: int) -> tuple[BudgetLine, ...]:
    return (
        BudgetLine("individ", "Individinsatser", Decimal(total * 70 // 100), LineKind.INDIVIDUAL),
        BudgetLine("struktur", "Strukturella insatser", Decimal(total * 10 // 100), LineKind.STRUCTURAL),
        BudgetLine("kansli", "Kansli", Decimal(total - total * 70 // 100 - total * 10 // 100), LineKind.OFFICE),
    )


def build(app: Finsam, forbund: int, years: int) -> dict[str, Any]:
    """Record the history; return the same figures as plain dicts for the baseline."""
    register_nns(app)
    plain: dict[str, Any] = {"allocations": {}, "budgets": {}, "members": []}
    for index in range(1, forbund + 1):
        org_nr = fictitious_org_nr(index)
        name = f"Fiktivt förbund {index:03d}"
        app.register_forbund(
            org_nr, name, MEMBERS, Charter(seats=tuple(SeatAllocation(m.key) for m in MEMBERS)), date(2004, 1, 1)
        )
        app.join_network(org_nr, date(2004, 1, 1))
        plain["members"].append((org_nr, name))
        budgets = []
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            amounts = allocation_for(index, year)
            total = app.record_allocation(org_nr, year, amounts, recorded_on=date(year - 1, 11, 1))
            plain["allocations"][(org_nr, year)] = total
            lines = lines_for(int(total) + 100_000)
            budget = Budget.adopt(
                forbund_id=forbund_id(org_nr),
                org_nr=org_nr,
                year=year,
                lines=lines,
                income=(IncomeLine("Medlemsbidrag", total),),
                decided_on=date(year - 1, 11, 20),
                authorised_by=DecisionRef(
                    "Förbundsstyrelsen", f"{year - 1}-6 § 3", date(year - 1, 11, 20), f"{year - 1}-6", 3
                ),
                late=False,
            )
            outcome: dict[tuple[int, str], Decimal] = {}
            for month in range(1, 13):
                for line in lines:
                    amount = (line.amount / 12 * Decimal("1.01")).quantize(Decimal(1))
                    budget.record_outcome(date(year, month, 1), line.key, amount)
                    outcome[(month, line.key)] = amount
            budget.forecast("individ", Decimal(-50_000), date(year, 10, 31))
            budget.record_opening_equity(Decimal(300_000))
            budgets.append(budget)
            plain["budgets"][(org_nr, year)] = (
                [(line.key, line.amount) for line in lines],
                outcome,
                {"individ": Decimal(-50_000)},
                total,
            )
        app.save(*budgets)
    return plain


def plain_fee_list(plain: dict[str, Any], year: int, per_mille: Decimal, cap: Decimal | None) -> Decimal:
    total = Decimal(0)
    for org_nr, _ in plain["members"]:
        total += service_fee(plain["allocations"][(org_nr, year)], per_mille, cap).fee
    return total


def plain_status(plain: dict[str, Any], org_nr: str, year: int) -> Decimal:
    lines, outcome, forecasts, allocation = plain["budgets"][(org_nr, year)]
    months = max(month for month, _ in outcome)
    deviation = Decimal(0)
    for key, amount in lines:
        used = sum(v for (m, k), v in outcome.items() if k == key and m <= months)
        deviation += (amount * months / 12).quantize(Decimal("0.01")) - used
    costs = sum(amount for _, amount in lines)
    equity = Decimal(300_000) + (allocation - costs) + sum(forecasts.values())
    result: Decimal = deviation + equity / allocation
    return result


def timed(what: Callable[[], object]) -> float:
    start = clock.perf_counter()
    what()
    return clock.perf_counter() - start


def store_url(kind: str, workdir: Path) -> tuple[str, Any]:
    if kind == "memory":
        return "memory:", None
    if kind == "sqlite":
        return f"sqlite:///{(workdir / 'bench.sqlite').as_posix().lstrip('/')}", None
    from finsam_core.embedded import EmbeddedPostgres, create_database

    server = EmbeddedPostgres(workdir / "pg", temporary=True)
    url = server.__enter__()
    return create_database(url, "bench_money"), server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forbund", type=int, default=100)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--store", choices=("memory", "sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    years = range(FIRST_YEAR, FIRST_YEAR + args.years)
    with tempfile.TemporaryDirectory() as tmp:
        url, server = store_url(args.store, Path(tmp))
        try:
            writer = Finsam(store_url=url)
            seconds = timed(lambda: build(writer, args.forbund, args.years))
            plain = build(Finsam(store_url="memory:"), args.forbund, args.years)
            events = writer.recorder.max_notification_id()
            print(
                f"{args.forbund} förbund × {args.years} years on {args.store}: "
                f"{events} events recorded in {seconds:.1f} s"
            )
            reader = writer if args.store == "memory" else Finsam(store_url=url)
            policies = {year: reader.network().policy_for(year) for year in years}
            orgs = [org for org, _ in plain["members"]]

            def fee_lists() -> None:
                for year in years:
                    fees = reader.fee_list(year)
                    policy = policies[year]
                    assert policy is not None
                    assert fees.total == plain_fee_list(plain, year, policy.per_mille, policy.cap)

            def statuses() -> None:
                for org_nr in orgs:
                    for year in years:
                        reader.budget_status(org_nr, year)

            def plain_fees() -> None:
                for year in years:
                    policy = policies[year]
                    assert policy is not None
                    plain_fee_list(plain, year, policy.per_mille, policy.cap)

            def plain_statuses() -> None:
                for org_nr in orgs:
                    for year in years:
                        plain_status(plain, org_nr, year)

            rows = [
                (f"fee list, {args.years} years", fee_lists, plain_fees, args.years),
                (f"budget status, {len(orgs) * args.years}", statuses, plain_statuses, len(orgs) * args.years),
            ]
            print(f"{'':28} {'cold':>10} {'warm':>10} {'plain dicts':>12} {'warm/plain':>11}  per item (warm)")
            for label, run, baseline, count in rows:
                cold = timed(run)
                warm = timed(run)
                base = timed(baseline)
                print(
                    f"{label:28} {cold * 1000:8.0f}ms {warm * 1000:8.0f}ms {base * 1000:10.1f}ms "
                    f"{warm / base:10.1f}x  {warm / count * 1000:.2f} ms"
                )
        finally:
            if server is not None:
                server.__exit__(None, None, None)


if __name__ == "__main__":
    main()
