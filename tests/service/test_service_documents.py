"""The secretary's documents over HTTP: minutes as PDF and HTML, the protokollsutdrag, the clock, the exports."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from service_helpers import assert_problem, recorded

from conftest import Running
from finsam_core import testing
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

ORG, REF = testing.ORNSKOLDSVIK, "2024-05-30"
DRAFT = "2024-09-01"
MINUTES = f"/v1/forbund/{ORG}/meetings"


@pytest.fixture(scope="module")
def position(service: Running) -> int:
    """Örnsköldsvik with the adjusted seed minutes and a meeting never adjusted; Kramfors's 2024 fee."""
    app = service.services.app
    testing.register_nns(app)
    testing.register_ornskoldsvik(app)
    testing.register_kramfors(app)
    app.join_network(testing.KRAMFORS, date(2010, 1, 1))
    app.join_network(ORG, date(2010, 1, 1))
    testing.record_kramfors_allocation(app, 2024)
    app.run(lambda tx: testing.record_ornskoldsvik_2024_05_30(tx))
    _, at = app.run(
        lambda tx: tx.convene_meeting(ORG, DRAFT, date(2024, 9, 1), "Kansliet", opens_at=time(9), closes_at=time(10))
    )
    return at


async def test_adjusted_minutes_are_public_as_pdf(service: Running, position: int) -> None:
    response = await service.client.get(f"{MINUTES}/{REF}/minutes.pdf", params={"min_position": position})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sid 1(" in text and "Camilla Steen reserverade sig" in text and "Sista dag att överklaga 2024-07-02" in text


async def test_a_draft_as_pdf_is_only_for_the_forbunds_writers(service: Running, position: int) -> None:
    url = f"{MINUTES}/{DRAFT}/minutes.pdf"
    assert_problem(await service.client.get(url, params={"min_position": position}), 404)
    own = await service.client.get(url, headers=service.token(Role.FORBUND_WRITER, ORG))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")


async def test_the_minutes_as_html(service: Running, position: int) -> None:
    response = await service.client.get(f"{MINUTES}/{REF}/minutes.html", params={"min_position": position})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert testing.ORNSKOLDSVIK_RESERVATION in response.text


async def test_an_excerpt_of_43_with_the_hash_of_the_trail(service: Running, position: int) -> None:
    params = {"paragraph": "43", "certified_by": "Pär Eriksson", "certified_on": "2024-06-12"}
    response = await service.client.get(f"{MINUTES}/{REF}/excerpt.txt", params={**params, "min_position": position})
    assert response.status_code == 200, response.text
    digest = service.services.app.meeting(ORG, REF).signatures[0].sha256.upper()
    assert f"SHA-256 för det justerade protokollet: {digest}" in response.text
    assert "§ 44" not in response.text
    pdf = await service.client.get(f"{MINUTES}/{REF}/excerpt.pdf", params=params)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_no_excerpt_of_minutes_not_adjusted_and_nothing_recorded(service: Running, position: int) -> None:
    before = recorded(service)
    response = await service.client.get(
        f"{MINUTES}/{DRAFT}/excerpt.txt",
        params={"paragraph": "1", "certified_by": "X", "min_position": position},
        headers=service.token(Role.FORBUND_WRITER, ORG),
    )
    problem = assert_problem(response, 422)
    assert "bara tas ur justerade protokoll" in problem["detail"]
    assert recorded(service) == before


async def test_the_clock_shows_minutes_never_adjusted_as_overdue_after_their_last_day(
    service: Running, position: int
) -> None:
    # The 14th day after the meeting (2024-09-15) is a Sunday: the last day moves to Monday the 16th
    # (lag 1930:173), and the minutes are overdue from the 17th.
    url = f"/v1/forbund/{ORG}/deadlines"
    own = service.token(Role.FORBUND_WRITER, ORG)
    due = await service.client.get(url, params={"as_of": "2024-09-16", "min_position": position}, headers=own)
    overdue = await service.client.get(url, params={"as_of": "2024-09-17"}, headers=own)
    assert due.status_code == 200, due.text

    def adjustment(items: list[dict[str, str]]) -> dict[str, str]:
        (item,) = [i for i in items if i["kind"] == "justera_protokoll" and DRAFT in i["subject"]]
        return item

    assert adjustment(due.json())["status"] == "pågår"
    item = adjustment(overdue.json())
    assert (item["status"], item["due_on"], item["source"]) == ("försenad", "2024-09-16", "kommunallagen 5 kap. 69 §")
    public = await service.client.get(url, params={"as_of": "2024-09-17"})
    assert all(DRAFT not in i["subject"] for i in public.json())


async def test_the_network_clock_lists_the_adjusted_minutes(service: Running, position: int) -> None:
    response = await service.client.get(
        "/v1/network/deadlines", params={"as_of": "2024-06-20", "min_position": position}
    )
    assert response.status_code == 200, response.text
    appeal = [i for i in response.json() if i["kind"] == "overklagandetid" and i["org_nr"] == ORG]
    assert [(i["due_on"], i["status"]) for i in appeal] == [("2024-07-02", "pågår")]


async def test_the_fee_list_as_xlsx_holds_kramfors_9051(service: Running, position: int) -> None:
    response = await service.client.get(
        "/v1/network/exports/fees", params={"year": "2024", "format": "xlsx", "min_position": position}
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[testing.KRAMFORS][6] == 9051


async def test_an_export_without_its_year_is_a_400(service: Running, position: int) -> None:
    problem = assert_problem(await service.client.get("/v1/network/exports/fees"), 400)
    assert "behöver ett år" in problem["detail"]


async def test_the_decision_register_as_csv(service: Running, position: int) -> None:
    response = await service.client.get(f"/v1/forbund/{ORG}/decisions/export", params={"min_position": position})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "följeforskningprojektet" in response.content.decode("utf-8-sig")


async def test_a_late_kallelse_is_recorded_flagged_and_rendered(service: Running, position: int) -> None:
    own = service.token(Role.FORBUND_WRITER, ORG)
    written = await service.client.post(
        f"{MINUTES}/{DRAFT}/kallelse",
        json={"sent_on": "2024-08-30", "recipients": ["Jan-Olov Häggström", "Mats Helli"], "documents": ["Budget"]},
        headers=own,
    )
    assert written.status_code == 201, written.text
    assert written.json()["late"] is True
    pdf = await service.client.get(
        f"{MINUTES}/{DRAFT}/kallelse.pdf", params={"min_position": written.json()["position"]}, headers=own
    )
    assert pdf.status_code == 200, pdf.text
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "för sent" in text and "Mats Helli" in text


async def test_the_dataset_description_is_dcat_json_ld(service: Running, position: int) -> None:
    response = await service.client.get("/v1/network/datasets")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    catalog = response.json()
    assert catalog["@type"] == "dcat:Catalog"
    assert any(d["dct:identifier"] == "serviceavgifter" for d in catalog["dcat:dataset"])
