"""Verification of a store: recompute the chain from the raw rows and hold it against the heads.

:func:`verify_store` reads every stored event in log order straight from the table, recomputes
the chain (:mod:`finsam_core.audit.chain`) and compares it with each signed head; it checks the
Ed25519 signature of the last head (of every head with ``all_signatures=True``) and, with
``known_heads``, that the chain's hash at each position an auditor wrote down earlier is still the
hash they wrote down (whether or not a signed head is stored there now). Because every hash
covers the one before it, the last head's signature vouches for every event before it.

When a head does not match, the per-event chain rows of that one write are compared with the
events to say which event is wrong and how: changed, missing, inserted or moved. The chain rows
are used only to locate a fault, never to excuse one.

:func:`verify_minutes` checks the minutes' digital signatures against the trail: each signature's
hash must equal the SHA-256 of the canonical minutes rebuilt from the events recorded before it.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from functools import cache
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
    GENESIS,
    NETWORK,
    ActorCursor,
    ActorRange,
    ChainRow,
    SignedHead,
    chain_genesis,
    chain_of,
    event_hash,
    originator_bytes,
)
from finsam_core.audit.keys import is_valid_signature, key_id
from finsam_core.audit.minutes_signatures import check_minutes_signatures, is_signable_topic
from finsam_core.audit.problems import Problem, VerificationReport
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.storage import AuditStorage, RawEvent

__all__ = ["Problem", "VerificationReport", "check_head_signatures", "verify_minutes", "verify_store"]


_NO_ACTOR = (2**63, 2**63, b"")
_is_signable = cache(is_signable_topic)


def _stream(originator_id: Any) -> UUID:
    return UUID(bytes=originator_bytes(originator_id))


_EXPECTED = (("strömmens id", (str, UUID, bytes)), ("versionen", (int,)), ("typen", (str,)), ("innehållet", (bytes,)))


def _wrong_types(originator_id: Any, version: Any, topic: Any, state: Any) -> list[str]:
    """The columns of a raw row that do not have the types the application writes."""
    columns = (originator_id, version, topic, bytes(state) if isinstance(state, memoryview) else state)
    return [
        f"{name} är {type(value).__name__}"
        for (name, types), value in zip(_EXPECTED, columns, strict=True)
        if not isinstance(value, types)
    ]


def malformed_row(position: Any, originator_id: Any, version: Any, topic: Any, state: Any) -> Problem:
    """A row whose columns do not have the types the application writes (changed behind its back)."""
    wrong = _wrong_types(originator_id, version, topic, state)
    detail = ", ".join(wrong) if wrong else "strömmens id går inte att tolka"
    return Problem(
        f"raden i lagret har ändrats utanför programmet och kan inte hashas ({detail})",
        position if isinstance(position, int) else None,
    )


def locate(
    storage: AuditStorage, after: int, start: bytes, head: SignedHead | None, actors: Sequence[ActorRange] = ()
) -> Problem:
    """The first event between ``after`` (whose hash is ``start``) and ``head`` that is wrong."""
    upto = head.position if head is not None else None
    chain: list[ChainRow] = storage.chain_rows(after, upto)
    events: list[RawEvent] = list(storage.iter_events(after, upto))
    actor_of = ActorCursor(actors)
    prev, ci, ei = start, 0, 0
    while ci < len(chain) or ei < len(events):
        c = chain[ci] if ci < len(chain) else None
        e = events[ei] if ei < len(events) else None
        if c is not None and (e is None or c.position < e[0]):
            return Problem("händelsen saknas i lagret (raderad)", c.position, c.originator_id, c.version)
        assert e is not None
        position, originator_id, version, topic, state = e
        try:
            stream = _stream(originator_id)
        except (TypeError, ValueError, AttributeError):
            stream = None
        if stream is None or _wrong_types(originator_id, version, topic, state):
            return malformed_row(position, originator_id, version, topic, state)
        if c is None or position < c.position:
            return Problem(
                "händelsen finns i lagret men registrerades aldrig av programmet (infogad vid sidan av)",
                position,
                stream,
                version,
            )
        if (stream, version) != (c.originator_id, c.version):
            return Problem(
                f"här låg när den registrerades ström {c.originator_id} version {c.version}: "
                "händelser har flyttats eller bytts ut",
                position,
                stream,
                version,
            )
        made_by = actor_of.at(position)
        digest = made_by.digest if made_by is not None else None
        prev = event_hash(prev, position, stream.bytes, version, topic, bytes(state), digest)
        if prev != c.hash:
            return Problem(
                "händelsens innehåll (typ, data eller vem som registrerade den) har ändrats: hashvärdet stämmer inte",
                position,
                stream,
                version,
            )
        ci += 1
        ei += 1
    if head is None:
        return Problem("händelser efter den senaste kontrollpunkten saknar signerad kontrollpunkt", after + 1)
    if prev != head.log_hash:
        return Problem(
            "kontrollpunkten stämmer inte med händelserna: kedjetabellen eller kontrollpunkten har ändrats",
            head.position,
        )
    return Problem("kedjan och händelserna stämmer men kontrollpunkten gjorde det inte", head.position)


def verify_store(
    source: Application[Any] | ApplicationRecorder,
    public_key: Ed25519PublicKey | None = None,
    *,
    all_signatures: bool = False,
    known_heads: Iterable[tuple[int, bytes]] = (),
    minutes: bool = True,
) -> VerificationReport:
    """Verify every stored event of ``source`` (an application or its recorder).

    ``public_key`` defaults to the key the application signs with. ``known_heads`` are
    (position, hash) pairs from an earlier verification or export: a store cut back to before
    them is reported. ``minutes`` also runs :func:`verify_minutes` (needs an application).
    """
    app = source if isinstance(source, Application) else None
    recorder = source.recorder if isinstance(source, Application) else source
    sign_now = getattr(recorder, "sign_now", None)
    if sign_now is not None:  # What this application wrote and has not signed yet (PostgreSQL signs in batches).
        sign_now()
    storage = audit_storage(recorder)
    if public_key is None:
        own = getattr(recorder, "audit_key", None)
        public_key = own.public_key() if own is not None else None
    signable: dict[Any, list[tuple[int, str, bytes]]] | None = {} if minutes and app is not None else None
    report = _verify_chain(storage, public_key, all_signatures, list(known_heads), signable)
    if report.ok and app is not None and signable is not None:
        # The minutes' rows were kept during the one pass over the log: no second read.
        mapper = app.mapper
        streams = (
            (
                _stream(originator_id),
                (
                    mapper.to_domain_event(StoredEvent(_stream(originator_id), version, topic, state))
                    for version, topic, state in rows
                ),
            )
            for originator_id, rows in signable.items()
        )
        checked, problems = check_minutes_signatures(streams)
        report.minutes_signatures_checked = checked
        report.problems.extend(problems)
    return report


def _verify_chain(
    storage: AuditStorage,
    public_key: Ed25519PublicKey | None,
    all_signatures: bool,
    known: Sequence[tuple[int, bytes]],
    signable: dict[Any, list[tuple[int, str, bytes]]] | None = None,
) -> VerificationReport:
    """The one pass over the log; the rows of the minutes' streams go to ``signable`` if given."""
    report = VerificationReport()
    heads = storage.heads()
    report.heads = len(heads)
    actors = storage.actors()
    disorder = ActorCursor.first_disorder(actors)
    if disorder is not None:
        what = "vem som registrerade skrivningen har ändrats utanför programmet (aktörstabellen är inkonsekvent)"
        report.problems.append(Problem(what, disorder))
        return report
    a_index, n_actors = 0, len(actors)
    a_first, a_last, a_digest = (actors[0].first, actors[0].last, actors[0].digest) if actors else _NO_ACTOR
    sha256, pack, fromhex = hashlib.sha256, _HEADER.pack, bytes.fromhex
    actor_domain, pack_actor = ACTOR_DOMAIN, ACTOR_HEADER.pack
    prev, count, last_position = GENESIS, 0, 0
    ok_position, ok_hash = 0, GENESIS
    index, n_heads = 0, len(heads)
    next_head = heads[0].position if heads else -1
    wanted = sorted(known)
    k_index, n_known = 0, len(wanted)
    next_known = wanted[0][0] if wanted else -1
    known_problem: Problem | None = None
    stream_of: dict[Any, tuple[bytes, list[tuple[int, str, bytes]] | None]] = {}
    chain_links: dict[bytes, bytes] = {}
    chain_at: dict[bytes, int] = {}
    changed: set[bytes] = set()
    network, pack_chain = NETWORK.bytes, CHAIN_RECORD.pack
    problem: Problem | None = None
    for position, originator_id, version, topic, state in storage.iter_events():
        if 0 <= next_head < position:
            problem = locate(storage, ok_position, ok_hash, heads[index], actors)
            break
        if position > a_last:  # Past the current actor's write: find the next one.
            while position > a_last:
                a_index += 1
                a = actors[a_index] if a_index < n_actors else None
                a_first, a_last, a_digest = (a.first, a.last, a.digest) if a is not None else _NO_ACTOR
        try:
            topic_bytes = topic.encode()
            if position >= a_first:  # An event of a write with an actor (chain.leaf_hash, second form).
                digest = sha256(actor_domain + pack_actor(position, version, len(topic_bytes), len(state)))
            else:
                digest = sha256(pack(position, version, len(topic_bytes)))
            oid = fromhex(originator_id) if type(originator_id) is str else originator_id.bytes
            digest.update(oid)
            digest.update(topic_bytes)
            digest.update(state)
        except (TypeError, ValueError, AttributeError, struct.error):
            problem = malformed_row(position, originator_id, version, topic, state)
            break
        if position >= a_first:
            digest.update(a_digest)
        leaf = digest.digest()
        prev = sha256(prev + leaf).digest()
        stream = stream_of.get(originator_id)
        if stream is None:  # A stream's first event: its chain, and whether it holds minutes to check.
            chain = chain_of(oid, bytes(state)) if version == 1 else network
            kept: list[tuple[int, str, bytes]] | None = (
                [] if signable is not None and version == 1 and _is_signable(topic) else None
            )
            if kept is not None:
                signable[originator_id] = kept  # type: ignore[index]
            stream = stream_of[originator_id] = (chain, kept)
        chain, kept = stream
        chain_links[chain] = sha256((chain_links.get(chain) or chain_genesis(chain)) + leaf).digest()
        chain_at[chain] = position
        changed.add(chain)
        if kept is not None:
            kept.append((version, topic, bytes(state)))
        count += 1
        last_position = position
        while 0 <= next_known <= position:  # A known head at or (after a gap) before this event.
            known_problem = known_problem or _known_head_problem(wanted[k_index], position, prev)
            k_index += 1
            next_known = wanted[k_index][0] if k_index < n_known else -1
        if position == next_head:
            if prev != heads[index].log_hash:
                problem = locate(storage, ok_position, ok_hash, heads[index], actors)
                break
            committed = heads[index].chains
            if committed is not None:  # A head that commits to the förbund chains changed since the last such.
                if committed != b"".join(pack_chain(c, chain_at[c], chain_links[c]) for c in sorted(changed)):
                    chain_heads = {c: (chain_at[c], chain_links[c]) for c in changed}
                    problem = _chains_problem(committed, chain_heads, changed, position)
                    break
                changed.clear()
            ok_position, ok_hash = position, prev
            index += 1
            next_head = heads[index].position if index < n_heads else -1
    else:
        if index < n_heads:
            problem = locate(storage, ok_position, ok_hash, heads[index], actors)
        elif last_position > ok_position:
            problem = locate(storage, ok_position, ok_hash, None, actors)
    if problem is None and actors and actors[-1].last > last_position:
        stray = next(a for a in actors if a.last > last_position)
        problem = Problem(
            "aktörstabellen nämner en skrivning efter loggens slut: händelser i slutet har tagits bort",
            max(stray.first, last_position + 1),
        )
    report.events, report.streams = count, len(stream_of)
    report.last_head = heads[-1] if heads else None
    if problem is not None:
        report.problems.append(problem)
        return report
    if not check_head_signatures(report, heads, public_key, all_signatures):
        return report
    if known_problem is None and k_index < n_known:
        position = wanted[k_index][0]
        known_problem = Problem(
            f"loggen slutar vid position {last_position} men en känd kontrollpunkt gäller position "
            f"{position}: händelser i slutet har tagits bort",
            position,
        )
    if known_problem is not None:
        report.problems.append(known_problem)
    return report


