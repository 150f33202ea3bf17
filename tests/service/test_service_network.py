"""The network view after importing the seed dataset: roster 68 of 72, Kramfors's fee, Karlskoga/Degerfors's
budget status, the summary and participants; a förbund as it stood on a date; its audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio.to_thread
import msgspec
import pytest

from conftest import Running
from finsam_core import testing
from finsam_core.formats import import_paths
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


@pytest.fixture(scope="module")
def seeded(service: Running) -> int:
    """The seed dataset imported into the service's store; returns the log position it reached."""
    app = service.services.app
    results = import_paths(app, [SEEDS])
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    return testing.events_recorded(app)


async def get(service: Running, url: str, position: int, **params: Any) -> Any:
    response = await service.client.get(url, params={"min_position": position, **params})
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_roster_has_68_members_of_72_on_the_kramfors_meeting_day(service: Running, seeded: int) -> None:
    roster = await get(service, "/v1/network/roster", seeded, as_of="2024-01-26")
    assert (roster["members"], roster["total"]) == (68, 72)
    assert roster == _plain(service.services.app.network_roster(date(2024, 1, 26)))


async def test_kramfors_pays_9051_kr_for_2024_uncapped(service: Running, seeded: int) -> None:
    fees = await get(service, "/v1/network/fees/2024", seeded)
    kramfors = next(e for e in fees["entries"] if e["org_nr"] == testing.KRAMFORS)
    assert Decimal(kramfors["allocation"]) == 2_586_000
    assert Decimal(kramfors["per_mille"]) == Decimal("3.5")
    assert (Decimal(kramfors["fee"]), kramfors["capped"]) == (Decimal(9_051), False)
    library = service.services.app.fee_list(2024)
    assert Decimal(fees["total"]) == library.total
    assert (len(fees["entries"]), fees["missing_allocation"]) == (len(library.entries), library.missing_allocation)


async def test_karlskoga_degerfors_budget_status_2023_reads_as_the_october_report(
    service: Running, seeded: int
) -> None:
    status = await get(service, f"/v1/forbund/{testing.KARLSKOGA_DEGERFORS}/budgets/2023", seeded)
    assert Decimal(status["year_budget"]) == 6_088_000
    assert Decimal(status["outcome"]) == 5_418_000
    assert status["months"] == 10
    assert Decimal(status["forecast"]) == -400_000
    assert Decimal(status["equity_forecast"]) == 590_000
    library = service.services.app.budget_status(testing.KARLSKOGA_DEGERFORS, 2023)
    assert Decimal(status["deviation"]) == library.deviation
    assert status["flags"] == list(library.flags)


async def test_the_summary_counts_forbund_and_members_and_shows_budget_against_outcome(
    service: Running, seeded: int
) -> None:
    summary = await get(service, "/v1/network/summary", seeded, year=2023)
    assert summary["forbund"] == 72
    assert summary["nns_members"] == 68
    karlskoga = next(e for e in summary["entries"] if e["org_nr"] == testing.KARLSKOGA_DEGERFORS)
    assert Decimal(karlskoga["year_budget"]) == 6_088_000
    assert Decimal(karlskoga["outcome"]) == 5_418_000
    assert Decimal(karlskoga["equity"]) == 590_000
    assert karlskoga["nns_member"] is True
    summary_2024 = await get(service, "/v1/network/summary", seeded, year=2024)
    kramfors = next(e for e in summary_2024["entries"] if e["org_nr"] == testing.KRAMFORS)
    assert Decimal(kramfors["allocation"]) == 2_586_000
    assert Decimal(summary_2024["total_allocation"]) == sum(
        Decimal(e["allocation"]) for e in summary_2024["entries"] if e["allocation"] is not None
    )


async def test_participants_per_forbund_and_summed_equal_the_library(service: Running, seeded: int) -> None:
    for year in (2020, 2023):
        network = await get(service, f"/v1/network/participants/{year}", seeded)
        library = service.services.app.network_participant_figures(year)
        assert network == msgspec.json.decode(msgspec.json.encode(library))  # one shape, the same figures


