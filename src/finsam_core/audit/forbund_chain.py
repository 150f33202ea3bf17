"""One förbund read and verified through its own chain: time proportional to its events, not the store's.

:func:`chain_forbund_events` reads a förbund's events through the links index (``<events>_audit_links``,
indexed by chain) and :func:`verify_forbund` recomputes the förbund's chain from those events and
holds it against every signed head that commits to the chain (each head's ``chains``, which its
signature covers; :mod:`finsam_core.audit.signer`). Neither reads another förbund's rows.

What this checks, for the förbund: every event's content and actor, their order, that none is
missing or moved between the heads, that each stream really is the förbund's (its first event
names it), that no head newer than the chain's last link still names the chain beyond it (its
newest events cut away with their links: :func:`~finsam_core.audit.storage.heads_naming_chain`),
the last head's signature (every head's with ``all_signatures``) and the förbund's minutes
signatures. What it cannot see is a row added to the store *without* a link (it is not in the
index), or newest events cut together with every head that names them; the whole-store
verification (:func:`~finsam_core.audit.verify.verify_store`) recomputes every chain from every
event and finds those too (docs/audit.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from finsam_core.audit.chain import (
    _HEADER,
    ACTOR_DOMAIN,
    ACTOR_HEADER,
    CHAIN_RECORD,
    SignedHead,
    chain_genesis,
    chain_of,
    leaf_hash,
    originator_bytes,
)
from finsam_core.audit.dates import domain_date, recorded_at, stream_date
from finsam_core.audit.forbund_event import ForbundEvent, decode_payload
from finsam_core.audit.minutes_signatures import check_minutes_signatures, is_signable_topic
from finsam_core.audit.problems import Problem, VerificationReport
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.storage import AuditStorage, heads_naming_chain
from finsam_core.audit.verify import check_head_signatures
from finsam_core.domain.forbund import forbund_id
from finsam_core.values import validate_org_nr

__all__ = ["chain_forbund_events", "chain_is_complete", "committed_link", "sign_pending", "verify_forbund"]


def _storage(source: Application[Any] | ApplicationRecorder) -> tuple[AuditStorage, ApplicationRecorder]:
    recorder = source.recorder if isinstance(source, Application) else source
    sign_pending(recorder)
    return audit_storage(recorder), recorder


def sign_pending(recorder: ApplicationRecorder) -> None:
    """Sign what this application wrote and has not signed yet (PostgreSQL may sign in batches):
    an event gets its link only when it is signed, and is read through its chain from then on."""
    sign_now = getattr(recorder, "sign_now", None)
    if sign_now is not None:
        sign_now()


def chain_is_complete(storage: AuditStorage) -> bool:
    """Whether the förbund chains cover the store (its latest head commits to them: migrated and signed)."""
    last = storage.latest_head()
    return last is not None and last.chains is not None


def committed_link(head: SignedHead, chain: bytes) -> tuple[int, bytes] | None:
    """The (position, link) of ``chain`` that ``head`` commits to; None if it does not name the chain."""
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
    minutes: bool = True,
) -> VerificationReport:
    """Verify one förbund's chain against the signed heads that commit to it (see the module).

    The chain is held against the last head that commits to it (every one with
    ``all_signatures``): through the chain that head covers every event before it. Only when it
    does not hold are all the heads read, to say where the chain first goes wrong. ``minutes``
    also checks the förbund's minutes signatures (needs an application), from the rows read in the
    same pass.
    """
    storage, recorder = _storage(source)
    if public_key is None:
        own = getattr(recorder, "audit_key", None)
        public_key = own.public_key() if own is not None else None
    chain = forbund_id(validate_org_nr(org_nr)).bytes
    signable: dict[bytes, list[tuple[int, str, bytes]]] | None = (
        {} if minutes and isinstance(source, Application) else None
    )
    report = _check(storage, chain, public_key, all_signatures, latest_only=not all_signatures, signable=signable)
    if not report.ok and not all_signatures:
        located = _check(storage, chain, public_key, False, latest_only=False)
        if not located.ok:
            return located
    if report.ok and signable is not None and isinstance(source, Application):
        mapper = source.mapper
        streams = (
            (
                UUID(bytes=oid),
                (mapper.to_domain_event(StoredEvent(UUID(bytes=oid), v, t, st)) for v, t, st in rows),
            )
            for oid, rows in signable.items()
        )
        checked, problems = check_minutes_signatures(streams)
        report.minutes_signatures_checked = checked
        report.problems.extend(problems)
    return report


def _missing_tail(
    storage: AuditStorage, chain: bytes, last: tuple[int, bytes]
) -> tuple[list[SignedHead], Problem | None]:
    """The heads at or after the chain's last event that name the chain, and the problem if one
    commits to more than the chain holds (its newest events cut away together with their links)."""
    position, link = last
    naming = [(head, committed_link(head, chain)) for head in heads_naming_chain(storage, chain, position)]
    found = [(head, committed) for head, committed in naming if committed is not None]
    for head, committed in found:
        if committed != (position, link):
            where = committed[0] if committed[0] > position else head.position
            return [], Problem(
                f"kontrollpunkten vid position {head.position} binder förbundets kedja till position "
                f"{committed[0]}, men kedjan slutar vid position {position}: förbundets senaste händelser "
                "har tagits bort tillsammans med sina länkar",
                where,
            )
    return [head for head, _ in found], None


def _check(
    storage: AuditStorage,
    chain: bytes,
    public_key: Ed25519PublicKey | None,
    all_signatures: bool,
    *,
    latest_only: bool,
    signable: dict[bytes, list[tuple[int, str, bytes]]] | None = None,
) -> VerificationReport:
    heads = [(head, committed_link(head, chain)) for head in storage.chain_signed_heads(chain, latest_only=latest_only)]
    expected: list[tuple[SignedHead, tuple[int, bytes]]] = [(h, e) for h, e in heads if e is not None]
    report = VerificationReport()
    link = chain_genesis(chain)
    members: set[bytes] = set()
    index = 0
    problem: Problem | None = None
    sha256, pack, fromhex = hashlib.sha256, _HEADER.pack, bytes.fromhex
    actor_domain, pack_actor = ACTOR_DOMAIN, ACTOR_HEADER.pack
    last = 0
    for item in storage.chain_events(chain):
        position, originator_id, version, topic, state = item.event
        oid = fromhex(originator_id) if type(originator_id) is str else originator_bytes(originator_id)
        if version == 1:
            if chain_of(oid, bytes(state)) != chain:
                problem = Problem(
                    "strömmen hör inte till förbundet men ligger i dess kedja", position, UUID(bytes=oid), version
                )
                break
            members.add(oid)
            if signable is not None and is_signable_topic(topic):
                signable[oid] = []
        elif oid not in members:
            problem = Problem(
                "händelsen ligger i förbundets kedja men dess ström gör det inte", position, UUID(bytes=oid), version
            )
            break
        if index < len(expected) and expected[index][1][0] < position:
            problem = Problem("händelsen saknas i lagret (raderad)", expected[index][1][0])
            break
        topic_bytes = topic.encode()
        actor = item.actor
        if actor is None:
            digest = sha256(pack(position, version, len(topic_bytes)))
        else:
            digest = sha256(actor_domain + pack_actor(position, version, len(topic_bytes), len(state)))
        digest.update(oid)
        digest.update(topic_bytes)
        digest.update(state)
        if actor is not None:
            digest.update(actor.digest)
        link = sha256(link + digest.digest()).digest()
        if link != item.link:
            problem = Problem(
                "händelsens innehåll (typ, data eller vem som registrerade den) har ändrats: hashvärdet stämmer inte",
                position,
                UUID(bytes=oid),
                version,
            )
            break
        if signable is not None and oid in signable:
            signable[oid].append((version, topic, bytes(state)))
        report.events += 1
        last = position
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
    checked: list[SignedHead] = []
    if problem is None:  # Heads newer than the chain's last link that still name the chain.
        later, problem = _missing_tail(storage, chain, (last, link))
        known = {head.position for head, _ in expected}
        checked = [head for head, _ in expected] + [head for head in later if head.position not in known]
    if problem is not None:
        report.heads = len(expected)
        report.last_head = expected[-1][0] if expected else None
        report.problems.append(problem)
        return report
    checked.sort(key=lambda head: head.position)
    report.heads, report.last_head = len(checked), checked[-1] if checked else None
    check_head_signatures(report, checked, public_key, all_signatures)
    return report


def chain_forbund_events(storage: AuditStorage, org_nr: str) -> Iterator[ForbundEvent]:
    """The förbund's events as :class:`~finsam_core.audit.forbund_event.ForbundEvent` (``hash`` its chain link),
    read through the links index only."""
    chain = forbund_id(validate_org_nr(org_nr)).bytes
    first_dates: dict[bytes, Any] = {}
    for item in storage.chain_events(chain):
        position, originator_id, version, topic, state = item.event
        oid = originator_bytes(originator_id)
        stored = bytes(state)
        payload = decode_payload(stored) or {}
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
            item.link,
        )
