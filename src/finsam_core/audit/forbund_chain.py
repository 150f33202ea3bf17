"""One förbund read and verified through its own chain: time proportional to its events, not the store's.

:func:`chain_forbund_events` reads a förbund's events through the links index (``<events>_audit_links``,
indexed by chain) and :func:`verify_forbund` recomputes the förbund's chain from those events and
holds it against every signed head that commits to the chain (each head's ``chains``, which its
signature covers; :mod:`finsam_core.audit.signer`). Neither reads another förbund's rows.

What this checks, for the förbund: every event's content and actor, their order, that none is
missing or moved between the heads, that each stream really is the förbund's (its first event
names it), and the last head's signature (every head's with ``all_signatures``). What it cannot
see is a row added to the store *without* a link (it is not in the index); the whole-store
verification (:func:`~finsam_core.audit.verify.verify_store`) recomputes every chain from every
event and finds those too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder

from finsam_core.audit.chain import CHAIN_RECORD, SignedHead, chain_genesis, chain_of, leaf_hash, originator_bytes
from finsam_core.audit.dates import domain_date, recorded_at, stream_date
from finsam_core.audit.problems import Problem, VerificationReport
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.storage import AuditStorage
from finsam_core.audit.verify import check_head_signatures
from finsam_core.domain.forbund import forbund_id
from finsam_core.values import validate_org_nr

__all__ = ["chain_forbund_events", "chain_is_complete", "verify_forbund"]


def _storage(source: Application[Any] | ApplicationRecorder) -> tuple[AuditStorage, ApplicationRecorder]:
    recorder = source.recorder if isinstance(source, Application) else source
    return audit_storage(recorder), recorder


def chain_is_complete(storage: AuditStorage) -> bool:
    """Whether the förbund chains cover the store (its latest head commits to them: migrated and signed)."""
    last = storage.latest_head()
    return last is not None and last.chains is not None


def _committed(head: SignedHead, chain: bytes) -> tuple[int, bytes] | None:
    if head.chains is None or len(head.chains) % CHAIN_RECORD.size:
        return None
    for found, position, link in CHAIN_RECORD.iter_unpack(head.chains):
        if found == chain:
            return position, link
    return None


def verify_forbund(
    source: Application[Any] | ApplicationRecorder,
    org_nr: str,
    public_key: Ed25519PublicKey | None = None,
    *,
    all_signatures: bool = False,
) -> VerificationReport:
    """Verify one förbund's chain against the signed heads that commit to it (see the module).

    The chain is held against the last head that commits to it (every one with
    ``all_signatures``): through the chain that head covers every event before it. Only when it
    does not hold are all the heads read, to say where the chain first goes wrong.
    """
    storage, recorder = _storage(source)
    if public_key is None:
        own = getattr(recorder, "audit_key", None)
        public_key = own.public_key() if own is not None else None
    chain = forbund_id(validate_org_nr(org_nr)).bytes
    report = _check(storage, chain, public_key, all_signatures, latest_only=not all_signatures)
    if not report.ok and not all_signatures:
        located = _check(storage, chain, public_key, False, latest_only=False)
        if not located.ok:
            return located
    return report


def _check(
    storage: AuditStorage,
    chain: bytes,
    public_key: Ed25519PublicKey | None,
    all_signatures: bool,
    *,
    latest_only: bool,
) -> VerificationReport:
    heads = [(head, _committed(head, chain)) for head in storage.chain_signed_heads(chain, latest_only=latest_only)]
    expected: list[tuple[SignedHead, tuple[int, bytes]]] = [(h, e) for h, e in heads if e is not None]
    report = VerificationReport(heads=len(expected), last_head=expected[-1][0] if expected else None)
    link = chain_genesis(chain)
    members: set[bytes] = set()
    index = 0
    problem: Problem | None = None
    sha256 = hashlib.sha256
    for item in storage.chain_events(chain):
        position, originator_id, version, topic, state = item.event
        oid = originator_bytes(originator_id)
        stream = UUID(bytes=oid)
        if version == 1:
            if chain_of(oid, bytes(state)) != chain:
                problem = Problem("strömmen hör inte till förbundet men ligger i dess kedja", position, stream, version)
                break
            members.add(oid)
        elif oid not in members:
            problem = Problem(
                "händelsen ligger i förbundets kedja men dess ström gör det inte", position, stream, version
            )
            break
        if index < len(expected) and expected[index][1][0] < position:
            problem = Problem("händelsen saknas i lagret (raderad)", expected[index][1][0])
            break
        digest = item.actor.digest if item.actor is not None else None
        leaf = leaf_hash(position, oid, version, topic, bytes(state), digest)
        link = sha256(link + leaf).digest()
        if link != item.link:
            problem = Problem(
                "händelsens innehåll (typ, data eller vem som registrerade den) har ändrats: hashvärdet stämmer inte",
                position,
                stream,
                version,
            )
            break
        report.events += 1
        if index < len(expected) and expected[index][1][0] == position:
            if expected[index][1][1] != link:
                problem = Problem(
                    "förbundets kedja stämmer inte med kontrollpunkten: kedjetabellen har ändrats", position
                )
                break
            index += 1
    else:
        if index < len(expected):
            problem = Problem("händelsen saknas i lagret (raderad)", expected[index][1][0])
    report.streams = len(members)
    if problem is not None:
        report.problems.append(problem)
        return report
    check_head_signatures(report, [head for head, _ in expected], public_key, all_signatures)
    return report


def chain_forbund_events(storage: AuditStorage, org_nr: str) -> Iterator[Any]:
    """The förbund's events as :class:`~finsam_core.audit.export.ForbundEvent` (``hash`` its chain link),
    read through the links index only."""
    from finsam_core.audit.export import ForbundEvent, _payload

    chain = forbund_id(validate_org_nr(org_nr)).bytes
    first_dates: dict[bytes, Any] = {}
    for item in storage.chain_events(chain):
        position, originator_id, version, topic, state = item.event
        oid = originator_bytes(originator_id)
        stored = bytes(state)
        payload = _payload(stored) or {}
        if version == 1:
            first_dates[oid] = stream_date(payload)
        on = domain_date(topic, payload, first_dates.get(oid))
        at = recorded_at(payload)
        digest = item.actor.digest if item.actor is not None else None
        yield ForbundEvent(
            position,
            UUID(bytes=oid),
            version,
            topic,
            stored,
            payload,
            on.isoformat() if on else None,
            at.isoformat() if at else None,
            leaf_hash(position, oid, version, topic, stored, digest),
            item.link,
            item.actor.actor if item.actor is not None else None,
        )
