"""A witness: someone outside the database who keeps the heads they saw, signed with their own key.

``finsam witness SOURCE`` (run by NNS, another förbund or an auditor, once or on a schedule)
reads the store's latest signed head and the leaves after the last head it saw (hashes only, see
:mod:`finsam_core.audit.publish`), re-hashes from its own last hash and checks that the result is
the new head: the new history *extends* the one it saw. It then signs what it saw with its own
Ed25519 key and appends it to its file. A rollback (the log now ends before what it saw), a fork
or a rewritten stretch (the leaves no longer lead to the new head) is reported with the first
position where the two histories part, found by re-hashing the store's leaves from the start
against the leaves the witness kept.

Files: ``STATE`` (JSON, :class:`WitnessFile`: the source, both public keys and one signed
observation per run that saw a new head) and ``STATE.leaves`` (the witness's own memory: the
40-byte records of position and leaf it re-hashed, exactly as published).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from finsam_core.audit.chain import GENESIS, SignedHead
from finsam_core.audit.keys import is_valid_signature, load_public_key, public_key_hex
from finsam_core.audit.publish import RECORD
from finsam_core.audit.witness_wire import Source
from finsam_core.errors import InvalidInput

__all__ = [
    "FORMAT",
    "Observation",
    "WitnessFile",
    "WitnessReport",
    "first_divergence",
    "load_witness_file",
    "witness",
    "witnessed_heads",
]

FORMAT = "finsam-witness/1"
_DOMAIN = b"finsam-witness-v1\n"


class Observation(msgspec.Struct, frozen=True):
    """One head the witness saw extend the previous one, and the witness's signature over it."""

    position: int
    hash: str
    service_signed_at: datetime
    service_signature: str
    service_key_id: str
    seen_at: datetime
    signature: str

    def message(self, source: str) -> bytes:
        return observation_message(source, self.position, bytes.fromhex(self.hash), self.seen_at)


class WitnessFile(msgspec.Struct):
    """Everything a witness keeps about one store, except its chain memory."""

    format: str
    source: str
    service_public_key: str
    witness_public_key: str
    observations: list[Observation] = msgspec.field(default_factory=list)


def observation_message(source: str, position: int, log_hash: bytes, seen_at: datetime) -> bytes:
    """The bytes a witness signs: which store, which head, when."""
    return _DOMAIN + source.encode() + b"\n" + struct.pack(">Q", position) + log_hash + seen_at.isoformat().encode()


@dataclass
class WitnessReport:
    """What one run of the witness saw."""

    source: str
    previous: tuple[int, bytes] | None = None
    current: SignedHead | None = None
    checked: int = 0
    diverged_at: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is not None:
            return f"FEL: {self.source}: {self.problem}"
        if self.current is None:
            return f"OK: {self.source} har inga händelser än; inget att vittna."
        head = f"{self.current.position}:{self.current.log_hash.hex()}"
        if self.previous is not None and self.previous[0] == self.current.position:
            return f"OK: {self.source} står kvar på {head}, som vittnet redan sett."
        start = self.previous[0] if self.previous else 0
        return (
            f"OK: {self.source} {head} bygger vidare på det vittnet såg (position {start}); "
            f"{self.checked} nya händelser hashade om och vittnade."
        )


def load_witness_file(data: bytes, where: str) -> WitnessFile:
    """A witness file from its bytes; :class:`InvalidInput` if it is not one."""
    try:
        found = msgspec.json.decode(data, type=WitnessFile)
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"{where} är ingen vittnesfil från finsam witness: {exc}.") from None
    if found.format != FORMAT:
        raise InvalidInput(f"{where} har okänt format {found.format!r}; väntade {FORMAT}.")
    return found


def _chain_path(state: Path) -> Path:
    return state.with_name(state.name + ".leaves")


def _records(path: Path) -> Iterator[tuple[int, bytes]]:
    if path.exists():
        yield from RECORD.iter_unpack(path.read_bytes())


def _leaves(source: Source, after: int, upto: int) -> Iterator[tuple[int, bytes]]:
    while True:
        page = source.leaves(after, upto)
        yield from RECORD.iter_unpack(page.records)
        if page.next_after is None:
            return
        after = page.next_after


def first_divergence(source: Source, kept: Path, upto: int) -> int:
    """The first position where the store's history parts from the witness's.

    ``kept`` holds the leaves the witness re-hashed and saw lead to signed heads; the store's
    leaves are read again from the start. The first position whose leaf differs, is missing or
    has no counterpart is where the histories part (from there on every chain hash differs).
    """
    served = _leaves(source, 0, upto)
    last = 0
    for position, leaf in _records(kept):
        found = next(served, None)
        if found is None:
            return position  # The store's log ends before what the witness saw.
        if found != (position, leaf):
            return min(found[0], position)
        last = position
    found = next(served, None)
    return found[0] if found is not None else last + 1


