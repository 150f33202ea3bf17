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

import gc
import hashlib
import struct
import time
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from operator import attrgetter
from typing import Any
from uuid import UUID

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.utils import resolve_topic

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
from finsam_core.audit.storage import AuditStorage, RawEvent, SQLiteAuditStorage

__all__ = [
    "Problem",
    "VerificationReport",
    "await_signatures",
    "check_head_signatures",
    "settle_seconds",
    "verify_minutes",
    "verify_store",
]


_UUID_BYTES = attrgetter("bytes")
_NEVER = 2**63
"""A position after every event: no further head, known head or actor."""
_ACTOR_LEAD = struct.Struct(">22sQQIQ")
"""``ACTOR_DOMAIN ‖ ACTOR_HEADER`` in one pack (the second leaf form's first bytes)."""
assert len(ACTOR_DOMAIN) == 22 and _ACTOR_LEAD.size == len(ACTOR_DOMAIN) + ACTOR_HEADER.size
_is_signable = cache(is_signable_topic)


class _Names(msgspec.Struct):
    """The fields of a stream's first event that name its förbund (the rest is skipped unparsed)."""

    forbund_id: Any = msgspec.UNSET
    association_id: Any = msgspec.UNSET
    org_nr: Any = msgspec.UNSET


_decode_names = msgspec.json.Decoder(_Names).decode


@cache
def _named_chain(named: str) -> bytes:
    try:
        return UUID(named).bytes
    except ValueError:
        return NETWORK.bytes


@cache
def _org_chain(org_nr: str) -> bytes:
    return chain_of(b"", msgspec.json.encode({"org_nr": org_nr}))


def fast_chain_of(stream: bytes, state: bytes) -> bytes:
    """:func:`~finsam_core.audit.chain.chain_of`, the same answer for every input (tested), without
    building the whole payload: only the three naming fields are decoded, and each förbund id or
    org nr is turned into its chain once."""
    try:
        names = _decode_names(state)
    except msgspec.DecodeError:  # not JSON, or not an object (ValidationError is a DecodeError)
        return NETWORK.bytes
    named = names.forbund_id if names.forbund_id is not msgspec.UNSET else names.association_id
    if isinstance(named, str):
        return _named_chain(named)
    if isinstance(names.org_nr, str):
        return _org_chain(names.org_nr)
    return NETWORK.bytes


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
        if c is None and head is None:  # After the last head, still unsigned once the signers' window passed.
            return Problem(
                "händelsen efter den senaste kontrollpunkten har varken länk eller signatur: infogad vid sidan av "
                "programmet, eller skriven av en process som avbröts innan den hann signera",
                position,
                stream,
                version,
            )
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


def settle_seconds(sign_within_seconds: float) -> float:
    """How long a verifier waits for a writer's signer: its window twice and a second for the run, at most 5 s."""
    return min(2 * max(0.0, sign_within_seconds) + 1.0, 5.0)


def await_signatures(storage: AuditStorage, last_position: int, seconds: float, poll: float = 0.02) -> int | None:
    """Wait up to ``seconds`` for a signed head at or after ``last_position``; the latest head's position then.

    On PostgreSQL a write commits its events and its process's signer links and signs them just after
    (``FINSAM_SIGN_WITHIN_MS``). A verifier in another process that read the log in that moment would
    find events with no link after the last head, exactly what a row inserted behind the application's
    back looks like. So it first gives the writers' signers their window for every event that was in
    the log when it began (``last_position``), and then verifies up to the head that covers them: writes
    that arrive meanwhile are counted as waiting, not verified. ``None`` when no head covered them in
    time: the whole log is read, and the first unsigned event is reported (``locate``), never trusted.
    """
    deadline = time.monotonic() + seconds
    while True:
        head = storage.latest_head()
        signed = head.position if head is not None else 0
        if signed >= last_position:
            return signed
        if time.monotonic() >= deadline:
            return None
        time.sleep(poll)


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
    within = getattr(recorder, "sign_within_seconds", None)
    upto: int | None = None
    if within is not None:  # PostgreSQL: other processes' writes are signed a moment after their commit.
        upto = await_signatures(storage, recorder.max_notification_id() or 0, settle_seconds(within))
    if public_key is None:
        own = getattr(recorder, "audit_key", None)
        public_key = own.public_key() if own is not None else None
    # The pass keeps the minutes' rows (hundreds of thousands of tuples in a large store) and makes
    # no reference cycles: the cyclic collector, which would walk every kept row again and again as
    # they pile up, is paused until the pass is done (it cost a quarter of the time on 100 000 meetings).
    paused = gc.isenabled()
    gc.disable()
    try:
        report = _verify_with_minutes(storage, app, public_key, all_signatures, list(known_heads), minutes, upto)
    finally:
        if paused:
            gc.enable()
    if upto is not None:  # Written while the verifier waited: their heads are still to come.
        report.pending = sum(1 for _ in storage.iter_events(upto))
    return report


