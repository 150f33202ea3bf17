"""The auditor's copy: one förbund's events with their hashes and the checkpoints, as JSON lines.

Lines, in log order (``kind`` says which)::

    header      format, förbund, association id, export time, the signer's public key
    event       position, stream, version, topic, domain_date, recorded_at, payload (parsed),
                state (the stored bytes as text, exactly), leaf, hash
    leaf        position, leaf: another förbund's event in the same write, content withheld
    checkpoint  position, hash, signed_at, signature, key_id

Every write (signed head) that holds one of the förbund's events is exported whole, preceded by
the checkpoint it follows, so :func:`verify_export` can recompute the chain from a signed
checkpoint to the next and check both signatures, with no database. The last line is the
store's latest checkpoint (the log's size when the copy was made, which a later verification of
the store can be held against with ``known_heads``), then a ``seal``: the SHA-256 of every line
before it, signed with the same key, so that no line can be dropped, added or edited unnoticed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.application import Application

from finsam_core.audit.chain import GENESIS, SignedHead, chain_hash, leaf_hash, originator_bytes
from finsam_core.audit.dates import domain_date, recorded_at, stream_date
from finsam_core.audit.keys import is_valid_signature, key_id, load_public_key, public_key_hex
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.storage import AuditStorage
from finsam_core.audit.verify import Problem, VerificationReport, verify_store
from finsam_core.domain.association import association_id
from finsam_core.domain.errors import FinsamError
from finsam_core.domain.values import validate_org_nr

__all__ = ["FORMAT", "AuditFailure", "belongs_to", "export_audit", "forbund_events", "verify_export"]

FORMAT = "finsam-audit-export/1"
_SEAL_DOMAIN = b"finsam-audit-export-seal-v1\n"


class AuditFailure(FinsamError):
    """The store does not verify, so no copy is made of it."""


def _payload(state: bytes) -> dict[str, Any] | None:
    try:
        found = msgspec.json.decode(state)
    except msgspec.DecodeError:
        return None
    return found if isinstance(found, dict) else None


def belongs_to(stream: UUID, first_payload: dict[str, Any] | None, forbund: UUID, org_nr: str) -> bool:
    """Whether a stream is the förbund's: the förbund itself, or its first event names it."""
    if stream == forbund:
        return True
    if not first_payload:
        return False
    return first_payload.get("association_id") == str(forbund) or first_payload.get("org_nr") == org_nr


@dataclass(frozen=True)
class ForbundEvent:
    """One of a förbund's stored events, with everything the export and replay need."""

    position: int
    stream: UUID
    version: int
    topic: str
    state: bytes
    payload: dict[str, Any]
    domain_date: str | None
    recorded_at: str | None
    leaf: bytes
    hash: bytes


def forbund_events(storage: AuditStorage, org_nr: str) -> Iterator[ForbundEvent | tuple[int, bytes, bytes]]:
    """Walk the log: the förbund's events in full, every other event as (position, leaf, hash)."""
    forbund = association_id(validate_org_nr(org_nr))
    members: dict[UUID, Any] = {}
    prev = GENESIS
    for position, originator_id, version, topic, state in storage.iter_events():
        oid = originator_bytes(originator_id)
        leaf = leaf_hash(position, oid, version, topic, bytes(state))
        prev = chain_hash(prev, leaf)
        stream = UUID(bytes=oid)
        payload = None
        if version == 1:
            payload = _payload(bytes(state))
            if belongs_to(stream, payload, forbund, org_nr):
                members[stream] = stream_date(payload or {})
        if stream not in members:
            yield (position, leaf, prev)
            continue
        payload = payload if payload is not None else (_payload(bytes(state)) or {})
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
        )


def _checkpoint(head: SignedHead) -> dict[str, Any]:
    return {
        "kind": "checkpoint",
        "position": head.position,
        "hash": head.log_hash.hex(),
        "signed_at": head.signed_at.isoformat(),
        "signature": head.signature.hex(),
        "key_id": head.key_id,
    }


def _line(item: ForbundEvent | tuple[int, bytes, bytes]) -> dict[str, Any]:
    if isinstance(item, tuple):
        return {"kind": "leaf", "position": item[0], "leaf": item[1].hex()}
    return {
        "kind": "event",
        "position": item.position,
        "stream": str(item.stream),
        "version": item.version,
        "topic": item.topic,
        "domain_date": item.domain_date,
        "recorded_at": item.recorded_at,
        "payload": item.payload,
        "state": item.state.decode("utf-8"),
        "leaf": item.leaf.hex(),
        "hash": item.hash.hex(),
    }


