"""The public/draft boundary over HTTP: every public GET route, walked after a draft decision.

A board decision in minutes that are not adjusted adopts a budget, records the year's allocation,
approves the annual report of the year before and admits a member. Until the minutes are adjusted
nothing of it — the meeting, its § number, the decision, the budget, the allocation (and the NNS fee
list's line computed from it), the report, the member, the audit events — may appear in any response to a caller
without a token or with another förbund's token; the förbund's own writer sees it; once the minutes are
adjusted, everyone does. The routes are taken from the app's route handlers (their query parameters from
the OpenAPI document), so a new GET route is walked without touching this test, and a route with a
parameter this test cannot fill fails it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
import pytest_asyncio

from conftest import Running
from finsam_core import testing
from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import meeting_id
from finsam_core.values import MemberKind, MemberOrganisation
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

KARLSKOGA = testing.KARLSKOGA_DEGERFORS
KRAMFORS = testing.KRAMFORS

REFERENCE = "ZX-2025-2"
HELD_ON = date(2025, 2, 14)
TITLE = "Zebrafinkbeslutet om budget, tilldelning, årsredovisning och ny medlem"
LINE = "Zebrafinkprojektet"
AMOUNT = "7654321"
MEMBER = "Zebrafinks kommun"
YEAR = 2025
ALLOCATION = {"FK": 4_242_424, "RÖL": 2_121_212, "KK": 1_590_909, "DK": 530_303}
ALLOCATION_TOTAL = "8484848"
REPORT = {"income": 9_191_919, "costs": 4_848_485, "result": 4_343_434, "equity_at_year_end": 1_717_171}
YEARS = (YEAR - 1, YEAR)


@dataclass
class Draft:
    paragraph: int
    secrets: tuple[str, ...]
    """Text that only the draft can have put in a response (the meeting id covers § numbers and
    the minute book's and förbund's index events)."""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def draft(service: Running) -> Draft:
    """Karlskoga/Degerfors (a member of NNS) and Kramfors; a Karlskoga meeting in draft whose one
    decision adopts the 2025 budget, records the 2025 allocation, approves the 2024 annual report and
    admits a member; the views caught up with it."""
    app = service.services.app
    testing.register_karlskoga_degerfors(app)
    testing.register_kramfors(app)
    testing.register_nns(app)
    app.list_in_network(KARLSKOGA, "Samordningsförbundet Karlskoga/Degerfors")
    app.join_network(KARLSKOGA, date(2020, 1, 1))
    ref = testing.record_board_decision(app, KARLSKOGA, REFERENCE, HELD_ON, TITLE, ("att anta Zebrafinkbudgeten",))
    app.adopt_budget(
        KARLSKOGA,
        YEAR,
        [BudgetLine("zebra", LINE, Decimal(AMOUNT), LineKind.STRUCTURAL)],
        [IncomeLine("Medlemsbidrag", Decimal(AMOUNT))],
        ref,
    )
    app.record_allocation(KARLSKOGA, YEAR, ALLOCATION, kommun_key=testing.KARLSKOGA_KOMMUN_KEY, authorised_by=ref)
    app.approve_annual_report(KARLSKOGA, YEAR - 1, authorised_by=ref, **REPORT)
    app.admit_member(KARLSKOGA, MemberOrganisation("ZFK", MEMBER, MemberKind.KOMMUN), date(2025, 7, 1), ref)
    await caught_up(service)
    assert ref.paragraph is not None
    the_meeting = str(meeting_id(forbund_id(KARLSKOGA), REFERENCE))
    report = tuple(str(amount) for amount in REPORT.values())
    return Draft(ref.paragraph, (REFERENCE, "Zebrafink", AMOUNT, MEMBER, ALLOCATION_TOTAL, *report, the_meeting))


async def caught_up(service: Running) -> None:
    """Wait until the views include every event recorded so far."""
    last = testing.events_recorded(service.services.app)
    response = await service.client.get("/v1/forbund/", params={"min_position": last})
    assert response.status_code == 200, response.text


def values(draft: Draft, year: int) -> dict[str, str]:
    """A value for every path or query parameter a public GET route may take: the draft's own."""
    return {
        "org_nr": KARLSKOGA,
        "forbund": KARLSKOGA,
        "reference": REFERENCE,
        "number": str(draft.paragraph),
        "year": str(year),
        "member_key": "ZFK",
        "as_of": f"{year}-12-31",
        "recorded_at": "2100-01-01T00:00:00+01:00",
        "since": f"{year}-01-01",
        "until": f"{year}-12-31",
        "text": "Zebrafink",
        "path": "openapi.json",
        "file_path": "finsam.css",  # the pages' static files
        "meeting": REFERENCE,
        "paragraph": str(draft.paragraph),
        "rule": "two-thirds-of-present",
        "certified_by": "Sekreteraren",
        "kind": "fees",
    }


@dataclass
class Answer:
    url: str
    status: int
    body: str


async def walk(service: Running, draft: Draft, headers: Mapping[str, str]) -> list[Answer]:
    """Every GET route, once for the report's year and once for the budget's."""
    return [answer for year in YEARS for answer in await walk_year(service, draft, headers, year)]