def _verify_with_minutes(
    storage: AuditStorage,
    app: Application[Any] | None,
    public_key: Ed25519PublicKey | None,
    all_signatures: bool,
    known_heads: list[tuple[int, bytes]],
    minutes: bool,
    upto: int | None = None,
) -> VerificationReport:
    signable: dict[Any, list[RawEvent]] | None = {} if minutes and app is not None else None
    report = _verify_chain(storage, public_key, all_signatures, known_heads, signable, upto)
    if report.ok and app is not None and signable is not None:
        # The minutes' rows were kept during the one pass over the log: no second read. Only
        # streams with a signature are replayed, up to their last one (nothing else is checked).
        mapper = app.mapper
        streams = (
            (
                _stream(originator_id),
                (
                    mapper.to_domain_event(StoredEvent(_stream(originator_id), version, topic, state))
                    for version, topic, state in rows
                ),
            )
            for originator_id, rows in _up_to_last_signature(signable)
        )
        checked, problems = check_minutes_signatures(streams)
        report.minutes_signatures_checked = checked
        report.problems.extend(problems)
    return report


@cache
def _carries_signature(topic: str) -> bool:
    """Whether an event of ``topic`` may carry a minutes signature (its class has a ``signature``
    field); an unknown topic is assumed to."""
    try:
        cls = resolve_topic(topic)
    except Exception:
        return True
    return any("signature" in getattr(k, "__annotations__", {}) for k in getattr(cls, "__mro__", (cls,)))


def _up_to_last_signature(signable: dict[Any, list[RawEvent]]) -> Iterator[tuple[Any, list[tuple[int, str, bytes]]]]:
    """Each kept stream (its rows as read) that holds a signature, cut after its last one: the rest
    decides nothing. Returns (version, topic, state) for each event to replay."""
    for originator_id, rows in signable.items():
        signed = {topic for topic in {row[3] for row in rows} if _carries_signature(topic)}
        if not signed:
            continue
        last = max(i for i, row in enumerate(rows) if row[3] in signed)
        yield originator_id, [(row[2], row[3], bytes(row[4])) for row in rows[: last + 1]]


