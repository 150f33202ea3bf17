"""The budget of one förbund and year: adopted and revised by decisions, outcome, forecast, close.

One aggregate per förbund and year. The budget is adopted by a board decision (a paragraph of the
förbund's minutes, checked by the application); every revision references its own decision and
the whole history is kept, so the budget as it stood on any day can be shown. Outcome is recorded
per month and line, forecasts per line for the whole year as a signed deviation (negative: the
line will cost more than budgeted), and the year is closed with its result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.versions import association_to_forbund
from finsam_core.errors import InvalidInput, MoneyRuleViolation
from finsam_core.rules.money import format_kronor
from finsam_core.values import Value, require_exact

__all__ = ["Budget", "BudgetLine", "BudgetVersion", "IncomeLine", "LineKind", "budget_id"]


def budget_id(forbund_id: UUID, year: int) -> UUID:
    """The identity of a förbund's budget for ``year``: one budget per förbund and year."""
    return uuid5(forbund_id, f"budget:{year}")


class LineKind(StrEnum):
    """What a cost line pays for."""

    INDIVIDUAL = "individuell_insats"
    STRUCTURAL = "strukturell_insats"
    OFFICE = "kansli"
    BOARD = "styrelse"
    AUDIT = "revision"
    OTHER = "ovrigt"


class BudgetLine(Value, frozen=True):
    """A cost line: ``key`` is short and stable (outcome and forecasts refer to it)."""

    key: str
    name: str
    amount: Decimal
    kind: LineKind = LineKind.OTHER

    def __post_init__(self) -> None:
        require_exact(self.amount, f"Budgetraden {self.name!r}")


class IncomeLine(Value, frozen=True):
    name: str
    amount: Decimal

    def __post_init__(self) -> None:
        require_exact(self.amount, f"Intäktsraden {self.name!r}")


