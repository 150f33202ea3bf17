"""The hash chain over the notification log: what one event's hash covers, and a signed head.

Every stored event gets a hash that chains to the hash of the event before it in the
notification log (not only in its own stream)::

    leaf(n) = sha256(position ‖ version ‖ len(topic) ‖ originator id ‖ topic ‖ state)
    leaf(n) = sha256("finsam-audit-actor-v1\n" ‖ position ‖ version ‖ len(topic) ‖ len(state)
                     ‖ originator id ‖ topic ‖ state ‖ sha256(actor))     when the write has an actor
    hash(n) = sha256(hash(n-1) ‖ leaf(n))

with ``hash(0)`` 32 zero bytes. ``state`` is the stored bytes exactly as they are in the database
(msgspec JSON, or whatever cipher and compressor made of it). The two levels let an
export for one förbund carry only the leaf of another förbund's event and still be checked
against the signed heads. Because each hash covers the one
before it, ``hash(n)`` commits to the whole log up to position ``n``: the order of events, across
and within streams, and every byte of every row.

``actor`` is the bytes of the write's :class:`~finsam_core.audit.actor.Actor`, stored once per write
(:class:`ActorRange`); events recorded before actors existed keep the first form, so old stores
verify unchanged. The second form starts with its own tag (no position comes near those 8 bytes)
and states the length of ``state``, so no row can be read in the other form by moving bytes
between the payload and the actor; it costs one SHA-256 per event, as the first.

After each atomic write the application signs the *head* (the position and hash of the write's
last event, and the time) with Ed25519. A signed head is a checkpoint, the same idea as a
Certificate Transparency signed tree head, with a linear chain instead of a Merkle tree: a
verifier always reads the whole log, so it needs no logarithmic proofs.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from uuid import NAMESPACE_URL, UUID, uuid5

import msgspec

__all__ = [
    "ACTOR_DOMAIN",
    "ACTOR_HEADER",
    "CHAIN_RECORD",
    "GENESIS",
    "NETWORK",
    "ActorCursor",
    "ActorRange",
    "ChainRow",
    "SignedHead",
    "chain_genesis",
    "chain_hash",
    "chain_of",
    "event_hash",
    "head_message",
    "leaf_hash",
    "originator_bytes",
]

GENESIS = bytes(32)
"""The hash before the first event."""

_HEADER = struct.Struct(">QQI")
_HEAD_DOMAIN = b"finsam-audit-head-v1\n"
_HEAD_V2_DOMAIN = b"finsam-audit-head-v2\n"
_CHAIN_DOMAIN = b"finsam-audit-chain-v1\n"
_FINSAM_NAMESPACE = uuid5(NAMESPACE_URL, "https://finsam.se/ns")  # as finsam_core.domain.forbund
NETWORK = UUID(int=0)
"""The chain of the events that belong to no förbund (the network's own)."""
CHAIN_RECORD = struct.Struct(">16sQ32s")
"""One förbund chain's head inside a signed head: the chain (16 bytes), its last position, its hash."""
ACTOR_DOMAIN = b"finsam-audit-actor-v1\n"
ACTOR_HEADER = struct.Struct(">QQIQ")


def originator_bytes(originator_id: UUID | str | bytes) -> bytes:
    """The originator id as it enters the hash: a UUID's 16 bytes (SQLite keeps them as hex)."""
    if isinstance(originator_id, UUID):
        return originator_id.bytes
    if isinstance(originator_id, bytes):
        return originator_id
    if len(originator_id) == 32:
        return bytes.fromhex(originator_id)
    return UUID(originator_id).bytes


def leaf_hash(
    position: int, originator: bytes, version: int, topic: str, state: bytes, actor_digest: bytes | None = None
) -> bytes:
    """The hash of one stored row (``originator`` as :func:`originator_bytes`; ``actor_digest`` the
    SHA-256 of its write's actor, None for a write without one)."""
    topic_bytes = topic.encode()
    if actor_digest is None:
        digest = hashlib.sha256(_HEADER.pack(position, version, len(topic_bytes)))
    else:
        digest = hashlib.sha256(ACTOR_DOMAIN + ACTOR_HEADER.pack(position, version, len(topic_bytes), len(state)))
    digest.update(originator)
    digest.update(topic_bytes)
    digest.update(state)
    if actor_digest is not None:
        digest.update(actor_digest)
    return digest.digest()


def chain_hash(prev: bytes, leaf: bytes) -> bytes:
    """The chain hash after an event whose leaf is ``leaf``."""
    return hashlib.sha256(prev + leaf).digest()


def event_hash(
    prev: bytes,
    position: int,
    originator: bytes,
    version: int,
    topic: str,
    state: bytes,
    actor_digest: bytes | None = None,
) -> bytes:
    """The chain hash of one stored event, given the chain hash before it (and its write's actor)."""
    return chain_hash(prev, leaf_hash(position, originator, version, topic, state, actor_digest))


def head_message(position: int, log_hash: bytes, signed_at: datetime, chains: bytes | None = None) -> bytes:
    """The bytes a checkpoint signature covers (``chains``: the förbund chains' heads it commits to).

    Heads signed before the förbund chains existed (``chains`` None) keep the first form.
    """
    if chains is None:
        return _HEAD_DOMAIN + struct.pack(">Q", position) + log_hash + signed_at.isoformat().encode()
    digest = hashlib.sha256(chains).digest()
    return _HEAD_V2_DOMAIN + struct.pack(">Q", position) + log_hash + digest + signed_at.isoformat().encode()


@cache
def chain_genesis(chain: bytes) -> bytes:
    """The hash before the first event of the chain ``chain`` (a förbund's id, 16 bytes)."""
    return hashlib.sha256(_CHAIN_DOMAIN + chain).digest()


def chain_of(stream: bytes, state: bytes) -> bytes:
    """The chain (16 bytes) of a stream, from its stream id and the stored bytes of its first event.

    The förbund the first event names (``forbund_id``, ``association_id`` in version 1, or its
    ``org_nr``), as :func:`finsam_core.audit.export.belongs_to` reads it; else :data:`NETWORK`.
    """
    try:
        payload = msgspec.json.decode(state)
    except msgspec.DecodeError:
        return NETWORK.bytes
    if not isinstance(payload, dict):
        return NETWORK.bytes
    named = payload.get("forbund_id", payload.get("association_id"))
    if isinstance(named, str):
        try:
            return UUID(named).bytes
        except ValueError:
            return NETWORK.bytes
    org_nr = payload.get("org_nr")
    if isinstance(org_nr, str):
        return uuid5(_FINSAM_NAMESPACE, f"association:{org_nr}").bytes
    return NETWORK.bytes


@dataclass(frozen=True, slots=True)
class ChainRow:
    """What the application recorded for one event: where it was and its chain hash."""

    position: int
    originator_id: UUID
    version: int
    hash: bytes


@dataclass(frozen=True, slots=True)
class SignedHead:
    """A checkpoint: the chain hash at ``position``, signed at ``signed_at`` by key ``key_id``."""

    position: int
    log_hash: bytes
    signed_at: datetime
    signature: bytes
    key_id: str
    chains: bytes | None = None
    """The förbund chains that changed since the previous head (:data:`CHAIN_RECORD` records, in
    chain order); None for a head signed before the förbund chains existed."""

    def message(self) -> bytes:
        return head_message(self.position, self.log_hash, self.signed_at, self.chains)


@dataclass(frozen=True, slots=True)
class ActorRange:
    """The actor of one write: its events are at positions ``first`` to ``last``."""

    first: int
    last: int
    actor: bytes

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.actor).digest()


class ActorCursor:
    """Which write's actor covers each position, for positions read in increasing order.

    The one rule every reader uses (the verifier inlines the same steps): skip ranges that end
    before the position; the next range covers it if it starts at or before it.
    """

    def __init__(self, ranges: Sequence[ActorRange]) -> None:
        self.ranges = ranges
        self.index = 0

    def at(self, position: int) -> ActorRange | None:
        ranges, index = self.ranges, self.index
        while index < len(ranges) and ranges[index].last < position:
            index += 1
        self.index = index
        if index < len(ranges) and ranges[index].first <= position:
            return ranges[index]
        return None

    @staticmethod
    def first_disorder(ranges: Sequence[ActorRange]) -> int | None:
        """The first position of a range that overlaps or precedes the one before it (edited by hand)."""
        end = 0
        for found in ranges:
            if found.first > found.last or found.first <= end:
                return found.first
            end = found.last
        return None
