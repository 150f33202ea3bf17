"""Exports a controller opens: exact amounts in typed cells, Swedish formats as the cells' number formats."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.documents.exports import export_table, table_csv, table_xlsx
from finsam_core.documents.reading import views_of
from finsam_core.errors import InvalidInput
from finsam_core.projections.memory import MemoryViews


@pytest.fixture(scope="module")
def views() -> MemoryViews:
    app = Finsam(store_url="memory:")
    testing.register_nns(app)
    testing.register_kramfors(app)
    app.join_network(testing.KRAMFORS, date(2010, 1, 1))
    testing.record_kramfors_allocation(app, 2024)
    return views_of(app)


def test_the_xlsx_fee_list_holds_kramfors_2024_fee_9051_exactly(views: MemoryViews) -> None:
    table = export_table(views, "fees", year=2024, as_of=None, org_nr=None)
    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header, kramfors = rows[0], rows[1]
    fee = kramfors[header.index("avgift")]
    assert kramfors[0] == testing.KRAMFORS
    assert fee == 9051 and Decimal(str(fee)) == Decimal(9051)
    assert kramfors[header.index("tilldelning")] == 2_586_000


def test_amounts_are_formatted_by_the_cell_not_in_the_value(views: MemoryViews) -> None:
    table = export_table(views, "fees", year=2024, as_of=None, org_nr=None)
    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=7)
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"


def test_the_csv_fee_list_has_a_bom_and_exact_amounts(views: MemoryViews) -> None:
    data = table_csv(export_table(views, "fees", year=2024, as_of=None, org_nr=None))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[6] == "avgift"
    assert lines[1].split(",")[6] == "9051"


def test_the_roster_as_of_a_date_lists_kramfors_as_member(views: MemoryViews) -> None:
    table = export_table(views, "roster", year=None, as_of=date(2024, 6, 1), org_nr=None)
    assert [(r[0], r[2]) for r in table.rows] == [(testing.KRAMFORS, True)]


def test_an_export_without_its_year_is_refused_in_swedish(views: MemoryViews) -> None:
    with pytest.raises(InvalidInput, match="behöver ett år"):
        export_table(views, "fees", year=None, as_of=None, org_nr=None)
    with pytest.raises(InvalidInput, match="ingen export"):
        export_table(views, "nosuch", year=2024, as_of=None, org_nr=None)