def check_head_signatures(
    report: VerificationReport,
    heads: Sequence[SignedHead],
    public_key: Ed25519PublicKey | None,
    all_signatures: bool,
) -> bool:
    """Check the signature of the last head (of every head with ``all_signatures``) into ``report``.

    False when a signature is invalid (the problem is in ``report``); without a public key, heads to
    check are a problem of their own. The whole-store and the one-förbund checks both use this.
    """
    if public_key is None:
        if heads:
            report.problems.append(Problem("ingen publik nyckel att kontrollera signaturerna med"))
        return True
    for head in heads if all_signatures else heads[-1:]:
        report.signatures_checked += 1
        if not is_valid_signature(public_key, head.signature, head.message()):
            report.problems.append(
                Problem(
                    f"kontrollpunktens signatur är ogiltig (signerad med nyckel {head.key_id}, "
                    f"kontrollerad med {key_id(public_key)})",
                    head.position,
                )
            )
            return False
    return True


def _chains_problem(
    committed: bytes, chain_heads: dict[bytes, tuple[int, bytes]], changed: set[bytes], position: int
) -> Problem:
    """What differs between the förbund chains a head commits to and the chains recomputed from the events."""
    signed = (
        {c: (p, h) for c, p, h in CHAIN_RECORD.iter_unpack(committed)}
        if len(committed) % CHAIN_RECORD.size == 0
        else {}
    )
    for chain in sorted(set(signed) | changed):
        found = chain_heads.get(chain) if chain in changed else None
        if signed.get(chain) != found:
            where = found[0] if found is not None else signed[chain][0]
            return Problem(
                f"förbundskedjan {UUID(bytes=chain)} stämmer inte med kontrollpunkten vid position {position}: "
                "händelserna eller kopplingen mellan ström och förbund har ändrats",
                where,
            )
    return Problem("kontrollpunktens förbundskedjor går inte att läsa: kontrollpunkten har ändrats", position)


