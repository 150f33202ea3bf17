"""The förbund page shows the year's auditors and where each member's discharge stands (`001_*`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import KARLSKOGA_DEGERFORS, Site

pytestmark = pytest.mark.postgres


def test_the_forbund_page_names_the_auditors_of_2020_and_the_regions_proposal(page: Page, site: Site) -> None:
    response = page.goto(f"{site.base}/forbund/{KARLSKOGA_DEGERFORS}", wait_until="networkidle")
    assert response is not None and response.status == 200
    section = page.locator("section[aria-labelledby=arsredovisning]")
    expect(section).to_contain_text("Nils Nordqvist (Försäkringskassan, auktoriserad revisor)")
    expect(section).to_contain_text("Marie-Louise Naucler (Karlskoga kommun, förtroendevald revisor)")
    region = section.locator("tbody tr", has_text="Region Örebro län")
    expect(region).to_contain_text("21RS3479")
    expect(region).to_contain_text("Väntar på fullmäktiges beslut")
    # The step is named once, in its own sentence; the waiting sentence does not repeat it.
    assert region.inner_text().count("21RS3479") == 1
    assert "senaste steget" not in region.inner_text()
