"""What a store publishes for witnesses: its signed heads, and the leaves between them (hashes only).

A witness (:mod:`finsam_core.audit.witness`) keeps the last head it saw and checks that every new
head extends it, by re-hashing: ``hash(n) = sha256(hash(n-1) ‖ leaf(n))`` from its own last hash
through the leaves the store publishes must give the new signed head. Leaves are recomputed here
from the stored events (and their writes' actors) on every request, never read from the chain
table, so they describe the events as they are now: a store cut back or rewritten cannot publish
leaves that lead from a witnessed head to its new one. A leaf is a SHA-256 over an event: it
reveals nothing of the payload, so drafts stay private.

The same functions serve ``GET /v1/audit/heads`` and ``GET /v1/audit/leaves`` and a witness that
reads a store directly (``finsam witness sqlite:///...``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder

from finsam_core.audit.chain import ActorCursor, SignedHead, leaf_hash, originator_bytes
from finsam_core.audit.keys import key_id, public_key_hex
from finsam_core.audit.recording import audit_storage

__all__ = ["MAX_HEADS", "MAX_LEAVES", "HeadsPage", "LeavesPage", "published_heads", "published_leaves"]

MAX_HEADS = 10_000
"""The most heads one page holds."""
MAX_LEAVES = 100_000
"""The most leaves one page holds."""

RECORD = struct.Struct(">Q32s")
"""One published leaf: the position (8 bytes, big-endian) and the leaf (32 bytes)."""

_UNREADABLE = bytes(32)
"""The leaf published for a row that cannot be hashed (changed behind the application's back)."""


@dataclass(frozen=True)
class HeadsPage:
    """The store's signing key, its latest head, and the heads after ``since`` (at most a page)."""

    public_key: str | None
    key_id: str | None
    latest: SignedHead | None
    heads: list[SignedHead]
    next_since: int | None


@dataclass(frozen=True)
class LeavesPage:
    """Leaves at positions after ``after`` up to ``upto``, as :data:`RECORD` records, concatenated."""

    after: int
    upto: int
    records: bytes
    next_after: int | None

    def leaves(self) -> list[tuple[int, bytes]]:
        return list(RECORD.iter_unpack(self.records))


def _recorder(source: Application[Any] | ApplicationRecorder) -> ApplicationRecorder:
    return source.recorder if isinstance(source, Application) else source


def published_heads(source: Application[Any] | ApplicationRecorder, since: int, limit: int = MAX_HEADS) -> HeadsPage:
    """The heads after position ``since`` (``limit`` at most), the latest head and the public key."""
    recorder = _recorder(source)
    storage = audit_storage(recorder)
    limit = max(1, min(limit, MAX_HEADS))
    latest = storage.latest_head()
    later = storage.heads_after(since, limit + 1)
    key = getattr(recorder, "audit_key", None)
    page = later[:limit]
    return HeadsPage(
        public_key=public_key_hex(key) if key is not None else None,
        key_id=key_id(key) if key is not None else None,
        latest=latest,
        heads=page,
        next_since=page[-1].position if len(later) > limit else None,
    )


def published_leaves(
    source: Application[Any] | ApplicationRecorder, after: int, upto: int, limit: int = MAX_LEAVES
) -> LeavesPage:
    """The leaves of the stored events at ``after < position <= upto`` (``limit`` at most)."""
    storage = audit_storage(_recorder(source))
    limit = max(1, min(limit, MAX_LEAVES))
    actor_of = ActorCursor([a for a in storage.actors() if a.last > after])
    out = bytearray()
    pack = RECORD.pack
    count, last = 0, after
    for position, originator_id, version, topic, state in storage.iter_events(after, upto):
        if count == limit:
            return LeavesPage(after, upto, bytes(out), last)
        made_by = actor_of.at(position)
        try:
            if not isinstance(state, bytes | memoryview):
                raise TypeError(type(state).__name__)
            oid = originator_bytes(originator_id)
            leaf = leaf_hash(position, oid, version, topic, bytes(state), made_by.digest if made_by else None)
        except (TypeError, ValueError, AttributeError, struct.error):
            leaf = _UNREADABLE
        out += pack(position, leaf)
        count, last = count + 1, position
    return LeavesPage(after, upto, bytes(out), None)
