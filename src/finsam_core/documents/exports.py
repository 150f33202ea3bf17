"""Exports a controller opens: the NNS fee list, the roster, budget status, the decision register and the
participant figures as tables, written as CSV or XLSX.

Each table is the rows a view holds (:class:`~finsam_core.projections.views.Views`), one column per
field, the values exact: amounts are :class:`~decimal.Decimal` in the cells, and the Swedish way of
showing them (thousands grouped, decimal comma, ISO dates) is the XLSX cells' number format, which
Excel and LibreOffice show in the reader's locale. CSV is RFC 4180 with a UTF-8 byte order mark (so
Excel reads å, ä, ö), a full stop for decimals and ISO dates: it is for programs as much as people.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final, TypeVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from finsam_core.domain.participant_breakdowns import DIMENSION_LABELS, POPULATION_LABELS, Dimension, Population
from finsam_core.errors import InvalidInput
from finsam_core.projections.participant_figures import NetworkParticipants, Reported, network_participants
from finsam_core.projections.views import Views

__all__ = ["EXPORTS", "Column", "Kind", "Table", "export_table", "table_csv", "table_xlsx"]

Value = str | int | Decimal | date | bool | None
_T = TypeVar("_T")


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    AMOUNT = "amount"
    SHARE = "share"
    DATE = "date"
    BOOL = "bool"


_FORMATS: Final = {
    Kind.INT: "0",
    Kind.AMOUNT: "#,##0.00",
    Kind.SHARE: "0.0%",
    Kind.DATE: "yyyy-mm-dd",
}
"""XLSX number formats: the separators are the reader's locale's (a Swedish Excel shows 9 051,00)."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]]


def _names(views: Views) -> dict[str, str]:
    return {k.org_nr: k.name for k in views.known_forbund()}


def _shown(views: Views, org_nr: str, decided_in: Sequence[str], drafts: bool) -> bool:
    """Whether a row the decisions ``decided_in`` authorised may be shown: they are all in adjusted minutes,
    or the reader may read drafts (the draft rule of :mod:`finsam_core.projections.drafts`)."""
    if drafts or not decided_in:
        return True
    final = {str(m.meeting_id) for m in views.meetings(org_nr) if m.final}
    return final.issuperset(decided_in)


def fee_list(views: Views, year: int, *, drafts: bool = False) -> Table:
    """NNS's fee list for ``year``: each förbund's allocation, the policy, the fee."""
    names = _names(views)
    columns = (
        Column("org_nr"),
        Column("förbund"),
        Column("år", Kind.INT),
        Column("tilldelning", Kind.AMOUNT),
        Column("promille", Kind.AMOUNT),
        Column("tak", Kind.AMOUNT),
        Column("avgift", Kind.AMOUNT),
        Column("takbegränsad", Kind.BOOL),
    )
    rows: list[tuple[Value, ...]] = [
        (f.org_nr, names.get(f.org_nr, ""), f.year, f.allocation, f.per_mille, f.cap, f.fee, f.capped)
        for f in views.fees(year)
        if _shown(views, f.org_nr, f.decided_in, drafts)
    ]
    return Table(f"Serviceavgifter NNS {year}", columns, rows)


def roster(views: Views, as_of: date) -> Table:
    """The NNS roster on ``as_of``."""
    columns = (
        Column("org_nr"),
        Column("förbund"),
        Column("medlem", Kind.BOOL),
        Column("inträde", Kind.DATE),
        Column("uppsägning", Kind.DATE),
        Column("utträde_efter", Kind.DATE),
    )
    rows: list[tuple[Value, ...]] = [
        (r.org_nr, r.name, r.member, r.joined_on, r.withdrawal_notice, r.leaves_after) for r in views.roster(as_of)
    ]
    return Table(f"Medlemsförteckning {as_of.isoformat()}", columns, rows)


def budget_status(views: Views, year: int, *, drafts: bool = False) -> Table:
    """Each förbund's budget status for ``year`` as of its latest reported month."""
    columns = (
        Column("org_nr"),
        Column("förbund"),
        Column("år", Kind.INT),
        Column("månader", Kind.INT),
        Column("årsbudget", Kind.AMOUNT),
        Column("periodbudget", Kind.AMOUNT),
        Column("utfall", Kind.AMOUNT),
        Column("förbrukad_andel", Kind.SHARE),
        Column("avvikelse", Kind.AMOUNT),
        Column("prognos", Kind.AMOUNT),
        Column("eget_kapital_andel", Kind.SHARE),
    )
    rows: list[tuple[Value, ...]] = []
    for org_nr, name in sorted(_names(views).items()):
        row = views.budget_status(org_nr, year)
        if row is not None and _shown(views, org_nr, row.decided_in, drafts):
            s = row.status
            rows.append(
                (
                    org_nr,
                    name,
                    year,
                    s.months,
                    s.year_budget,
                    s.benchmark,
                    s.outcome,
                    s.used_share,
                    s.deviation,
                    s.forecast,
                    s.equity_ratio,
                )
            )
    return Table(f"Budgetuppföljning {year}", columns, rows)


