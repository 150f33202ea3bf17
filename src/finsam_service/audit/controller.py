"""The audit trail of one förbund (``/v1/forbund/{org_nr}/audit/...``): its events with their hashes, a
recount of a vote, and a verification of the store.

All three read the event store itself (``finsam_core.audit``), not the views, in a worker thread. Events
that derive from minutes not yet adjusted are drafts: only the förbund's writers (and admins) see them.
Others see each stream up to its first such event (``finsam_service.drafts`` marks them) and nothing
past the views' position, which has not been marked yet.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

import anyio.to_thread
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from finsam_core.application import Finsam
from finsam_core.audit.export import ForbundEvent, forbund_events
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.recount import recount
from finsam_core.audit.verify import verify_store
from finsam_core.domain.meeting import meeting_id
from finsam_core.errors import NotFound
from finsam_core.limits import LINE_PATTERN
from finsam_core.values import validate_org_nr
from finsam_service.audit.schemas import AuditEvent, AuditEvents, AuditRecount, AuditVerification, CountedOutcome
from finsam_service.deps import Views
from finsam_service.drafts import shown, withheld_streams
from finsam_service.openapi import problems

__all__ = ["AuditController"]


class _Public:
    """What a caller who may not read drafts is shown: marked streams up to their first draft event,
    and only events the views have marked (up to their position)."""

    def __init__(self, withheld_from: Mapping[UUID, int], marked_until: int) -> None:
        self.withheld_from = withheld_from
        self.marked_until = marked_until

    def shows(self, item: ForbundEvent) -> bool:
        first = self.withheld_from.get(item.stream)
        return item.position <= self.marked_until and (first is None or item.position < first)


def _events(
    app: Finsam, org_nr: str, after: int, limit: int, public: _Public | None, meeting: str | None = None
) -> AuditEvents:
    forbund = app.forbund(org_nr)  # 404 for an unknown förbund
    stream = None if meeting is None else meeting_id(forbund.id, meeting)
    found: list[AuditEvent] = []
    withheld = 0
    more = False
    for item in forbund_events(audit_storage(app.recorder), org_nr):
        if not isinstance(item, ForbundEvent) or item.position <= after:
            continue
        if stream is not None and item.stream != stream:
            continue
        if public is not None and not public.shows(item):
            withheld += 1
            continue
        if len(found) == limit:
            more = True
            break
        found.append(
            AuditEvent(
                position=item.position,
                stream=item.stream,
                version=item.version,
                topic=item.topic,
                domain_date=None if item.domain_date is None else date.fromisoformat(item.domain_date),
                recorded_at=None if item.recorded_at is None else datetime.fromisoformat(item.recorded_at),
                payload=item.payload,
                actor=item.actor,
                leaf=item.leaf.hex(),
                hash=item.hash.hex(),
            )
        )
    return AuditEvents(
        org_nr=org_nr, events=found, withheld=withheld, next_after=found[-1].position if more and found else None
    )


VERIFY_CACHE_SECONDS = 300.0
"""How long a verification is reused while the log has not grown (a new write always verifies anew)."""
_verified: dict[int, tuple[int, float, AuditVerification]] = {}
_verifying = threading.Lock()


def _verify_cached(app: Finsam, org_nr: str) -> AuditVerification:
    """The store's verification, reused for the same log end within :data:`VERIFY_CACHE_SECONDS`.

    Verifying reads the whole store; the public route would otherwise let anyone make the service
    do that on every call. One verification runs at a time; callers arriving meanwhile get its result.
    """
    app.forbund(org_nr)
    with _verifying:
        end = app.recorder.max_notification_id() or 0
        cached = _verified.get(id(app))
        if cached is not None and cached[0] == end and time.monotonic() - cached[1] < VERIFY_CACHE_SECONDS:
            return cached[2]
        result = _verify(app, end)
        _verified[id(app)] = (end, time.monotonic(), result)
        return result


def _verify(app: Finsam, log_position: int) -> AuditVerification:
    report = verify_store(app)
    head = report.last_head
    return AuditVerification(
        ok=report.ok,
        summary=report.summary(),
        events=report.events,
        streams=report.streams,
        heads=report.heads,
        last_head_position=head.position if head else None,
        last_head_hash=head.log_hash.hex() if head else None,
        last_head_signed_at=head.signed_at if head else None,
        signatures_checked=report.signatures_checked,
        minutes_signatures_checked=report.minutes_signatures_checked,
        problems=[str(problem) for problem in report.problems],
        verified_at=datetime.now(UTC),
        log_position=log_position,
    )


def _recount(
    app: Finsam, org_nr: str, meeting: str, paragraph: int, rule: str, vote: int, drafts: bool
) -> AuditRecount:
    found = app.meeting(org_nr, meeting)
    if not shown(found.is_final, drafts):  # A draft's votes are for the förbund's writers.
        raise NotFound(f"Sammanträdet {meeting} finns inte för förbundet {org_nr}.")
    counted = recount(found, paragraph, rule, vote - 1 if vote > 0 else -1)
    return AuditRecount(
        org_nr=org_nr,
        meeting=counted.meeting,
        paragraph=counted.paragraph,
        proposal=counted.proposal,
        yes=counted.tally.yes,
        no=counted.tally.no,
        abstain=counted.tally.abstain,
        voters=counted.voters,
        recorded=CountedOutcome(counted.recorded_rule, counted.recorded.outcome.value, counted.recorded.explanation),
        recounted=CountedOutcome(counted.rule.value, counted.recounted.outcome.value, counted.recounted.explanation),
        differs=counted.differs,
    )


class AuditController(Controller):
    path = "/v1/forbund/{org_nr:str}/audit"
    tags = ("revision",)

    @get(
        "/events",
        operation_id="GetAuditEvents",
        summary="The förbund's events with their hashes, in log order",
        responses=problems(400, 404),
        opt={"expensive": True},
    )
    async def events(
        self,
        app: NamedDependency[Finsam],
        views: NamedDependency[Views],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        after: FromQuery[int] = 0,
        limit: FromQuery[int] = 1000,
        meeting: Annotated[str | None, QueryParameter(max_length=500, pattern=LINE_PATTERN)] = None,
    ) -> AuditEvents:
        """With ``meeting``: the minutes' history, every event of that meeting with who recorded it and when."""
        org_nr = validate_org_nr(org_nr)
        limit = max(1, min(limit, 10_000))
        public = None
        if not drafts:
            # The position first: a mark written after it read is of an event past it, withheld anyway.
            marked_until = await views.position()
            public = _Public(await withheld_streams(views.pool), marked_until)
        return await anyio.to_thread.run_sync(_events, app, org_nr, after, limit, public, meeting)

    @get(
        "/recount",
        operation_id="RecountVote",
        summary="Count a recorded vote again under another decision rule; both outcomes, nothing recorded",
        responses=problems(400, 404),
    )
    async def recount(
        self,
        app: NamedDependency[Finsam],
        drafts: NamedDependency[bool],
        org_nr: FromPath[str],
        meeting: FromQuery[str],
        paragraph: Annotated[int, QueryParameter(ge=1, le=100_000)],
        rule: FromQuery[str],
        vote: Annotated[int, QueryParameter(ge=0, le=1_000)] = 0,
    ) -> AuditRecount:
        org_nr = validate_org_nr(org_nr)
        return await anyio.to_thread.run_sync(_recount, app, org_nr, meeting, paragraph, rule, vote, drafts)

    @get(
        "/verify",
        operation_id="VerifyAuditTrail",
        summary="Verify the hash chain and signatures of the store that holds the förbund's records",
        responses=problems(400, 404),
        opt={"expensive": True},
    )
    async def verify(self, app: NamedDependency[Finsam], org_nr: FromPath[str]) -> AuditVerification:
        org_nr = validate_org_nr(org_nr)
        return await anyio.to_thread.run_sync(_verify_cached, app, org_nr)
