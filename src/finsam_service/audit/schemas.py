"""Response bodies of the audit trail: a förbund's events with their hashes, and a verification."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from finsam_core.audit.actor import Actor

__all__ = ["AuditEvent", "AuditEvents", "AuditRecount", "AuditVerification", "CountedOutcome"]


class AuditEvent(msgspec.Struct, frozen=True):
    position: int
    stream: UUID
    version: int
    topic: str
    domain_date: date | None
    recorded_at: datetime | None
    payload: dict[str, Any]
    actor: Actor
    """Who recorded the event and through which channel (channel "okänd" before actors were kept)."""
    leaf: str
    """SHA-256 of the event (position, stream, version, topic, stored bytes, and its write's actor), hex."""
    hash: str
    """The förbund chain's link after this event, hex: it covers every event of the förbund before it
    (``sha256(previous link ‖ leaf)``), and the signed heads commit to it (docs/audit.md)."""


class AuditEvents(msgspec.Struct, frozen=True):
    org_nr: str
    events: list[AuditEvent]
    withheld: int
    """Events left out for callers who may not read drafts: those that derive from minutes not yet
    adjusted (and the rest of their stream after them), and those the views have not reached yet."""
    next_after: int | None
    """Pass as ``after`` for the next page; None on the last page."""


class AuditVerification(msgspec.Struct, frozen=True):
    """A verification of the förbund: its chain of events, the signed heads that commit to it (the last
    one's signature) and its minutes signatures; of the whole store if it has no förbund chains yet."""

    ok: bool
    summary: str
    events: int
    streams: int
    heads: int
    last_head_position: int | None
    last_head_hash: str | None
    last_head_signed_at: datetime | None
    signatures_checked: int
    minutes_signatures_checked: int
    problems: list[str]
    verified_at: datetime | None = None
    """When this verification ran: the answer is reused while the log does not grow, for at most five minutes."""
    log_position: int = 0
    """The end of the log that was verified."""


class CountedOutcome(msgspec.Struct, frozen=True):
    rule: str
    outcome: str
    """bifall, avslag or lottning."""
    explanation: str


class AuditRecount(msgspec.Struct, frozen=True):
    """A recorded vote and the same ballots counted under another rule; nothing is recorded."""

    org_nr: str
    meeting: str
    paragraph: int
    proposal: str
    yes: int
    no: int
    abstain: int
    voters: int
    recorded: CountedOutcome
    recounted: CountedOutcome
    differs: bool
