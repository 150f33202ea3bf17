"""The audit trail of one förbund (``/v1/forbund/{org_nr}/audit/...``): its events with their hashes, a
recount of a vote, and a verification of the store.

All three read the event store itself (``finsam_core.audit``), not the views, in a worker thread. Events
that derive from minutes not yet adjusted are drafts: only the förbund's writers (and admins) see them.
Others see each stream up to its first such event (``finsam_service.drafts`` marks them) and nothing
past the views' position, which has not been marked yet.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from finsam_core.application import Finsam
from finsam_core.audit.recount import recount
from finsam_core.errors import NotFound
from finsam_core.limits import LINE_PATTERN
from finsam_core.values import validate_org_nr
from finsam_service.audit.reads import audit_events, public_streams, verify_cached
from finsam_service.audit.schemas import AuditEvents, AuditRecount, AuditVerification, CountedOutcome
from finsam_service.deps import Views
from finsam_service.drafts import shown
from finsam_service.openapi import problems

__all__ = ["AuditController"]


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
        public = None if drafts else await public_streams(views)
        return await anyio.to_thread.run_sync(audit_events, app, org_nr, after, limit, public, meeting)

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
        summary="Verify the förbund's hash chain, the signed heads that commit to it and its minutes signatures",
        responses=problems(400, 404),
        opt={"expensive": True},
    )
    async def verify(self, app: NamedDependency[Finsam], org_nr: FromPath[str]) -> AuditVerification:
        org_nr = validate_org_nr(org_nr)
        return await anyio.to_thread.run_sync(verify_cached, app, org_nr)