class BudgetVersion(Value, frozen=True):
    """The budget as adopted (``revision`` 0) or as revised by a later decision."""

    revision: int
    lines: tuple[BudgetLine, ...]
    income: tuple[IncomeLine, ...]
    surplus_used: Decimal
    """Planned use of earlier years' surplus (equity) to cover a planned deficit."""
    decided_on: date
    authorised_by: DecisionRef
    late: bool = False

    @property
    def costs(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def income_total(self) -> Decimal:
        return sum((line.amount for line in self.income), Decimal(0))

    @property
    def planned_result(self) -> Decimal:
        """Income minus costs; negative is a planned deficit (an underskottsbudget)."""
        return self.income_total - self.costs

    def line(self, key: str) -> BudgetLine | None:
        for line in self.lines:
            if line.key == key:
                return line
        return None


def _check_version(
    lines: Sequence[BudgetLine],
    income: Sequence[IncomeLine],
    stated_total: Decimal | None,
    planned_result: Decimal | None,
    surplus_used: Decimal,
) -> None:
    if not lines:
        raise InvalidInput("En budget behöver minst en kostnadsrad.")
    keys = [line.key for line in lines]
    if any(not key.strip() for key in keys) or len(set(keys)) != len(keys):
        raise InvalidInput("Varje budgetrad behöver en egen, icke-tom kortform.")
    amounts = [(line.name, line.amount) for line in lines] + [(line.name, line.amount) for line in income]
    for name, amount in amounts:
        if amount < 0:
            raise InvalidInput(
                f"Budgetraden {name!r} har ett negativt belopp ({format_kronor(amount)}); "
                "ange kostnader och intäkter som positiva belopp."
            )
    if surplus_used < 0:
        raise InvalidInput("Planerat utnyttjande av tidigare års överskott kan inte vara negativt.")
    costs = sum((line.amount for line in lines), Decimal(0))
    if stated_total is not None and stated_total != costs:
        raise MoneyRuleViolation(
            f"Budgetraderna summerar till {format_kronor(costs)}, men totalen anges till {format_kronor(stated_total)}."
        )
    result = sum((line.amount for line in income), Decimal(0)) - costs
    if planned_result is not None and planned_result != result:
        raise MoneyRuleViolation(
            f"Intäkter minus kostnader ger resultatet {format_kronor(result)}, men det budgeterade "
            f"resultatet anges till {format_kronor(planned_result)}."
        )
    if surplus_used > max(Decimal(0), -result):
        raise MoneyRuleViolation(
            f"Budgeten tar {format_kronor(surplus_used)} ur tidigare års överskott, men det planerade "
            f"underskottet är bara {format_kronor(max(Decimal(0), -result))}."
        )


class Budget(Aggregate):
    """One förbund's budget for one year."""

    @staticmethod
    def create_id(forbund_id: UUID, year: int) -> UUID:
        return budget_id(forbund_id, year)

    @classmethod
    def adopt(
        cls,
        *,
        forbund_id: UUID,
        org_nr: str,
        year: int,
        lines: Sequence[BudgetLine],
        income: Sequence[IncomeLine],
        decided_on: date,
        authorised_by: DecisionRef,
        late: bool,
        stated_total: Decimal | None = None,
        planned_result: Decimal | None = None,
        surplus_used: Decimal = Decimal(0),
    ) -> Budget:
        """Adopt the budget; ``late`` (after the deadline) is recorded and shown, not refused."""
        _check_version(lines, income, stated_total, planned_result, surplus_used)
        version = BudgetVersion(
            revision=0,
            lines=tuple(lines),
            income=tuple(income),
            surplus_used=surplus_used,
            decided_on=decided_on,
            authorised_by=authorised_by,
            late=late,
        )
        return cls(forbund_id=forbund_id, org_nr=org_nr, year=year, version=version)

    class Adopted(Aggregate.Created):
        """Version 2 names the förbund ``forbund_id``; version 1 said ``association_id``."""

        class_version = 2
        forbund_id: UUID
        org_nr: str
        year: int
        version: BudgetVersion
        upcast_v1_v2 = staticmethod(association_to_forbund)

    @event(Adopted)
    def __init__(self, forbund_id: UUID, org_nr: str, year: int, version: BudgetVersion) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.year = year
        self.versions: list[BudgetVersion] = [version]
        self.outcome: dict[tuple[int, str], Decimal] = {}
        self.forecasts: dict[str, tuple[Decimal, date]] = {}
        self.opening_equity: Decimal | None = None
        self.closed_result: Decimal | None = None
        self.closed_on: date | None = None

    # --- adoption and revisions ----------------------------------------------------------

    @property
    def current(self) -> BudgetVersion:
        return self.versions[-1]

    @property
    def adopted(self) -> BudgetVersion:
        return self.versions[0]

    def as_of(self, day: date) -> BudgetVersion | None:
        """The budget in force on ``day``: the last version decided on or before it."""
        found = None
        for version in self.versions:
            if version.decided_on <= day:
                found = version
        return found

    def revise(
        self,
        *,
        lines: Sequence[BudgetLine],
        income: Sequence[IncomeLine],
        decided_on: date,
        authorised_by: DecisionRef,
        stated_total: Decimal | None = None,
        planned_result: Decimal | None = None,
        surplus_used: Decimal = Decimal(0),
    ) -> None:
        """Revise the budget by a later decision; the adopted budget stays in the history."""
        self._require_open()
        if decided_on < self.current.decided_on:
            raise MoneyRuleViolation(
                f"Revideringen beslutades {decided_on.isoformat()}, före den gällande budgeten "
                f"({self.current.decided_on.isoformat()}); en revidering måste komma efter."
            )
        _check_version(lines, income, stated_total, planned_result, surplus_used)
        self._revised(
            version=BudgetVersion(
                revision=len(self.versions),
                lines=tuple(lines),
                income=tuple(income),
                surplus_used=surplus_used,
                decided_on=decided_on,
                authorised_by=authorised_by,
            )
        )

    @event("Revised")
    def _revised(self, version: BudgetVersion) -> None:
        self.versions.append(version)

    # --- outcome and forecast --------------------------------------------------------------

    def record_outcome(self, month: date, line_key: str, amount: Decimal) -> None:
        """The outcome of ``line_key`` for the calendar month of ``month``; a later record replaces it."""
        self._require_open()
        if month.year != self.year:
            raise InvalidInput(f"Utfallet för {month.strftime('%Y-%m')} hör inte till budgetåret {self.year}.")
        self._require_line(line_key)
        if amount < 0:
            raise InvalidInput(
                f"Utfallet för {line_key} i {month.strftime('%Y-%m')} kan inte vara negativt ({format_kronor(amount)})."
            )
        self._outcome_recorded(month=month.month, line_key=line_key, amount=amount)

    @event("OutcomeRecorded")
    def _outcome_recorded(self, month: int, line_key: str, amount: Decimal) -> None:
        self.outcome[(month, line_key)] = amount

    def forecast(self, line_key: str, deviation: Decimal, made_on: date) -> None:
        """Forecast the line's whole-year deviation from its budget (negative: it will cost more)."""
        self._require_open()
        self._require_line(line_key)
        self._forecast_made(line_key=line_key, deviation=deviation, made_on=made_on)

    @event("ForecastMade")
    def _forecast_made(self, line_key: str, deviation: Decimal, made_on: date) -> None:
        self.forecasts[line_key] = (deviation, made_on)

    @property
    def months_reported(self) -> int:
        """The last month with any outcome recorded (0 if none)."""
        return max((month for month, _ in self.outcome), default=0)

    def outcome_through(self, month: int, line_key: str | None = None) -> Decimal:
        return sum(
            (
                amount
                for (m, key), amount in self.outcome.items()
                if m <= month and (line_key is None or key == line_key)
            ),
            Decimal(0),
        )

    # --- equity and close ------------------------------------------------------------------

    def record_opening_equity(self, amount: Decimal) -> None:
        """Equity at the start of the budget year (eget kapital), as the books show it."""
        self._opening_equity_recorded(amount=amount)

    @event("OpeningEquityRecorded")
    def _opening_equity_recorded(self, amount: Decimal) -> None:
        self.opening_equity = amount

    def close_year(self, result: Decimal, closed_on: date) -> None:
        """Close the year with its actual result (signed); outcome and forecasts stop."""
        self._require_open()
        if closed_on <= date(self.year, 12, 31):
            raise MoneyRuleViolation(
                f"Året {self.year} kan stängas först efter årets slut, inte {closed_on.isoformat()}."
            )
        self._year_closed(result=result, closed_on=closed_on)

    @event("YearClosed")
    def _year_closed(self, result: Decimal, closed_on: date) -> None:
        self.closed_result = result
        self.closed_on = closed_on

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def _require_open(self) -> None:
        if self.closed_on is not None:
            raise MoneyRuleViolation(
                f"Budgetåret {self.year} är stängt ({self.closed_on.isoformat()}); inget kan ändras."
            )

    def _require_line(self, line_key: str) -> None:
        if self.current.line(line_key) is None:
            raise InvalidInput(
                f"Budgeten för {self.year} har ingen rad {line_key!r}; raderna är "
                + ", ".join(line.key for line in self.current.lines)
                + "."
            )
