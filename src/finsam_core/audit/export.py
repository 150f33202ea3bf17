"""The auditor's copy: one förbund's events with their hashes and the checkpoints, as JSON lines.

Two formats, both checked by :func:`verify_export` with no database (docs/audit.md):

``finsam-audit-export/2`` (:data:`FORMAT_CHAIN`, the default once the store's heads commit to the
förbund chains), read through the förbund's own chain in time proportional to its events::

    header      format, förbund, forbund id (the chain), export time, the signer's public key
    event       position, stream, version, topic, domain_date, recorded_at, payload (parsed),
                state (the stored bytes as text, exactly), actor (parsed) and actor_state (the
                write's stored actor as text, exactly; both null before actors existed), leaf, link
    checkpoint  position, hash, signed_at, signature, key_id, chains: after the last event a
                head commits to (its ``chains`` name the förbund's chain at that event and link)

``finsam-audit-export/1`` (:data:`FORMAT`, ``whole_log=True``), the walk over the whole log: events
as above with ``hash`` (the log chain's) instead of ``link``, and ``leaf`` lines (position, leaf)
for another förbund's event in the same write. Every write (signed head) that holds one of the
förbund's events is exported whole, preceded by the checkpoint it follows.

Both end with the store's latest checkpoint (the log's size when the copy was made, which a
later verification of the store can be held against with ``known_heads``), then a ``seal``: the
SHA-256 of every line before it, signed with the same key, so that no line can be dropped, added or
edited unnoticed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import IO, Any
from uuid import UUID

from eventsourcing.application import Application

from finsam_core.audit.chain import (
    GENESIS,
    ActorCursor,
    SignedHead,
    chain_genesis,
    chain_hash,
    leaf_hash,
    originator_bytes,
)
from finsam_core.audit.dates import domain_date, recorded_at, stream_date
from finsam_core.audit.export_check import FORMAT, FORMAT_CHAIN, SEAL_DOMAIN, verify_export
from finsam_core.audit.forbund_chain import (
    chain_forbund_events,
    chain_is_complete,
    committed_link,
    sign_pending,
    verify_forbund,
)
from finsam_core.audit.forbund_event import ForbundEvent, decode_payload
from finsam_core.audit.keys import key_id, public_key_hex
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.storage import AuditStorage, heads_naming_chain
from finsam_core.audit.verify import verify_store
from finsam_core.domain.forbund import forbund_id
from finsam_core.errors import FinsamError
from finsam_core.values import validate_org_nr

__all__ = [
    "FORMAT",
    "FORMAT_CHAIN",
    "AuditFailure",
    "ForbundEvent",
    "belongs_to",
    "export_audit",
    "forbund_events",
    "verify_export",
]


class AuditFailure(FinsamError):
    """The store does not verify, so no copy is made of it."""


def belongs_to(stream: UUID, first_payload: dict[str, Any] | None, forbund: UUID, org_nr: str) -> bool:
    """Whether a stream is the förbund's: the förbund itself, or its first event names it."""
    if stream == forbund:
        return True
    if not first_payload:
        return False
    named = first_payload.get("forbund_id", first_payload.get("association_id"))  # version 1 said association
    return named == str(forbund) or first_payload.get("org_nr") == org_nr


def forbund_events(storage: AuditStorage, org_nr: str) -> Iterator[ForbundEvent | tuple[int, bytes, bytes]]:
    """Walk the log: the förbund's events in full, every other event as (position, leaf, hash)."""
    forbund = forbund_id(validate_org_nr(org_nr))
    members: dict[UUID, Any] = {}
    prev = GENESIS
    link = chain_genesis(forbund.bytes)
    actor_of = ActorCursor(storage.actors())
    for position, originator_id, version, topic, state in storage.iter_events():
        oid = originator_bytes(originator_id)
        made_by = actor_of.at(position)
        leaf = leaf_hash(position, oid, version, topic, bytes(state), made_by.digest if made_by else None)
        prev = chain_hash(prev, leaf)
        stream = UUID(bytes=oid)
        payload = None
        if version == 1:
            payload = decode_payload(bytes(state))
            if belongs_to(stream, payload, forbund, org_nr):
                members[stream] = stream_date(payload or {})
        if stream not in members:
            yield (position, leaf, prev)
            continue
        payload = payload if payload is not None else (decode_payload(bytes(state)) or {})
        link = chain_hash(link, leaf)
        on = domain_date(topic, payload, members[stream])
        at = recorded_at(payload)
        yield ForbundEvent(
            position,
            stream,
            version,
            topic,
            bytes(state),
            payload,
            on.isoformat() if on else None,
            at.isoformat() if at else None,
            leaf,
            prev,
            made_by.actor if made_by is not None else None,
            link,
        )


def _checkpoint(head: SignedHead) -> dict[str, Any]:
    return {
        "kind": "checkpoint",
        "position": head.position,
        "hash": head.log_hash.hex(),
        "signed_at": head.signed_at.isoformat(),
        "signature": head.signature.hex(),
        "key_id": head.key_id,
        "chains": None if head.chains is None else head.chains.hex(),
    }


