"""The pages in a real browser on the seed dataset: the figures a reader checks, nothing loaded from
another host, zero axe-core violations, and drafts only for a signed-in writer."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from finsam_core.values import org_nr_check_digit

from .conftest import DRAFT_REFERENCE, KARLSKOGA_DEGERFORS, ORNSKOLDSVIK, Site

pytestmark = pytest.mark.postgres

PAGES = {
    "natverket": "/?datum=2024-01-26&ar=2024",
    "natverket-2023": "/?datum=2023-10-31&ar=2023",
    "forbund": f"/forbund/{KARLSKOGA_DEGERFORS}",
    "forbund-ornskoldsvik": f"/forbund/{ORNSKOLDSVIK}?datum=2024-05-30",
    "sammantrade": f"/forbund/{ORNSKOLDSVIK}/sammantraden/2024-05-30",
    "granskning": f"/forbund/{ORNSKOLDSVIK}/granskning",
    "logga-in": "/logga-in",
}
AXE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def open_page(page: Page, site: Site, path: str) -> list[str]:
    """Open ``path``; every URL the browser requested while loading it."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(site.base + path, wait_until="networkidle")
    assert response is not None and response.status == 200, path
    return requested


@pytest.mark.parametrize("name", [*PAGES, "docs"])
def test_a_page_requests_nothing_from_another_host(page: Page, site: Site, screenshots: Path, name: str) -> None:
    path = "/docs" if name == "docs" else PAGES[name]
    requested = open_page(page, site, path)
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    page.set_viewport_size({"width": 1024, "height": 720})
    page.screenshot(path=screenshots / f"{name}-forsta-skarmen.png")  # The first screen: docs/web.md's pictures.
    print(f"screenshot: {screenshots / f'{name}.png'}")
    elsewhere = [url for url in requested if urlsplit(url).scheme != "data" and urlsplit(url).netloc != site.host]
    assert requested and elsewhere == []


def test_docs_shows_the_api_from_files_served_by_finsam(page: Page, site: Site) -> None:
    requested = open_page(page, site, "/docs")
    # Swagger UI renders the info block after parsing the whole document (~236 kB with issue 15's routes):
    # on a loaded 2-core machine that takes longer than the default 5 s.
    expect(page.locator(".information-container h2").first).to_contain_text("finsam", timeout=30_000)
    expect(page.get_by_role("link", name="/v1/network/roster")).to_be_visible()
    assert any(url.endswith("/static/swagger-ui/swagger-ui-bundle.js") for url in requested)


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_has_no_axe_violations(page: Page, site: Site, name: str) -> None:
    open_page(page, site, PAGES[name])
    assert axe_violations(page) == []