async def walk_year(service: Running, draft: Draft, headers: Mapping[str, str], year: int) -> list[Answer]:
    """GET every route the app serves a GET on, with the draft's values filled in: the route
    handlers name the routes (also those left out of the OpenAPI document, such as ``/metrics``),
    the OpenAPI document their query parameters. Each route is called bare and with every query
    parameter this test knows."""
    operations = service.app.openapi_schema.to_schema()["paths"]
    filled = values(draft, year)
    answers = []
    for route in service.app.routes:
        if "GET" not in getattr(route, "methods", ()):
            continue
        path, query = route.path_format, {}
        for name in route.path_parameters:  # their names
            assert name in filled, f"GET {route.path}: no value for {name}; add one to values()"
            path = path.replace("{" + name + "}", filled[name])
        operation = operations.get(route.path_format, {}).get("get", {})
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] == "query" and name in filled:
                query[name] = filled[name]
            elif parameter["in"] == "query":
                assert not parameter.get("required"), f"GET {route.path}: no value for required parameter {name}"
        for params in ({}, query) if query else ({},):
            response = await service.client.get(path, params=params, headers=dict(headers))
            assert response.status_code < 500, f"GET {path} {params}: {response.status_code} {response.text}"
            assert response.status_code != 429, f"GET {path}: rate-limited, so the walk saw nothing"
            answers.append(Answer(str(response.url), response.status_code, response.text))
    return answers


def leaks(answers: list[Answer], secrets: tuple[str, ...]) -> list[str]:
    """Each secret found in a response; a refusal that repeats what the request asked for (a 404
    naming the reference in the path) is not a leak."""
    found = []
    for answer in answers:
        for secret in secrets:
            if secret in answer.body and (answer.status < 400 or secret not in answer.url):
                found.append(f"{answer.url}: {secret!r} in {answer.body[:300]}")
    return found


def shown(answers: list[Answer], secret: str) -> list[str]:
    return [a.url for a in answers if a.status == 200 and secret in a.body and secret not in a.url]


async def test_the_walk_covers_every_public_read_of_a_forbund(service: Running, draft: Draft) -> None:
    answers = await walk(service, draft, {})
    urls = " ".join(a.url for a in answers)
    for route in (
        "/meetings",
        "/decisions",
        "/budgets",
        "/audit/events",
        "/annual-reports/",
        "/minutes.txt",
        "/metrics",
        "/docs/openapi.json",
    ):
        assert route in urls
    assert sum(a.status == 200 for a in answers) >= 10
    assert any("recorded_at" in a.url and a.status == 200 for a in answers)  # the förbund replayed from the log


async def test_nothing_of_a_draft_reaches_a_caller_without_a_token(service: Running, draft: Draft) -> None:
    assert leaks(await walk(service, draft, {}), draft.secrets) == []


async def test_nothing_of_a_draft_reaches_another_forbunds_writer(service: Running, draft: Draft) -> None:
    other = service.token(Role.FORBUND_WRITER, KRAMFORS)
    assert leaks(await walk(service, draft, other), draft.secrets) == []


async def test_nothing_of_a_draft_reaches_the_network_admin(service: Running, draft: Draft) -> None:
    network_admin = service.token(Role.NETWORK_ADMIN)
    assert leaks(await walk(service, draft, network_admin), draft.secrets) == []


async def test_the_forbunds_own_writer_sees_the_draft_everywhere_it_belongs(service: Running, draft: Draft) -> None:
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    answers = await walk(service, draft, writer)
    base = f"/v1/forbund/{KARLSKOGA}"
    assert any(url.endswith(f"{base}/meetings") for url in shown(answers, REFERENCE))
    assert any(f"{base}/audit/events" in url for url in shown(answers, draft.secrets[-1]))
    assert any(f"{base}/decisions" in url for url in shown(answers, TITLE))
    assert any(url.endswith(f"{base}/budgets/{YEAR}") for url in shown(answers, AMOUNT))
    assert any(url.endswith(f"{base}/budgets/{YEAR}") for url in shown(answers, ALLOCATION_TOTAL))
    assert any(url.endswith(f"{base}/annual-reports/{YEAR - 1}") for url in shown(answers, "4343434"))
    assert any(url.endswith(base) for url in shown(answers, MEMBER))


async def test_once_the_minutes_are_adjusted_the_public_sees_them(service: Running, draft: Draft) -> None:
    testing.adjust_minutes(service.services.app, KARLSKOGA, REFERENCE, date(2025, 2, 18))
    await caught_up(service)
    answers = await walk(service, draft, {})
    base = f"/v1/forbund/{KARLSKOGA}"
    assert any(url.endswith(f"{base}/meetings") for url in shown(answers, REFERENCE))
    assert any(f"{base}/audit/events" in url for url in shown(answers, draft.secrets[-1]))
    assert any(url.endswith(f"{base}/budgets/{YEAR}") for url in shown(answers, AMOUNT))
    assert any(url.endswith(base) for url in shown(answers, MEMBER))
    assert any(url.rstrip("/").endswith("/v1/forbund") for url in shown(answers, MEMBER))
    assert any(url.endswith(f"{base}/annual-reports/{YEAR - 1}") for url in shown(answers, "4343434"))
    assert any(url.endswith(f"/v1/network/fees/{YEAR}") for url in shown(answers, ALLOCATION_TOTAL))
    assert any(f"/v1/network/summary?year={YEAR}" in url for url in shown(answers, ALLOCATION_TOTAL))
