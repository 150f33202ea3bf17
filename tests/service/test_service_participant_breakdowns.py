"""Participant breakdowns over HTTP: the förbund's writer reports them, anyone reads them, and no read,
export or page ever shows a participant count from 1 to 4."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import msgspec
import openpyxl
import pytest
import pytest_asyncio
from service_helpers import assert_problem, recorded

from conftest import Running
from finsam_core import testing
from finsam_core.formats import import_paths
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

SEEDS = Path(__file__).parents[2] / "examples" / "seeds"
KARLSKOGA = testing.KARLSKOGA_DEGERFORS
BREAKDOWNS = f"/v1/forbund/{KARLSKOGA}/participants/2021/breakdowns"
SMALL_2021 = {
    "breakdowns": [
        {"dimension": "kommun", "population": "deltagare", "cells": {"Karlskoga kommun": 77, "Degerfors kommun": 3}},
        {"dimension": "tid_i_insats", "population": "avslutade", "cells": {"0-3": 2, "4-6": 8, "7-12": 20}},
    ]
}
"""A fictitious year with small cells: 3 from Degerfors, 2 exited within three months."""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def position(service: Running) -> int:
    """The seeds imported, Karlskoga/Degerfors's 2021 counts and breakdowns written over HTTP."""
    app = service.services.app
    results = import_paths(app, [SEEDS])
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    counts = await service.client.post(
        f"/v1/forbund/{KARLSKOGA}/participants/2021",
        json={"participants": 80, "exited": 30, "women": 41, "men": 39},
        headers=writer,
    )
    assert counts.status_code == 201, counts.text
    written = await service.client.post(BREAKDOWNS, json=SMALL_2021, headers=writer)
    assert written.status_code == 201, written.text
    return int(written.json()["position"])