def axe_violations(page: Page) -> list[tuple[str, list[Any]]]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the page: rule id and the first nodes."""
    page.evaluate(AXE)
    results: dict[str, Any] = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']}, resultTypes: ['violations']})"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]]


def test_axe_finds_a_violation_on_a_page_that_has_one(page: Page) -> None:
    """The accessibility check itself can fail: an image without a text alternative is a violation."""
    page.set_content('<!doctype html><html lang="sv"><title>t</title><main><img src="data:,"></main></html>')
    assert "image-alt" in [v[0] for v in axe_violations(page)]


def test_the_start_page_counts_68_members_of_72_on_2024_01_26(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["natverket"])
    expect(page.get_by_test_id("roster-count")).to_have_text("68 av 72 förbund är medlemmar i NNS den 2024-01-26.")
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_the_start_page_names_the_4_forbund_outside_nns_on_2024_01_26(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["natverket"])
    outside = page.get_by_test_id("roster-outside")
    expect(outside).to_have_text(
        "Inte medlemmar den dagen: Fiktivt förbund 66, Fiktivt förbund 67, Fiktivt förbund 68, Fiktivt förbund 69."
    )


def test_the_start_page_shows_kramfors_fee_of_9051_kr_for_2024(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["natverket"])
    row = page.get_by_test_id("fees").locator("tbody tr", has_text="Kramfors")
    expect(row.locator("td").nth(1)).to_have_text("9 051 kr")
    expect(row.locator("td").nth(0)).to_have_text("2 586 000 kr")


def test_karlskoga_degerfors_used_89_percent_against_83_3_by_october_2023(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["forbund"])
    expect(page.get_by_test_id("used-2023")).to_have_text("89,0 %")
    expect(page.get_by_test_id("benchmark-2023")).to_have_text("83,3 %")
    expect(page.get_by_test_id("budget-2023").locator("caption")).to_have_text("Budgetläget 2023 till och med oktober")


def test_the_start_page_for_2023_shows_karlskoga_degerfors_budget_use(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["natverket-2023"])
    row = page.get_by_test_id("budget").locator("tbody tr", has_text="Karlskoga")
    expect(row).to_contain_text("89,0 %")
    expect(row).to_contain_text("83,3 %")
    expect(row).to_contain_text("oktober")


def test_the_minutes_show_the_3_1_vote_on_43_with_each_name(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["sammantrade"])
    minutes = page.locator("article.minutes")
    expect(minutes).to_contain_text("Ja: Jan-Olov Häggström, Fredrik Berglund, Zenitha Nordfjell. Nej: Camilla Steen.")
    row = page.get_by_test_id("meeting-decisions").locator("tbody tr", has_text="§ 43")
    expect(row.locator("td").nth(1)).to_have_text("3–1")
    expect(row.locator("td").nth(3)).to_have_text("Camilla Steen")


def test_the_minutes_show_camilla_steens_reservation_verbatim(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["sammantrade"])
    expect(page.locator("article.minutes")).to_contain_text(
        "Camilla Steen reserverade sig för Försäkringskassans räkning mot beslutet enligt följande;"
    )
    expect(page.locator("article.minutes")).to_contain_text(
        "”Initiativet är bra och forskningen är viktig. FK ser dock inte att Finsammedel kan användas"
    )


def test_the_minutes_show_each_signature_and_the_anslag(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["sammantrade"])
    minutes = page.locator("article.minutes")
    signature = minutes.locator("p", has_text="Namn: FREDRIK BERGLUND (justerare)")
    expect(signature).to_contain_text("Datum: 2024-06-10 14:51")
    # The canonical minutes' hash: since issue 15 § 43 states its amount ("Belopp: högst 50 000 kr per år.").
    expect(minutes).to_contain_text("D5179DB67E1758E459948A474C45F31D17F5999DB5DEBF10B97FB73412978DC2")
    expect(minutes).to_contain_text("Sista dag att överklaga: 2024-07-02")
    expect(page.get_by_test_id("audit-status")).to_contain_text("Kontrollerat mot granskningsspåret: ja")


def test_the_audit_page_shows_a_passed_check_and_who_recorded_each_event(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["granskning"])
    expect(page.get_by_test_id("verification")).to_contain_text("Godkänd")
    expect(page.get_by_test_id("verification")).to_contain_text(re.compile(r"[0-9a-f]{64}"))
    first = page.get_by_test_id("events").locator("tbody tr").first
    expect(first).to_contain_text("Registered")
    expect(first.locator("td").nth(3)).to_contain_text("(import, forbund.toml)")
    assert page.get_by_test_id("events").locator("tbody tr").count() > 10


def test_the_forbund_page_shows_the_board_on_a_date_with_its_chair(page: Page, site: Site) -> None:
    open_page(page, site, f"/forbund/{ORNSKOLDSVIK}?datum=2024-05-30")
    expect(page.get_by_test_id("officers")).to_contain_text("Ordförande: Jan-Olov Häggström.")
    board = page.get_by_test_id("board")
    expect(board.locator("tbody tr", has_text="Camilla Steen")).to_contain_text("ledamot")
    expect(board.locator("tbody tr", has_text="Mats Helli")).to_contain_text("ersättare")
    assert board.locator("tbody tr").count() == 5


def test_the_board_before_the_term_is_empty(page: Page, site: Site) -> None:
    open_page(page, site, f"/forbund/{ORNSKOLDSVIK}?datum=2022-12-31")
    expect(page.get_by_test_id("board")).to_contain_text("Ingen i styrelsen den dagen")


def test_the_public_does_not_see_a_draft_meeting(page: Page, site: Site) -> None:
    open_page(page, site, PAGES["forbund-ornskoldsvik"])
    expect(page.get_by_test_id("meetings")).to_contain_text("2024-05-30")
    expect(page.get_by_test_id("meetings")).not_to_contain_text(DRAFT_REFERENCE)
    response = page.goto(f"{site.base}/forbund/{ORNSKOLDSVIK}/sammantraden/{quote(DRAFT_REFERENCE)}")
    assert response is not None and response.status == 404


def test_a_signed_in_writer_sees_the_draft_meeting(page: Page, site: Site) -> None:
    open_page(page, site, "/logga-in")
    page.get_by_label("API-nyckel").fill(site.writer_token)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**/forbund/{ORNSKOLDSVIK}")
    expect(page.get_by_test_id("meetings")).to_contain_text(DRAFT_REFERENCE)
    expect(page.get_by_test_id("drafts-shown")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "finsam_session")
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
    response = page.goto(f"{site.base}/forbund/{ORNSKOLDSVIK}/sammantraden/{quote(DRAFT_REFERENCE)}")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Styrelsens sammanträde 2024-09-12")


def test_signing_in_with_an_unknown_token_is_refused(page: Page, site: Site) -> None:
    open_page(page, site, "/logga-in")
    page.get_by_label("API-nyckel").fill("not-a-token")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("API-nyckeln är okänd")
    assert [c for c in page.context.cookies() if c["name"] == "finsam_session"] == []


def test_a_forbund_not_registered_is_a_page_saying_so_with_404(page: Page, site: Site) -> None:
    unknown = f"222999-999{org_nr_check_digit('222999999')}"
    response = page.goto(f"{site.base}/forbund/{unknown}")
    assert response is not None and response.status == 404
    expect(page.get_by_test_id("error")).to_have_text(f"Inget förbund med org nr {unknown} är registrerat.")


def test_a_malformed_date_is_a_page_saying_how_to_write_it_with_400(page: Page, site: Site) -> None:
    response = page.goto(f"{site.base}/?datum=26/1")
    assert response is not None and response.status == 400
    expect(page.get_by_test_id("error")).to_contain_text("skriv det som 2024-01-26")