def _known_head_problem(known: tuple[int, bytes], position: int, log_hash: bytes) -> Problem | None:
    """What is wrong with a known head (position, hash), the chain being ``log_hash`` at ``position``."""
    wanted_position, wanted_hash = known
    if wanted_position != position:
        return Problem(
            f"en känd kontrollpunkt gäller position {wanted_position} men den positionen finns inte i loggen: "
            "händelser har tagits bort",
            wanted_position,
        )
    if log_hash != wanted_hash:
        return Problem(
            f"kedjans hashvärde vid position {position} är {log_hash.hex()} men den kända kontrollpunkten säger "
            f"{wanted_hash.hex()}: historiken har skrivits om",
            position,
        )
    return None


def verify_minutes(app: Application[Any]) -> tuple[int, list[Problem]]:
    """Check every minutes signature in the store against the minutes rebuilt from its events.

    Returns the number of signatures checked and the problems found (see
    :mod:`finsam_core.audit.minutes_signatures`).
    """
    storage = audit_storage(app.recorder)
    streams = [
        _stream(originator_id)
        for _position, originator_id, version, topic, _state in storage.iter_events()
        if version == 1 and is_signable_topic(topic)
    ]
    return check_minutes_signatures((stream, app.events.get(stream)) for stream in streams)
