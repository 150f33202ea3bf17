"""The signer: chains the events recorded since the last signed head and signs a new head.

A write records only its events and its actor. The signer then reads every event after the last
signed head and, for each, computes its leaf (:func:`~finsam_core.audit.chain.leaf_hash`) and two
links:

- the **log chain**, ``hash(n) = sha256(hash(n-1) ‖ leaf(n))`` over the whole notification log,
  exactly as before the förbund chains (witnesses and ``--known-head`` hold it);
- the event's **förbund chain**, ``link(n) = sha256(link(p) ‖ leaf(n))`` where ``p`` is the
  previous event of the same chain (a förbund, or :data:`~finsam_core.audit.chain.NETWORK` for
  events that belong to none) and ``link`` before a chain's first event is
  :func:`~finsam_core.audit.chain.chain_genesis`.

The signed head commits to the log chain's hash at its position *and* to the new head of every
förbund chain that changed since the previous head (:data:`~finsam_core.audit.chain.CHAIN_RECORD`
records), so one förbund's events can be checked against signed heads without reading anyone
else's (:mod:`finsam_core.audit.forbund_chain`).

SQLite and the in-memory store run the signer inside each write's transaction (every write is
signed, as before). PostgreSQL runs it after the write has committed, in a transaction of its own
that holds only the signer's advisory lock, so writers never wait for hashing or signing; with
``FINSAM_SIGN_WITHIN_MS`` above 0 a background thread per recorder signs the writes of the last
that many milliseconds together (see :mod:`finsam_core.audit.recording`).

A store whose events have log-chain rows but no förbund links (written before the förbund chains)
is migrated by the first signer run after the upgrade: the links of its old events are computed
from the events themselves and the first new head commits to every chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import StoredEvent

from finsam_core.audit.chain import (
    CHAIN_RECORD,
    GENESIS,
    NETWORK,
    ActorCursor,
    ActorRange,
    ChainRow,
    SignedHead,
    chain_genesis,
    chain_hash,
    chain_of,
    head_message,
    leaf_hash,
    originator_bytes,
)
from finsam_core.audit.keys import key_id
from finsam_core.audit.storage import AuditStorage, Link, RawEvent

__all__ = ["SignerState", "Written", "sign_pending"]

_END: Final = 2**62
_STREAMS_KEPT: Final = 100_000
"""The most stream-to-chain answers a signer keeps between runs (each is about 200 bytes)."""


@dataclass
class SignerState:
    """What one recorder's signer knew after its last run: reused if no one else signed since.

    Then a run that follows the recorder's own write reads neither the events back nor the
    förbund chains' heads: one query for the last head, one for everything it writes.
    """

    signed_upto: int = -1
    log_hash: bytes = GENESIS
    heads: dict[bytes, tuple[int, bytes]] = field(default_factory=dict)
    streams: dict[bytes, bytes] = field(default_factory=dict)

    def remember(self, stream: bytes, chain: bytes) -> None:
        if len(self.streams) >= _STREAMS_KEPT:
            self.streams.clear()
        self.streams[stream] = chain


@dataclass(frozen=True)
class Written:
    """A write the caller just made: its positions, its events, its actor."""

    ids: Sequence[int]
    events: Sequence[StoredEvent]
    actor: ActorRange | None


def _contiguous(writes: Sequence[Written], after: int) -> list[Written] | None:
    """``writes`` in log order if their positions are exactly ``after + 1``, ``after + 2``, ... without a gap."""
    ordered = sorted((w for w in writes if w.ids), key=lambda w: w.ids[0])
    expected = after + 1
    for write in ordered:
        if write.ids[0] != expected or write.ids[-1] != expected + len(write.ids) - 1:
            return None
        expected += len(write.ids)
    return ordered or None


def sign_pending(
    storage: AuditStorage,
    handle: Any,
    key: Ed25519PrivateKey,
    state: SignerState | None = None,
    written: Written | Sequence[Written] | None = None,
    last: tuple[int, bytes] | bool | None = True,
) -> SignedHead | None:
    """Chain and sign every event after the last signed head; None if there is none.

    Runs inside the caller's transaction (``handle``), which must keep other signers out.
    ``state`` (kept by the caller between runs) and ``written`` (the caller's own writes since its
    last run) spare the reads when nothing but those writes is unsigned: then the head is at the
    last of them, and writes of others after them wait for the next run. ``last``, if the caller
    already read it in this transaction (True: read it here), is the last chained position and hash.
    """
    if last is True:
        last = storage.last_head(handle)
    assert last is None or isinstance(last, tuple)
    signed_upto, log_hash = last if last is not None else (0, GENESIS)
    writes = [written] if isinstance(written, Written) else list(written or ())
    own = (
        _contiguous(writes, signed_upto)
        if state is not None and (state.signed_upto, state.log_hash) == (signed_upto, log_hash)
        else None
    )
    events: Sequence[RawEvent]
    if own is not None:
        assert state is not None
        linked_upto = signed_upto
        events = [
            (p, e.originator_id, e.originator_version, e.topic, e.state)
            for w in own
            for p, e in zip(w.ids, w.events, strict=True)
        ]
        actors = [w.actor for w in own if w.actor is not None]
        heads = dict(state.heads)
        known = state.streams
    else:
        linked_upto = storage.links_upto(handle)
        start = min(signed_upto, linked_upto)
        events = storage.events_between(handle, start, _END)
        if not events or events[-1][0] <= signed_upto:
            return None
        actors = storage.actors_between(handle, start, events[-1][0])
        heads = storage.chain_heads(handle)
        known = {}
    later = {originator_bytes(e[1]) for e in events if e[2] != 1 and e[0] > linked_upto}
    missing = sorted(stream for stream in later if stream not in known)
    chain_of_stream = {**{s: known[s] for s in later if s in known}, **storage.stream_chains(handle, missing)}
    actor_of = ActorCursor(actors)
    rows: list[ChainRow] = []
    links: list[Link] = []
    for position, originator_id, version, topic, raw_state in events:
        oid = originator_bytes(originator_id)
        stored = bytes(raw_state)
        made_by = actor_of.at(position)
        leaf = leaf_hash(position, oid, version, topic, stored, made_by.digest if made_by is not None else None)
        if position > linked_upto:
            if version == 1:
                chain = chain_of_stream[oid] = chain_of(oid, stored)
            else:
                chain = chain_of_stream.get(oid, NETWORK.bytes)
            before = heads.get(chain)
            link = chain_hash(before[1] if before is not None else chain_genesis(chain), leaf)
            heads[chain] = (position, link)
            links.append(Link(position, oid, version, chain, link))
        if position > signed_upto:
            log_hash = chain_hash(log_hash, leaf)
            rows.append(ChainRow(position, UUID(bytes=oid), version, log_hash))
    changed = sorted({link.chain for link in links})
    chains = b"".join(CHAIN_RECORD.pack(chain, *heads[chain]) for chain in changed)
    position, signed_at = rows[-1].position, datetime.now(UTC)
    signature = key.sign(head_message(position, log_hash, signed_at, chains))
    head = SignedHead(position, log_hash, signed_at, signature, key_id(key), chains)
    storage.write(handle, rows, head, links)
    if state is not None:
        state.signed_upto, state.log_hash, state.heads = position, log_hash, heads
        for stream, chain in chain_of_stream.items():
            state.remember(stream, chain)
    return head