def decision_register(views: Views, org_nr: str, *, drafts: bool = False) -> Table:
    """The förbund's decisions in date and § order; only adjusted minutes' unless ``drafts``."""
    columns = (
        Column("sammanträde"),
        Column("datum", Kind.DATE),
        Column("paragraf", Kind.INT),
        Column("rubrik"),
        Column("beslut"),
        Column("ärendetyp"),
        Column("ja", Kind.INT),
        Column("nej", Kind.INT),
        Column("avstår", Kind.INT),
        Column("utfall"),
        Column("reservationer"),
        Column("justerat", Kind.BOOL),
    )
    rows: list[tuple[Value, ...]] = [
        (
            d.meeting,
            d.held_on,
            d.paragraph,
            d.title,
            " ".join(d.clauses),
            d.matter,
            d.yes,
            d.no,
            d.abstain,
            d.outcome,
            ", ".join(d.reservations),
            d.final,
        )
        for d in views.decisions(org_nr)
        if d.final or drafts
    ]
    return Table(f"Beslutsregister {org_nr}", columns, rows)


def _published(views: Views, year: int) -> NetworkParticipants:
    names = _names(views)
    rows = views.participants(year)
    return network_participants(
        year, [Reported(p.org_nr, names.get(p.org_nr, p.org_nr), p.counts, p.breakdowns) for p in rows]
    )


def participants(views: Views, year: int) -> Table:
    """The participant figures reported for ``year`` and their sum: counts only, never a person, and a
    count under five shown as ``<5`` (``..`` where withheld to protect one), as in every read."""
    published = _published(views, year)
    columns = (
        Column("org_nr"),
        Column("förbund"),
        Column("år", Kind.INT),
        Column("deltagare", Kind.INT),
        Column("avslutade", Kind.INT),
        Column("nya", Kind.INT),
        Column("kvinnor", Kind.INT),
        Column("män", Kind.INT),
    )
    rows: list[tuple[Value, ...]] = [
        (
            p.org_nr,
            p.name,
            p.year,
            p.participants,
            p.exited,
            p.new,
            p.cell(Dimension.GENDER, Population.PARTICIPANTS, "kvinnor"),
            p.cell(Dimension.GENDER, Population.PARTICIPANTS, "man"),
        )
        for p in (*published.entries, published.total)
        if p.org_nr or published.entries
    ]
    return Table(f"Deltagare {year}", columns, rows)


def participant_breakdowns(views: Views, year: int) -> Table:
    """Every breakdown of ``year`` (kommun, age, gender, income source, exits by outcome, time in the
    intervention), one row per cell, each förbund's and the network's sum; small counts suppressed."""
    published = _published(views, year)
    columns = (
        Column("org_nr"),
        Column("förbund"),
        Column("år", Kind.INT),
        Column("grupp"),
        Column("fördelning"),
        Column("kategori"),
        Column("antal", Kind.INT),
        Column("summa", Kind.INT),
        Column("summerar_till_summan", Kind.BOOL),
    )
    rows: list[tuple[Value, ...]] = [
        (
            p.org_nr,
            p.name,
            p.year,
            POPULATION_LABELS[b.population],
            DIMENSION_LABELS[b.dimension],
            c.label,
            c.count,
            b.total,
            b.sums_to_total,
        )
        for p in ((*published.entries, published.total) if published.entries else ())
        for b in p.breakdowns
        for c in b.cells
    ]
    return Table(f"Deltagarfördelning {year}", columns, rows)


EXPORTS: Final[dict[str, str]] = {
    "fees": "NNS serviceavgifter för ett år (--year)",
    "roster": "NNS medlemsförteckning per dag (--as-of)",
    "budget": "budgetuppföljning per förbund för ett år (--year)",
    "decisions": "ett förbunds beslutsregister (--forbund)",
    "participants": "deltagarsiffror för ett år (--year)",
    "participant_breakdowns": "deltagare per kommun, ålder, kön, försörjning, utfall och tid i insats (--year)",
}


def export_table(
    views: Views, kind: str, *, year: int | None, as_of: date | None, org_nr: str | None, drafts: bool = False
) -> Table:
    """The export ``kind`` (a key of :data:`EXPORTS`); :class:`InvalidInput` in Swedish when a parameter is missing."""

    def need(value: _T | None, option: str) -> _T:
        if value is None:
            raise InvalidInput(f"Exporten {kind} behöver {option}.")
        return value

    makers: dict[str, Callable[[], Table]] = {
        "fees": lambda: fee_list(views, need(year, "ett år (--year)"), drafts=drafts),
        "roster": lambda: roster(views, need(as_of, "en dag (--as-of)")),
        "budget": lambda: budget_status(views, need(year, "ett år (--year)"), drafts=drafts),
        "decisions": lambda: decision_register(views, need(org_nr, "ett förbund (--forbund)"), drafts=drafts),
        "participants": lambda: participants(views, need(year, "ett år (--year)")),
        "participant_breakdowns": lambda: participant_breakdowns(views, need(year, "ett år (--year)")),
    }
    if kind not in makers:
        raise InvalidInput(f"Det finns ingen export {kind!r}; välj en av {', '.join(EXPORTS)}.")
    return makers[kind]()


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return value.isoformat() if isinstance(value, date) else str(value)


def table_csv(table: Table) -> bytes:
    """The table as CSV (see the module's docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows([_text(v) for v in row] for row in table.rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """The table as one XLSX sheet: typed cells, exact amounts, number formats (see the module's docstring)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    sheet.append(list(c.name for c in table.columns))
    formats: Sequence[str | None] = [_FORMATS.get(c.kind) for c in table.columns]
    for row in table.rows:
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # openpyxl writes a Decimal exactly
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
