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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.application import Application
from eventsourcing.domain import CanMutateProtocol
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import resolve_topic

from finsam_core.audit.chain import _HEADER, GENESIS, ChainRow, SignedHead, event_hash, originator_bytes
from finsam_core.audit.keys import is_valid_signature, key_id
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.storage import AuditStorage, RawEvent

__all__ = ["Problem", "VerificationReport", "verify_minutes", "verify_store"]


@dataclass(frozen=True)
class Problem:
    """The first thing found wrong, and where."""

    what: str
    position: int | None = None
    stream: UUID | None = None
    version: int | None = None

    def __str__(self) -> str:
        where = []
        if self.position is not None:
            where.append(f"position {self.position}")
        if self.stream is not None:
            where.append(f"ström {self.stream}")
        if self.version is not None:
            where.append(f"version {self.version}")
        return (", ".join(where) + ": " if where else "") + self.what


@dataclass
class VerificationReport:
    """What a verification saw; ``ok`` when nothing is wrong."""

    events: int = 0
    streams: int = 0
    heads: int = 0
    last_head: SignedHead | None = None
    signatures_checked: int = 0
    minutes_signatures_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line for the terminal."""
        if self.last_head is not None:
            head = (
                f"senaste kontrollpunkt {self.last_head.position}:{self.last_head.log_hash.hex()} "
                f"signerad {self.last_head.signed_at.isoformat(timespec='seconds')}"
            )
        else:
            head = "ingen kontrollpunkt"
        state = "OK" if self.ok else "FEL"
        text = (
            f"{state}: {self.events} händelser i {self.streams} strömmar, {self.heads} kontrollpunkter, "
            f"{head}; {self.signatures_checked} kontrollpunktssignaturer och "
            f"{self.minutes_signatures_checked} protokollsignaturer kontrollerade"
        )
        if self.problems:
            text += f"\nFörsta fel: {self.problems[0]}"
        return text


def _stream(originator_id: Any) -> UUID:
    return UUID(bytes=originator_bytes(originator_id))


def locate(storage: AuditStorage, after: int, start: bytes, head: SignedHead | None) -> Problem:
    """The first event between ``after`` (whose hash is ``start``) and ``head`` that is wrong."""
    upto = head.position if head is not None else None
    chain: list[ChainRow] = storage.chain_rows(after, upto)
    events: list[RawEvent] = list(storage.iter_events(after, upto))
    prev, ci, ei = start, 0, 0
    while ci < len(chain) or ei < len(events):
        c = chain[ci] if ci < len(chain) else None
        e = events[ei] if ei < len(events) else None
        if c is not None and (e is None or c.position < e[0]):
            return Problem("händelsen saknas i lagret (raderad)", c.position, c.originator_id, c.version)
        assert e is not None
        position, originator_id, version, topic, state = e
        stream = _stream(originator_id)
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
        prev = event_hash(prev, position, stream.bytes, version, topic, bytes(state))
        if prev != c.hash:
            return Problem(
                "händelsens innehåll (typ eller data) har ändrats: hashvärdet stämmer inte", position, stream, version
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
    storage = audit_storage(recorder)
    if public_key is None:
        own = getattr(recorder, "audit_key", None)
        public_key = own.public_key() if own is not None else None
    report = _verify_chain(storage, public_key, all_signatures, list(known_heads))
    if report.ok and minutes and app is not None:
        checked, problems = verify_minutes(app)
        report.minutes_signatures_checked = checked
        report.problems.extend(problems)
    return report


def _verify_chain(
    storage: AuditStorage,
    public_key: Ed25519PublicKey | None,
    all_signatures: bool,
    known: Sequence[tuple[int, bytes]],
) -> VerificationReport:
    report = VerificationReport()
    heads = storage.heads()
    report.heads = len(heads)
    sha256, pack, fromhex = hashlib.sha256, _HEADER.pack, bytes.fromhex
    prev, count, last_position = GENESIS, 0, 0
    ok_position, ok_hash = 0, GENESIS
    index, n_heads = 0, len(heads)
    next_head = heads[0].position if heads else -1
    wanted = sorted(known)
    k_index, n_known = 0, len(wanted)
    next_known = wanted[0][0] if wanted else -1
    known_problem: Problem | None = None
    streams: set[Any] = set()
    add_stream = streams.add
    problem: Problem | None = None
    for position, originator_id, version, topic, state in storage.iter_events():
        if 0 <= next_head < position:
            problem = locate(storage, ok_position, ok_hash, heads[index])
            break
        topic_bytes = topic.encode()
        digest = sha256(pack(position, version, len(topic_bytes)))
        digest.update(fromhex(originator_id) if type(originator_id) is str else originator_id.bytes)
        digest.update(topic_bytes)
        digest.update(state)
        prev = sha256(prev + digest.digest()).digest()
        add_stream(originator_id)
        count += 1
        last_position = position
        while 0 <= next_known <= position:  # A known head at or (after a gap) before this event.
            known_problem = known_problem or _known_head_problem(wanted[k_index], position, prev)
            k_index += 1
            next_known = wanted[k_index][0] if k_index < n_known else -1
        if position == next_head:
            if prev != heads[index].log_hash:
                problem = locate(storage, ok_position, ok_hash, heads[index])
                break
            ok_position, ok_hash = position, prev
            index += 1
            next_head = heads[index].position if index < n_heads else -1
    else:
        if index < n_heads:
            problem = locate(storage, ok_position, ok_hash, heads[index])
        elif last_position > ok_position:
            problem = locate(storage, ok_position, ok_hash, None)
    report.events, report.streams = count, len(streams)
    report.last_head = heads[-1] if heads else None
    if problem is not None:
        report.problems.append(problem)
        return report
    to_check = heads if all_signatures else heads[-1:]
    if public_key is not None:
        for head in to_check:
            report.signatures_checked += 1
            if not is_valid_signature(public_key, head.signature, head.message()):
                report.problems.append(
                    Problem(
                        f"kontrollpunktens signatur är ogiltig (signerad med nyckel {head.key_id}, "
                        f"kontrollerad med {key_id(public_key)})",
                        head.position,
                    )
                )
                return report
    elif heads:
        report.problems.append(Problem("ingen publik nyckel att kontrollera signaturerna med"))
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
    """Check every minutes signature against the canonical minutes rebuilt from the events.

    Returns the number of signatures checked and the problems found. A stream takes part when
    its aggregate has ``canonical_sha256()`` (the Meeting) and an event carries a ``signature``
    with a ``sha256``.
    """
    storage = audit_storage(app.recorder)
    signable: dict[str, bool] = {}
    streams: list[UUID] = []
    for _position, originator_id, version, topic, _state in storage.iter_events():
        if version != 1:
            continue
        if topic not in signable:
            try:
                cls = resolve_topic(topic)
                owner = resolve_topic(topic.rsplit(".", 1)[0])
                signable[topic] = callable(getattr(owner, "canonical_sha256", None)) and cls is not None
            except Exception:
                signable[topic] = False
        if signable[topic]:
            streams.append(_stream(originator_id))
    checked, problems = 0, []
    for stream in streams:
        aggregate = None
        for domain_event in app.events.get(stream):
            signature = getattr(domain_event, "signature", None)
            claimed = getattr(signature, "sha256", None)
            if aggregate is not None and isinstance(claimed, str):
                checked += 1
                rebuilt = aggregate.canonical_sha256()
                if rebuilt != claimed.lower():
                    problems.append(
                        Problem(
                            f"underskriften av {getattr(signature, 'name', '?')} gäller hashvärdet {claimed[:16]}… "
                            f"men protokollet som byggs upp ur händelserna har {rebuilt[:16]}…",
                            None,
                            stream,
                            domain_event.originator_version,
                        )
                    )
            aggregate = cast("CanMutateProtocol[Any]", domain_event).mutate(aggregate)
    return checked, problems
