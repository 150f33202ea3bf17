"""Records decided in draft minutes, one kind at a time: what the public sees of them and when.

The walk of every route (``test_service_drafts``) shows that nothing of a draft leaks; these tests pin
down what the public *does* see around a draft: the rest of a member, the final part of the audit
trail, and a budget revised in draft minutes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import Running
from finsam_core import testing
from finsam_core.domain.budget import BudgetLine, IncomeLine
from finsam_core.domain.forbund import forbund_id
from finsam_core.domain.meeting import meeting_id
from finsam_core.values import MemberKind, MemberOrganisation
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

KARLSKOGA = testing.KARLSKOGA_DEGERFORS
BASE = f"/v1/forbund/{KARLSKOGA}"


@pytest.fixture(scope="module")
def registered(service: Running) -> None:
    testing.register_karlskoga_degerfors(service.services.app)


async def get(service: Running, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    """GET once the views include every event recorded so far; the JSON body (None for a 404)."""
    last = testing.events_recorded(service.services.app)
    response = await service.client.get(path, params={"min_position": last, **params}, headers=headers or {})
    assert response.status_code in (200, 404), response.text
    return response.json() if response.status_code == 200 else None


def member(forbund: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((m for m in forbund["members"] if m["key"] == key), None)


async def test_a_notice_to_leave_decided_in_draft_minutes_leaves_the_member_public_without_its_last_day(
    service: Running, registered: None
) -> None:
    app = service.services.app
    ref = testing.record_board_decision(app, KARLSKOGA, "2023-N", date(2023, 3, 1), "Uppsägning", ("att notera",))
    app.give_member_notice(KARLSKOGA, "DK", date(2023, 3, 1), ref)
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)

    public = member(await get(service, BASE), "DK")
    assert public is not None and public["leaves_on"] is None
    replayed = member(await get(service, BASE, as_of="2023-06-30"), "DK")
    assert replayed is not None and replayed["leaves_on"] is None
    own = member(await get(service, BASE, writer), "DK")
    assert own is not None and own["leaves_on"] is not None

    testing.adjust_minutes(app, KARLSKOGA, "2023-N", date(2023, 3, 3))
    adjusted = member(await get(service, BASE), "DK")
    assert adjusted is not None and adjusted["leaves_on"] == own["leaves_on"]


async def test_a_member_admitted_in_draft_minutes_is_left_out_of_the_forbund_replayed_for_the_public(
    service: Running, registered: None
) -> None:
    app = service.services.app
    ref = testing.record_board_decision(app, KARLSKOGA, "2023-M", date(2023, 4, 1), "Ny medlem", ("att anta",))
    app.admit_member(KARLSKOGA, MemberOrganisation("LK", "Laxå kommun", MemberKind.KOMMUN), date(2023, 7, 1), ref)
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)

    assert member(await get(service, BASE, as_of="2023-12-31"), "LK") is None
    assert member(await get(service, BASE, writer, as_of="2023-12-31"), "LK") is not None
    listed = await get(service, "/v1/forbund/")
    assert member(next(f for f in listed if f["org_nr"] == KARLSKOGA), "LK") is None


async def test_the_public_audit_trail_shows_each_stream_up_to_its_first_draft_event(
    service: Running, registered: None
) -> None:
    app = service.services.app
    testing.record_board_decision(app, KARLSKOGA, "2023-A", date(2023, 5, 1), "Information", ("att notera",))
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)

    everything = await get(service, f"{BASE}/audit/events", writer)
    public = await get(service, f"{BASE}/audit/events")
    assert everything["withheld"] == 0
    assert public["withheld"] > 0
    assert len(public["events"]) + public["withheld"] == len(everything["events"])
    by_stream: dict[str, list[int]] = {}
    for event in everything["events"]:
        by_stream.setdefault(event["stream"], []).append(event["position"])
    shown = {event["position"] for event in public["events"]}
    for positions in by_stream.values():  # Each stream is shown as a prefix: no gaps.
        visible = [p in shown for p in positions]
        assert visible == sorted(visible, reverse=True)
    draft_meeting = str(meeting_id(forbund_id(KARLSKOGA), "2023-A"))
    cited = [e for e in everything["events"] if e["payload"].get("meeting_id") == draft_meeting]
    assert {e["topic"].rsplit(":", 1)[1] for e in cited} >= {
        "Forbund.MeetingEntered",
        "MinuteBook.MeetingEntered",
        "MinuteBook.NumberTaken",
    }
    assert not shown & {e["position"] for e in cited}
    assert draft_meeting not in {e["stream"] for e in public["events"]}
    registered_event = everything["events"][0]
    assert registered_event["topic"].endswith("Forbund.Registered")
    assert registered_event["position"] in shown


async def test_a_budget_revised_in_draft_minutes_is_withheld_whole_until_the_minutes_are_adjusted(
    service: Running, registered: None
) -> None:
    app = service.services.app
    adopted = testing.record_board_decision(app, KARLSKOGA, "2024-B1", date(2024, 2, 1), "Budget", ("att anta",))
    lines = [BudgetLine("coaching", "Coachingteamet", Decimal(4_000_000))]
    app.adopt_budget(KARLSKOGA, 2024, lines, [IncomeLine("Bidrag", Decimal(4_000_000))], adopted)
    testing.adjust_minutes(app, KARLSKOGA, "2024-B1", date(2024, 2, 5))
    assert (await get(service, f"{BASE}/budgets/2024"))["revisions"] == 0

    revised = testing.record_board_decision(app, KARLSKOGA, "2024-B2", date(2024, 3, 1), "Revidering", ("att",))
    lines = [BudgetLine("coaching", "Coachingteamet", Decimal(4_100_000))]
    app.revise_budget(KARLSKOGA, 2024, lines, [IncomeLine("Bidrag", Decimal(4_100_000))], revised)
    writer = service.token(Role.FORBUND_WRITER, KARLSKOGA)
    assert await get(service, f"{BASE}/budgets/2024") is None
    assert 2024 not in await get(service, f"{BASE}/budgets")
    assert (await get(service, f"{BASE}/budgets/2024", writer))["revisions"] == 1

    testing.adjust_minutes(app, KARLSKOGA, "2024-B2", date(2024, 3, 4))
    assert (await get(service, f"{BASE}/budgets/2024"))["revisions"] == 1