def witness(
    source: Source, state: Path, key: Ed25519PrivateKey, service_key: Ed25519PublicKey | None = None
) -> WitnessReport:
    """Check that ``source``'s latest head extends what this witness saw; sign and keep it if so.

    ``service_key`` pins the store's public key on the first run (later runs pin the key in the
    file). Raises :class:`InvalidInput` for an unreadable file or a source that does not answer.
    """
    kept = load_witness_file(state.read_bytes(), str(state)) if state.exists() else None
    if kept is not None and kept.source != source.name:
        raise InvalidInput(
            f"Vittnesfilen {state} gäller {kept.source}, inte {source.name}: använd en vittnesfil per källa."
        )
    chain = _chain_path(state)
    last_seen = kept.observations[-1] if kept is not None and kept.observations else None
    previous = (last_seen.position, bytes.fromhex(last_seen.hash)) if last_seen is not None else None
    report = WitnessReport(source.name, previous)
    after, prev = previous if previous is not None else (0, GENESIS)
    page = source.heads(after, limit=1)  # The key and the latest head; the heads between are not needed.
    pinned = kept.service_public_key if kept is not None else (public_key_hex(service_key) if service_key else None)
    if page.public_key is None:
        report.problem = "tjänsten publicerar ingen publik nyckel; dess kontrollpunkter kan inte kontrolleras"
        return report
    if pinned is not None and pinned != page.public_key:
        report.problem = f"tjänsten signerar nu med nyckeln {page.key_id}, inte med den nyckel vittnet litar på"
        return report
    latest = report.current = page.latest
    public = load_public_key(page.public_key)
    if latest is not None and not is_valid_signature(public, latest.signature, latest.message()):
        report.problem = f"den senaste kontrollpunktens signatur ({latest.position}) är ogiltig"
        return report
    if latest is None and previous is None:
        return report  # An empty store: nothing to witness yet.
    if latest is None or latest.position < after:
        return _diverged(report, source, chain, latest, "loggen har rullats tillbaka")
    records = bytearray()
    sha256, unpack = hashlib.sha256, RECORD.iter_unpack
    page_after = after
    while True:  # The hot loop: one sha256 per leaf; the signed latest head is the check.
        served = source.leaves(page_after, latest.position)
        for _position, leaf in unpack(served.records):
            prev = sha256(prev + leaf).digest()
        records += served.records
        if served.next_after is None:
            break
        page_after = served.next_after
    position = RECORD.unpack_from(records, len(records) - RECORD.size)[0] if records else after
    if position != latest.position or prev != latest.log_hash:
        return _diverged(report, source, chain, latest, "historiken har skrivits om eller grenats")
    report.checked = len(records) // RECORD.size
    if previous is not None and latest.position == after:
        return report  # Nothing new: the store still stands where the witness last saw it.
    seen_at = datetime.now(UTC)
    observation = Observation(
        position=latest.position,
        hash=latest.log_hash.hex(),
        service_signed_at=latest.signed_at,
        service_signature=latest.signature.hex(),
        service_key_id=latest.key_id,
        seen_at=seen_at,
        signature=key.sign(observation_message(source.name, latest.position, latest.log_hash, seen_at)).hex(),
    )
    if kept is None:
        kept = WitnessFile(FORMAT, source.name, page.public_key, public_key_hex(key))
        chain.write_bytes(b"")
    kept.observations.append(observation)
    with chain.open("ab") as file:
        file.write(records)
    state.write_bytes(msgspec.json.format(msgspec.json.encode(kept), indent=2))
    return report


def _diverged(
    report: WitnessReport, source: Source, chain: Path, latest: SignedHead | None, what: str
) -> WitnessReport:
    assert report.previous is not None or latest is not None
    upto = max(latest.position if latest is not None else 0, report.previous[0] if report.previous else 0)
    position = first_divergence(source, chain, upto)
    report.diverged_at = position
    seen = f"{report.previous[0]}:{report.previous[1].hex()}" if report.previous else "ingenting"
    now = f"{latest.position}:{latest.log_hash.hex()}" if latest is not None else "ingen kontrollpunkt"
    report.problem = (
        f"{what}: vittnet såg {seen}, tjänsten visar nu {now}; historikerna skiljs åt vid position {position}"
    )
    return report


def witnessed_heads(file: WitnessFile, witness_key: Ed25519PublicKey | None = None) -> list[tuple[int, bytes]]:
    """The (position, hash) pairs a witness vouches for, for ``verify_store(known_heads=...)``.

    Each observation's signature is checked with ``witness_key`` (default: the key the file names,
    which proves only that the file is consistent). Raises :class:`InvalidInput` if one fails.
    """
    public = witness_key or load_public_key(file.witness_public_key)
    heads = []
    for observation in file.observations:
        try:
            valid = is_valid_signature(public, bytes.fromhex(observation.signature), observation.message(file.source))
            head = (observation.position, bytes.fromhex(observation.hash))
        except ValueError:
            valid = False
        if not valid:
            raise InvalidInput(
                f"Vittnets signatur över position {observation.position} stämmer inte: vittnesfilen har ändrats."
            )
        heads.append(head)
    return heads