async def test_a_forbund_as_of_a_date_is_replayed_from_the_audit_trail(service: Running, seeded: int) -> None:
    org = testing.KARLSKOGA_DEGERFORS
    now = await get(service, f"/v1/forbund/{org}", seeded)
    then = await get(service, f"/v1/forbund/{org}", seeded, as_of="2024-01-01")
    assert then["name"] == now["name"]
    assert {m["key"] for m in then["members"]} == {m["key"] for m in now["members"]}
    before = await service.client.get(f"/v1/forbund/{org}", params={"as_of": "1999-01-01"})
    assert before.status_code == 404, before.text


async def test_audit_events_carry_hashes_and_the_store_verifies(service: Running, seeded: int) -> None:
    org = testing.ORNSKOLDSVIK
    page = await get(service, f"/v1/forbund/{org}/audit/events", seeded, limit=5)
    assert len(page["events"]) == 5 and page["next_after"] == page["events"][-1]["position"]
    first = page["events"][0]
    assert len(first["hash"]) == 64 and len(first["leaf"]) == 64
    assert first["version"] == 1 and first["topic"].startswith("finsam_core.domain.forbund:Forbund")
    rest = await get(service, f"/v1/forbund/{org}/audit/events", seeded, after=page["next_after"], limit=10_000)
    positions = [e["position"] for e in page["events"] + rest["events"]]
    assert positions == sorted(set(positions))
    verified = await service.client.get(f"/v1/forbund/{org}/audit/verify")
    assert verified.status_code == 200, verified.text
    assert verified.json()["ok"] is True, verified.json()["problems"]
    # The förbund's own events, verified through its chain (not the whole store's).
    assert len(positions) <= verified.json()["events"] < seeded


async def test_audit_events_of_draft_minutes_are_only_for_the_forbunds_writers(service: Running, seeded: int) -> None:
    app = service.services.app
    org = testing.KRAMFORS
    _, position = await anyio.to_thread.run_sync(
        app.run, lambda tx: tx.convene_meeting(org, "2024-99", testing.TERM_2023[0].replace(year=2024), "Kramfors")
    )
    url = f"/v1/forbund/{org}/audit/events"
    public = await get(service, url, position, limit=10_000)
    own = (
        await service.client.get(url, params={"limit": 10_000}, headers=service.token(Role.FORBUND_WRITER, org))
    ).json()
    assert public["withheld"] >= 1 and own["withheld"] == 0
    assert len(own["events"]) == len(public["events"]) + public["withheld"]


async def test_an_unknown_forbunds_audit_trail_is_404(service: Running, seeded: int) -> None:
    response = await service.client.get("/v1/forbund/999900-0012/audit/events")
    assert response.status_code == 404, response.text


def _plain(value: Any) -> Any:
    """A library Roster as the service's JSON (``members`` and ``total`` are properties there)."""
    import msgspec

    data = msgspec.json.decode(msgspec.json.encode(value))
    return {"as_of": data["as_of"], "members": value.members, "total": value.total, "entries": data["entries"]}


async def test_the_public_verification_is_reused_until_the_log_grows(service: Running, seeded: int) -> None:
    org = testing.ORNSKOLDSVIK
    first = (await service.client.get(f"/v1/forbund/{org}/audit/verify")).json()
    again = (await service.client.get(f"/v1/forbund/{org}/audit/verify")).json()
    assert again["verified_at"] == first["verified_at"]  # the same verification, not a new read of the store
    assert first["log_position"] == testing.events_recorded(service.services.app)
    app = service.services.app
    await anyio.to_thread.run_sync(
        app.run, lambda tx: tx.convene_meeting(org, "2024-verify", date(2024, 11, 1), "Ö-vik")
    )
    grown = (await service.client.get(f"/v1/forbund/{org}/audit/verify")).json()
    assert grown["verified_at"] != first["verified_at"] and grown["log_position"] > first["log_position"]
    assert grown["ok"] is True
