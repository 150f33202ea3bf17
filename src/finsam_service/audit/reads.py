"""The audit reads a förbund's route and its Granskning page share: its events, and its verification.

Both read the event store itself (``finsam_core.audit``), in a worker thread, through the förbund's
own chain (the links index): their time grows with the förbund's events, not with the store. A
store whose latest head does not commit to the förbund chains yet (not migrated) is read by
walking the whole log, as before. A caller who may not read drafts sees each stream up to its
first draft event and nothing past the views' position (:func:`public_streams`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime
from uuid import UUID

from finsam_core.application import Finsam
from finsam_core.audit.export import ForbundEvent, forbund_events
from finsam_core.audit.forbund_chain import (
    chain_forbund_events,
    chain_is_complete,
    sign_pending,
    verify_forbund,
)
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.verify import verify_store
from finsam_core.domain.meeting import meeting_id
from finsam_core.projections.published_participants import without_participant_counts
from finsam_service.audit.schemas import AuditEvent, AuditEvents, AuditVerification
from finsam_service.deps import Views
from finsam_service.drafts import withheld_streams

__all__ = ["VERIFY_CACHE_SECONDS", "PublicStreams", "audit_events", "public_streams", "verify_cached"]


class PublicStreams:
    """What a caller who may not read drafts is shown: marked streams up to their first draft event,
    and only events the views have marked (up to their position)."""

    def __init__(self, withheld_from: Mapping[UUID, int], marked_until: int) -> None:
        self.withheld_from = withheld_from
        self.marked_until = marked_until

    def shows(self, item: ForbundEvent) -> bool:
        first = self.withheld_from.get(item.stream)
        return item.position <= self.marked_until and (first is None or item.position < first)


def audit_events(
    app: Finsam, org_nr: str, after: int, limit: int, public: PublicStreams | None, meeting: str | None = None
) -> AuditEvents:
    forbund = app.forbund(org_nr)  # 404 for an unknown förbund
    stream = None if meeting is None else meeting_id(forbund.id, meeting)
    found: list[AuditEvent] = []
    withheld = 0
    more = False
    sign_pending(app.recorder)
    storage = audit_storage(app.recorder)
    items = chain_forbund_events(storage, org_nr) if chain_is_complete(storage) else forbund_events(storage, org_nr)
    for item in items:
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
                payload=without_participant_counts(item.topic, item.payload),
                actor=item.actor,
                leaf=item.leaf.hex(),
                hash=(item.link or item.hash).hex(),
            )
        )
    return AuditEvents(
        org_nr=org_nr, events=found, withheld=withheld, next_after=found[-1].position if more and found else None
    )


VERIFY_CACHE_SECONDS = 300.0
"""How long a verification is reused while the log has not grown (a new write always verifies anew)."""
_verified: dict[tuple[int, str], tuple[int, float, AuditVerification]] = {}
_verifying = threading.Lock()


def verify_cached(app: Finsam, org_nr: str) -> AuditVerification:
    """The förbund's verification, reused for the same log end within :data:`VERIFY_CACHE_SECONDS`.

    Verifying reads the förbund's events through its chain (the whole store if it is not migrated
    yet); the public route would otherwise let anyone make the service do that on every call. One
    verification runs at a time; callers arriving meanwhile get its result.
    """
    app.forbund(org_nr)
    with _verifying:
        end = app.recorder.max_notification_id() or 0
        cached = _verified.get((id(app), org_nr))
        if cached is not None and cached[0] == end and time.monotonic() - cached[1] < VERIFY_CACHE_SECONDS:
            return cached[2]
        result = _verify(app, org_nr, end)
        _verified[(id(app), org_nr)] = (end, time.monotonic(), result)
        return result


def _verify(app: Finsam, org_nr: str, log_position: int) -> AuditVerification:
    storage = audit_storage(app.recorder)
    report = verify_forbund(app, org_nr) if chain_is_complete(storage) else verify_store(app)
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


async def public_streams(views: Views) -> PublicStreams:
    """What the public may see of the audit trail now."""
    # The position first: a mark written after it read is of an event past it, withheld anyway.
    marked_until = await views.position()
    return PublicStreams(await withheld_streams(views.pool), marked_until)