def _line(item: ForbundEvent | tuple[int, bytes, bytes], form: str = FORMAT) -> dict[str, Any]:
    if isinstance(item, tuple):
        return {"kind": "leaf", "position": item[0], "leaf": item[1].hex()}
    line = {
        "kind": "event",
        "position": item.position,
        "stream": str(item.stream),
        "version": item.version,
        "topic": item.topic,
        "domain_date": item.domain_date,
        "recorded_at": item.recorded_at,
        "payload": item.payload,
        "state": item.state.decode("utf-8"),
        "actor": None if item.actor_state is None else json.loads(item.actor_state),
        "actor_state": None if item.actor_state is None else item.actor_state.decode("utf-8"),
        "leaf": item.leaf.hex(),
    }
    if form == FORMAT_CHAIN:  # the förbund chain's link, held against the checkpoints' chains
        line["link"] = (item.link or b"").hex()
    else:  # the log chain's hash
        line["hash"] = item.hash.hex()
    return line


def export_audit(app: Application[Any], org_nr: str, out: IO[str], *, whole_log: bool = False) -> int:
    """Write the förbund's audit export to ``out``; returns the number of its events.

    Through the förbund's own chain (:data:`FORMAT_CHAIN`, time proportional to its events) once
    the store's latest head commits to the förbund chains; with ``whole_log``, or in a store not
    yet migrated, the walk over the whole log (:data:`FORMAT`, every other event as its leaf).
    Verifies first (the förbund, or the whole store for the walk) and raises
    :class:`AuditFailure` if that does not verify.
    """
    sign_pending(app.recorder)
    storage = audit_storage(app.recorder)
    key = getattr(app.recorder, "audit_key", None)
    through_chain = not whole_log and chain_is_complete(storage)
    header = {
        "kind": "header",
        "format": FORMAT_CHAIN if through_chain else FORMAT,
        "forbund": validate_org_nr(org_nr),
        "forbund_id": str(forbund_id(validate_org_nr(org_nr))),
        "exported_at": datetime.now(UTC).isoformat(),
        "public_key": public_key_hex(key) if key is not None else None,
    }
    seal = hashlib.sha256()
    lines_written = 0

    def write(obj: dict[str, Any]) -> None:
        nonlocal lines_written
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
        seal.update(text.encode("utf-8"))
        lines_written += 1
        out.write(text)

    if through_chain:
        count = _export_chain(app, storage, org_nr, header, write)
    else:
        count = _export_whole_log(app, storage, org_nr, header, write)
    if key is not None:
        digest = seal.digest()
        seal_line = {
            "kind": "seal",
            "lines": lines_written,
            "sha256": digest.hex(),
            "signature": key.sign(SEAL_DOMAIN + digest).hex(),
            "key_id": key_id(key),
        }
        out.write(json.dumps(seal_line, separators=(",", ":")) + "\n")
    return count


def _export_chain(
    app: Application[Any],
    storage: AuditStorage,
    org_nr: str,
    header: dict[str, Any],
    write: Callable[[dict[str, Any]], None],
) -> int:
    """The förbund's events through its chain, each group followed by the head that commits to it.

    The store's latest head is read first and bounds the copy: every event up to it has its
    links and its head (the signer writes both in one statement), and later writes are left out.
    """
    latest = storage.latest_head()
    report = verify_forbund(app, org_nr, minutes=False)
    if not report.ok:
        raise AuditFailure(f"Förbundet klarar inte kontrollen, ingen export görs: {report.problems[0]}")
    bound = latest.position if latest is not None else 0
    events = [item for item in chain_forbund_events(storage, org_nr) if item.position <= bound]
    chain = forbund_id(validate_org_nr(org_nr)).bytes
    candidates = storage.chain_signed_heads(chain)
    if events:
        candidates += heads_naming_chain(storage, chain, events[-1].position)
    commits: dict[int, SignedHead] = {}
    for head in sorted(candidates, key=lambda h: h.position):
        committed = committed_link(head, chain)
        if committed is not None and head.position <= bound:
            commits.setdefault(committed[0], head)
    write(header)
    written: set[int] = set()
    for item in events:
        write(_line(item, FORMAT_CHAIN))
        commit = commits.get(item.position)
        if commit is not None and commit.position not in written:
            write(_checkpoint(commit))
            written.add(commit.position)
    if latest is not None and latest.position not in written:
        write(_checkpoint(latest))
    return len(events)


def _export_whole_log(
    app: Application[Any],
    storage: AuditStorage,
    org_nr: str,
    header: dict[str, Any],
    write: Callable[[dict[str, Any]], None],
) -> int:
    """The walk over the whole log (format 1): every write holding one of the förbund's events, whole."""
    report = verify_store(app, minutes=False)
    if not report.ok:
        raise AuditFailure(f"Lagret klarar inte kontrollen, ingen export görs: {report.problems[0]}")
    heads = storage.heads()
    write(header)
    count, index, pending, has_member = 0, 0, [], False
    previous: SignedHead | None = None
    written: set[int] = set()
    for item in forbund_events(storage, org_nr):
        pending.append(item)
        if isinstance(item, ForbundEvent):
            has_member = True
            count += 1
        position = item.position if isinstance(item, ForbundEvent) else item[0]
        if index < len(heads) and position == heads[index].position:
            head = heads[index]
            if has_member:
                if previous is not None and previous.position not in written:
                    write(_checkpoint(previous))
                for pending_item in pending:
                    write(_line(pending_item))
                write(_checkpoint(head))
                written.add(head.position)
            pending, has_member, previous = [], False, head
            index += 1
    if heads and heads[-1].position not in written:
        write(_checkpoint(heads[-1]))
    return count