def export_audit(app: Application[Any], org_nr: str, out: IO[str]) -> int:
    """Write the förbund's audit export to ``out``; returns the number of its events.

    Verifies the store first and raises :class:`AuditFailure` if it does not verify.
    """
    report = verify_store(app, minutes=False)
    if not report.ok:
        raise AuditFailure(f"Lagret klarar inte kontrollen, ingen export görs: {report.problems[0]}")
    storage = audit_storage(app.recorder)
    heads = storage.heads()
    key = getattr(app.recorder, "audit_key", None)
    header = {
        "kind": "header",
        "format": FORMAT,
        "forbund": validate_org_nr(org_nr),
        "association_id": str(association_id(validate_org_nr(org_nr))),
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
    if key is not None:
        digest = seal.digest()
        seal_line = {
            "kind": "seal",
            "lines": lines_written,
            "sha256": digest.hex(),
            "signature": key.sign(_SEAL_DOMAIN + digest).hex(),
            "key_id": key_id(key),
        }
        out.write(json.dumps(seal_line, separators=(",", ":")) + "\n")
    return count


def verify_export(path: Path | str, public_key: Ed25519PublicKey | str | None = None) -> VerificationReport:
    """Verify an export file on its own: chain, signatures, payloads, with no database.

    Without ``public_key`` the key named in the file's header is used, which proves only that the
    file is consistent; an auditor passes the key they got from the förbund.
    """
    if isinstance(public_key, str):
        public_key = load_public_key(public_key)
    report = VerificationReport()
    streams: set[str] = set()
    running: tuple[int, bytes] | None = None
    closed = True
    problem: Problem | None = None
    seal = hashlib.sha256()
    sealed = False
    versions: dict[str, int] = {}
    with open(path, encoding="utf-8", newline="\n") as lines:
        for number, text in enumerate(lines, start=1):
            line = json.loads(text)
            kind = line.get("kind")
            if sealed:
                problem = Problem(f"rad {number}: rader efter förseglingen")
                break
            if kind == "seal":
                digest = seal.digest()
                if (
                    public_key is None
                    or digest.hex() != line.get("sha256")
                    or line.get("lines") != number - 1
                    or not is_valid_signature(public_key, bytes.fromhex(line["signature"]), _SEAL_DOMAIN + digest)
                ):
                    problem = Problem(
                        f"rad {number}: förseglingen stämmer inte: rader har lagts till, tagits bort eller ändrats"
                    )
                    break
                report.signatures_checked += 1
                sealed = True
                continue
            seal.update(text.encode("utf-8"))
            if kind == "header":
                if line.get("format") != FORMAT:
                    problem = Problem(f"rad {number}: okänt format {line.get('format')!r}")
                    break
                if public_key is None and line.get("public_key"):
                    public_key = load_public_key(line["public_key"])
                continue
            position = int(line["position"])
            if kind == "checkpoint":
                head = SignedHead(
                    position,
                    bytes.fromhex(line["hash"]),
                    datetime.fromisoformat(line["signed_at"]),
                    bytes.fromhex(line["signature"]),
                    line["key_id"],
                )
                report.heads += 1
                report.last_head = head
                if public_key is None or not is_valid_signature(public_key, head.signature, head.message()):
                    problem = Problem(
                        f"rad {number}: kontrollpunktens signatur är ogiltig"
                        + (f" (nyckel {key_id(public_key)})" if public_key else " (ingen publik nyckel)"),
                        position,
                    )
                    break
                report.signatures_checked += 1
                if not closed:
                    assert running is not None
                    if running != (position, head.log_hash):
                        problem = Problem(
                            f"rad {number}: händelserna före kontrollpunkten ger inte dess hashvärde", position
                        )
                        break
                elif running is not None and position < running[0]:
                    problem = Problem(f"rad {number}: kontrollpunkterna står i fel ordning", position)
                    break
                running, closed = (position, head.log_hash), True
                continue
            if running is None and not closed:
                problem = Problem(f"rad {number}: kedjan saknar början", position)
                break
            prev = running[1] if running is not None else GENESIS
            if running is not None and position <= running[0]:
                problem = Problem(f"rad {number}: positionerna står i fel ordning", position)
                break
            if kind == "leaf":
                leaf = bytes.fromhex(line["leaf"])
            elif kind == "event":
                state = line["state"].encode("utf-8")
                stream = UUID(line["stream"])
                leaf = leaf_hash(position, stream.bytes, int(line["version"]), line["topic"], state)
                where = (position, stream, int(line["version"]))
                if json.loads(line["state"]) != line["payload"]:
                    problem = Problem(f"rad {number}: payload skiljer sig från de lagrade byten", *where)
                    break
                if leaf.hex() != line["leaf"] or chain_hash(prev, leaf).hex() != line["hash"]:
                    problem = Problem(f"rad {number}: händelsens innehåll har ändrats: hashvärdet stämmer inte", *where)
                    break
                if versions.get(line["stream"], 0) + 1 != int(line["version"]):
                    problem = Problem(f"rad {number}: strömmens föregående version saknas i filen", *where)
                    break
                versions[line["stream"]] = int(line["version"])
                report.events += 1
                streams.add(line["stream"])
            else:
                problem = Problem(f"rad {number}: okänd radtyp {kind!r}", position)
                break
            running, closed = (position, chain_hash(prev, leaf)), False
    if problem is None and not closed:
        problem = Problem("filen slutar utan en kontrollpunkt efter de sista händelserna")
    if problem is None and not sealed:
        problem = Problem("filen saknar försegling: den kan vara avkortad")
    report.streams = len(streams)
    if problem is not None:
        report.problems.append(problem)
    return report