async def _json(service: Running, url: str, position: int, **params: Any) -> Any:
    response = await service.client.get(url, params={"min_position": position, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _small_counts(document: Any, path: str = "$") -> list[str]:
    """Where a JSON document holds a participant count from 1 to 4."""
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key in {"participants", "exited", "new", "total", "count"} and isinstance(value, int):
                if 1 <= value <= 4:
                    found.append(f"{path}.{key}={value}")
            else:
                found += _small_counts(value, f"{path}.{key}")
    elif isinstance(document, list):
        for i, item in enumerate(document):
            found += _small_counts(item, f"{path}[{i}]")
    return found


async def test_a_writer_reports_breakdowns_and_the_read_shows_small_cells_as_under_five(
    service: Running, position: int
) -> None:
    read = await _json(service, BREAKDOWNS, position)
    by = {(b["dimension"], b["population"]): b for b in read["breakdowns"]}
    kommun = {c["category"]: c["count"] for c in by["kommun", "deltagare"]["cells"]}
    assert kommun == {"Karlskoga kommun": "..", "Degerfors kommun": "<5"}  # 80 - 77 would give the 3 away
    time = {c["category"]: c["count"] for c in by["tid_i_insats", "avslutade"]["cells"]}
    assert time["0-3"] == "<5" and time["7-12"] == 20
    assert _small_counts(read) == []


async def test_a_breakdown_with_an_unknown_category_is_refused_and_records_nothing(
    service: Running, position: int
) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    before = recorded(service)
    body = {"breakdowns": [{"dimension": "kommun", "population": "deltagare", "cells": {"Örebro kommun": 80}}]}
    problem = assert_problem(await service.client.post(BREAKDOWNS, json=body, headers=writer), 400)
    assert "Okänd kategori 'Örebro kommun'" in problem["detail"]
    negative = {"breakdowns": [{"dimension": "alder", "population": "deltagare", "cells": {"16-29": -1}}]}
    assert_problem(await service.client.post(BREAKDOWNS, json=negative, headers=writer), 400)
    assert recorded(service) == before


async def test_only_the_forbunds_own_writer_may_report_its_breakdowns(service: Running, position: int) -> None:
    other = service.token(Role.FORBUND_WRITER, testing.KRAMFORS)
    before = recorded(service)
    assert (await service.client.post(BREAKDOWNS, json=SMALL_2021)).status_code == 401
    assert (await service.client.post(BREAKDOWNS, json=SMALL_2021, headers=other)).status_code == 403
    assert recorded(service) == before


async def test_the_seeds_figures_are_read_with_the_small_outcomes_suppressed(service: Running, position: int) -> None:
    own = await _json(service, f"/v1/forbund/{KARLSKOGA}/participants/2020", position)
    assert (own["participants"], own["exited"], own["new"]) == (203, 73, 66)
    by = {(b["dimension"], b["population"]): b for b in own["breakdowns"]}
    outcomes = {c["category"]: c["count"] for c in by["utfall", "avslutade"]["cells"]}
    assert outcomes["subventionerat_arbete"] == "<5" and outcomes["annat"] == "<5"
    assert outcomes["studier"] == 21
    kommun = {c["category"]: c["count"] for c in by["kommun", "deltagare"]["cells"]}
    assert kommun == {"Karlskoga kommun": 162, "Degerfors kommun": 41}


async def test_no_json_read_shows_a_count_from_one_to_four(service: Running, position: int) -> None:
    for year in (2020, 2021, 2022, 2023):
        network = await _json(service, f"/v1/network/participants/{year}", position)
        assert _small_counts(network) == [], year
        for entry in network["entries"]:
            own = await _json(service, f"/v1/forbund/{entry['org_nr']}/participants/{year}", position)
            assert own == entry  # one computation: a förbund's read is its entry in the network's
    library = service.services.app.network_participant_figures(2021)
    assert _small_counts(msgspec.to_builtins(library)) == []


@pytest.mark.parametrize("kind", ["participants", "participant_breakdowns"])
async def test_no_export_shows_a_count_from_one_to_four(service: Running, position: int, kind: str) -> None:
    counted = {"deltagare", "avslutade", "nya", "kvinnor", "män", "antal", "summa"}
    for year in (2020, 2021):
        csv_response = await service.client.get(
            f"/v1/network/exports/{kind}", params={"year": year, "format": "csv", "min_position": position}
        )
        assert csv_response.status_code == 200, csv_response.text
        rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert rows, (kind, year)
        cells = [row[column] for row in rows for column in counted if column in row]
        assert not [c for c in cells if c in {"1", "2", "3", "4"}], (kind, year)
        if kind == "participant_breakdowns":
            assert "<5" in cells, year  # 2020: the seed's 1 and 2 exits; 2021: 3 from Degerfors
        xlsx = await service.client.get(
            f"/v1/network/exports/{kind}", params={"year": year, "format": "xlsx", "min_position": position}
        )
        assert xlsx.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        columns = [i for i, name in enumerate(header) if name in counted]
        values = [row[i] for row in sheet.iter_rows(min_row=2, values_only=True) for i in columns]
        assert not [v for v in values if isinstance(v, int) and 1 <= v <= 4], (kind, year)


def _page_counts(html: str) -> list[str]:
    """The counts in the participant tables of a page."""
    tables = re.findall(r'<table data-testid="(?:breakdown|participants)">.*?</table>', html, re.S)
    found: list[str] = []
    for table in tables:
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
            cells = re.findall(r'<td class="num">(.*?)</td>', row)
            if 'data-testid="participants"' in table:
                cells = cells[1:]  # the first is how many förbund reported
            found += cells
    return found


async def test_no_page_shows_a_count_from_one_to_four(service: Running, position: int) -> None:
    await _json(service, "/v1/network/participants/2021", position)  # the views have caught up
    for url, params in ((f"/forbund/{KARLSKOGA}/", {}), ("/", {"ar": "2021"}), ("/", {"ar": "2020"})):
        page = await service.client.get(url, params=params)
        assert page.status_code == 200, page.text
        counts = _page_counts(page.text)
        assert counts, url
        assert not [c for c in counts if c in {"1", "2", "3", "4"}], (url, params)
    karlskoga = (await service.client.get(f"/forbund/{KARLSKOGA}/")).text
    assert "&lt;5" in karlskoga and "Degerfors kommun" in karlskoga


async def test_the_audit_trail_shows_that_figures_were_reported_but_not_the_counts(
    service: Running, position: int
) -> None:
    events: list[Any] = []
    after = 0
    while True:
        page = await _json(service, f"/v1/forbund/{KARLSKOGA}/audit/events", position, after=after, limit=200)
        events += page["events"]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    figures = [e for e in events if ":ParticipantFigures." in e["topic"] and not e["topic"].endswith(".Opened")]
    assert {e["topic"].rsplit(".", 1)[-1] for e in figures} == {"Reported", "BreakdownsReported"}
    for event in figures:
        assert event["leaf"] and event["hash"]
        assert all(event["payload"][key] == ".." for key in ("counts", "breakdowns") if key in event["payload"])
    assert _small_counts([e["payload"] for e in figures]) == []