def _verify_chain(
    storage: AuditStorage,
    public_key: Ed25519PublicKey | None,
    all_signatures: bool,
    known: Sequence[tuple[int, bytes]],
    signable: dict[Any, list[RawEvent]] | None = None,
    upto: int | None = None,
) -> VerificationReport:
    """The one pass over the log (up to ``upto``); the rows of the minutes' streams go to ``signable`` if given."""
    report = VerificationReport()
    heads = storage.heads()
    actors = storage.actors()
    if upto is not None:  # The heads and writes after it came in while the verifier waited for its signers.
        heads = [h for h in heads if h.position <= upto]
        actors = [a for a in actors if a.first <= upto]
    report.heads = len(heads)
    disorder = ActorCursor.first_disorder(actors)
    if disorder is not None:
        what = "vem som registrerade skrivningen har ändrats utanför programmet (aktörstabellen är inkonsekvent)"
        report.problems.append(Problem(what, disorder))
        return report
    digests = [hashlib.sha256(a.actor).digest() for a in actors]
    # The loop does the least per event: one test (``position >= stop``) covers every rarer case
    # (the next head, known head or actor boundary), whose work is done only there.
    never = _NEVER
    a_index, n_actors = -1, len(actors)
    a_first, a_last, digest = never, never, b""  # the current (or next) write with an actor
    if actors:
        a_index, a_first, a_last = 0, actors[0].first, actors[0].last
    sha256, pack, pack_actor, fromhex = hashlib.sha256, _HEADER.pack, _ACTOR_LEAD.pack, bytes.fromhex
    actor_domain = ACTOR_DOMAIN
    prev, count, position = GENESIS, 0, 0
    # SQLite keeps a stream id as 32 hex digits, PostgreSQL and memory as a UUID: chosen once.
    to_oid: Any = fromhex if isinstance(storage, SQLiteAuditStorage) else _UUID_BYTES
    ok_position, ok_hash = 0, GENESIS
    index, n_heads = 0, len(heads)
    next_head = heads[0].position if heads else never
    wanted = sorted(known)
    k_index, n_known = 0, len(wanted)
    next_known = wanted[0][0] if wanted else never
    known_problem: Problem | None = None
    stream_of: dict[Any, tuple[list[bytes], list[Any] | None, bytes]] = {}
    chains: dict[bytes, list[bytes]] = {}  # chain -> [its link so far]
    changed: dict[bytes, int] = {}  # chain -> its last position, for the chains changed since the last head
    network, pack_chain = NETWORK.bytes, CHAIN_RECORD.pack
    problem: Problem | None = None
    with_actor = False
    stop = min(next_head, next_known, a_first)
    after = False  # this event reaches the next head or known head: check once it is hashed
    for row in storage.iter_events(0, upto):
        position, originator_id, version, topic, state = row
        if position >= stop:
            if next_head < position:  # a head at a position with no event
                problem = locate(storage, ok_position, ok_hash, heads[index], actors)
                break
            while position > a_last:  # past the current actor's write: the next one
                a_index += 1
                if a_index < n_actors:
                    a_first, a_last = actors[a_index].first, actors[a_index].last
                else:
                    a_first, a_last = never, never
            with_actor = position >= a_first
            if with_actor:
                digest = digests[a_index]
            after = position >= next_head or position >= next_known
            stop = min(next_head, next_known, a_last + 1 if with_actor else a_first)
        try:
            topic_bytes = topic.encode()
            oid = to_oid(originator_id)
            if with_actor:  # an event of a write with an actor (chain.leaf_hash, second form)
                leaf = sha256(
                    pack_actor(actor_domain, position, version, len(topic_bytes), len(state))
                    + oid
                    + topic_bytes
                    + state
                    + digest
                ).digest()
            else:
                leaf = sha256(pack(position, version, len(topic_bytes)) + oid + topic_bytes + state).digest()
        except (TypeError, ValueError, AttributeError, struct.error):
            problem = malformed_row(position, originator_id, version, topic, state)
            break
        prev = sha256(prev + leaf).digest()
        stream = stream_of.get(originator_id)
        if stream is None:  # A stream's first event: its chain, and whether it holds minutes to check.
            chain = fast_chain_of(oid, state) if version == 1 else network
            kept: list[Any] | None = [] if signable is not None and version == 1 and _is_signable(topic) else None
            if kept is not None:
                signable[originator_id] = kept  # type: ignore[index]
            link = chains.get(chain)
            if link is None:
                link = chains[chain] = [chain_genesis(chain)]
            stream = stream_of[originator_id] = (link, kept, chain)
        link, kept, chain = stream
        link[0] = sha256(link[0] + leaf).digest()
        changed[chain] = position
        if kept is not None:
            kept.append(row)  # the row as read: (position, stream, version, topic, state)
        count += 1
        if after:
            after = False
            while next_known <= position:  # A known head at or (after a gap) before this event.
                known_problem = known_problem or _known_head_problem(wanted[k_index], position, prev)
                k_index += 1
                next_known = wanted[k_index][0] if k_index < n_known else never
            if position == next_head:
                if prev != heads[index].log_hash:
                    problem = locate(storage, ok_position, ok_hash, heads[index], actors)
                    break
                committed = heads[index].chains
                if committed is not None:  # A head that commits to the förbund chains changed since the last such.
                    if committed != b"".join(pack_chain(c, changed[c], chains[c][0]) for c in sorted(changed)):
                        chain_heads = {c: (changed[c], chains[c][0]) for c in changed}
                        problem = _chains_problem(committed, chain_heads, set(changed), position)
                        break
                    changed.clear()
                ok_position, ok_hash = position, prev
                index += 1
                next_head = heads[index].position if index < n_heads else never
            stop = min(next_head, next_known, a_last + 1 if with_actor else a_first)
    else:
        if index < n_heads:
            problem = locate(storage, ok_position, ok_hash, heads[index], actors)
        elif position > ok_position:
            problem = locate(storage, ok_position, ok_hash, None, actors)
    last_position = position
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
