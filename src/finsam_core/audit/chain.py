"""The hash chain over the notification log: what one event's hash covers, and a signed head.

Every stored event gets a hash that chains to the hash of the event before it in the
notification log (not only in its own stream)::

    leaf(n) = sha256(position ‖ version ‖ len(topic) ‖ originator id ‖ topic ‖ state)
    hash(n) = sha256(hash(n-1) ‖ leaf(n))

with ``hash(0)`` 32 zero bytes. ``state`` is the stored bytes exactly as they are in the database
(msgspec JSON, or whatever cipher and compressor made of it). The two levels let an
export for one förbund carry only the leaf of another förbund's event and still be checked
against the signed heads. Because each hash covers the one
before it, ``hash(n)`` commits to the whole log up to position ``n``: the order of events, across
and within streams, and every byte of every row.

After each atomic write the application signs the *head* (the position and hash of the write's
last event, and the time) with Ed25519. A signed head is a checkpoint, the same idea as a
Certificate Transparency signed tree head, with a linear chain instead of a Merkle tree: a
verifier always reads the whole log, so it needs no logarithmic proofs.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

__all__ = [
    "GENESIS",
    "ChainRow",
    "SignedHead",
    "chain_hash",
    "event_hash",
    "head_message",
    "leaf_hash",
    "originator_bytes",
]

GENESIS = bytes(32)
"""The hash before the first event."""

_HEADER = struct.Struct(">QQI")
_HEAD_DOMAIN = b"finsam-audit-head-v1\n"


def originator_bytes(originator_id: UUID | str | bytes) -> bytes:
    """The originator id as it enters the hash: a UUID's 16 bytes (SQLite keeps them as hex)."""
    if isinstance(originator_id, UUID):
        return originator_id.bytes
    if isinstance(originator_id, bytes):
        return originator_id
    if len(originator_id) == 32:
        return bytes.fromhex(originator_id)
    return UUID(originator_id).bytes


def leaf_hash(position: int, originator: bytes, version: int, topic: str, state: bytes) -> bytes:
    """The hash of one stored row (``originator`` as :func:`originator_bytes`)."""
    topic_bytes = topic.encode()
    digest = hashlib.sha256(_HEADER.pack(position, version, len(topic_bytes)))
    digest.update(originator)
    digest.update(topic_bytes)
    digest.update(state)
    return digest.digest()


def chain_hash(prev: bytes, leaf: bytes) -> bytes:
    """The chain hash after an event whose leaf is ``leaf``."""
    return hashlib.sha256(prev + leaf).digest()


def event_hash(prev: bytes, position: int, originator: bytes, version: int, topic: str, state: bytes) -> bytes:
    """The chain hash of one stored event, given the chain hash before it."""
    return chain_hash(prev, leaf_hash(position, originator, version, topic, state))


def head_message(position: int, log_hash: bytes, signed_at: datetime) -> bytes:
    """The bytes a checkpoint signature covers."""
    return _HEAD_DOMAIN + struct.pack(">Q", position) + log_hash + signed_at.isoformat().encode()


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

    def message(self) -> bytes:
        return head_message(self.position, self.log_hash, self.signed_at)
