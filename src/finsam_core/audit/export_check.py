"""Verification of an audit export on its own, with no database: as thorough as the store's.

:func:`verify_export` reads the JSON lines :func:`finsam_core.audit.export.export_audit` wrote
and checks, line by line: each event's leaf from its stored bytes, that ``payload`` equals those
bytes, the chain from one signed checkpoint to the next, every checkpoint's signature, stream
versions without gaps, and the seal over every line. Then, as the in-store verification does, it
rebuilds each exported Meeting from its events and checks every minutes signature against it.

A file that cannot be read, or is not an export at all (no header line), raises
:class:`~finsam_core.errors.InvalidInput`; anything wrong inside an export is a
:class:`~finsam_core.audit.problems.Problem` naming the line. Nothing raises anything else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import StoredEvent

from finsam_core.audit.chain import CHAIN_RECORD, GENESIS, SignedHead, chain_genesis, chain_hash, chain_of, leaf_hash
from finsam_core.audit.keys import is_valid_signature, key_id, load_public_key
from finsam_core.audit.minutes_signatures import check_minutes_signatures, is_signable_topic
from finsam_core.audit.problems import Problem, VerificationReport
from finsam_core.errors import FinsamError, InvalidInput
from finsam_core.transcoding import MsgspecMapper, MsgspecTranscoder

__all__ = ["FORMAT", "FORMAT_CHAIN", "SEAL_DOMAIN", "verify_export"]

FORMAT = "finsam-audit-export/1"
"""The walk over the whole log: the förbund's writes whole, others' events as leaves, the log chain."""
FORMAT_CHAIN = "finsam-audit-export/2"
"""Through the förbund's chain: its events only, each with its link, and the heads committing to it."""
SEAL_DOMAIN = b"finsam-audit-export-seal-v1\n"

_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


class _Stop(Exception):
    """The first problem of the file: verification ends there."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.what)
        self.problem = problem


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"fältet {exc.args[0]!r} saknas"
    if isinstance(exc, json.JSONDecodeError):
        return f"ogiltig JSON ({exc.msg}, tecken {exc.pos})"
    if isinstance(exc, UnicodeDecodeError):
        return "raden är inte UTF-8"
    return f"ett fält har fel typ eller värde ({exc})"


class _ExportVerifier:
    """The state of one pass over an export file."""

    def __init__(self, public_key: Ed25519PublicKey | None) -> None:
        self.public_key = public_key
        self.report = VerificationReport()
        self.running: tuple[int, bytes] | None = None
        self.closed = True
        self.seal = hashlib.sha256()
        self.sealed = False
        self.versions: dict[str, int] = {}
        self.streams: dict[UUID, list[StoredEvent]] = {}
        self.form = FORMAT
        self.chain = b""
        self.link = b""
        self.last_event = 0
        self.last_checkpoint = 0

    def line(self, number: int, raw: bytes) -> None:
        try:
            line = json.loads(raw.decode("utf-8"))
            if not isinstance(line, dict):
                raise TypeError("raden är inget JSON-objekt")
            kind = line.get("kind")
            if self.sealed:
                raise _Stop(Problem(f"rad {number}: rader efter förseglingen"))
            if kind == "seal":
                self._seal(number, line)
                return
            self.seal.update(raw)
            if kind == "header":
                self._header(number, line)
            elif self.form == FORMAT_CHAIN and kind == "checkpoint":
                self._chain_checkpoint(number, line)
            elif self.form == FORMAT_CHAIN and kind == "event":
                self._chain_event(number, line)
            elif self.form == FORMAT and kind == "checkpoint":
                self._checkpoint(number, line)
            elif self.form == FORMAT and kind in ("leaf", "event"):
                self._chained(number, kind, line)
            else:
                raise _Stop(Problem(f"rad {number}: okänd radtyp {kind!r}"))
        except _Stop:
            raise
        except (*_MALFORMED, FinsamError) as exc:
            raise _Stop(Problem(f"rad {number}: raden är felaktig: {_describe(exc)}")) from exc

    def _seal(self, number: int, line: dict[str, Any]) -> None:
        digest = self.seal.digest()
        if (
            self.public_key is None
            or digest.hex() != line.get("sha256")
            or line.get("lines") != number - 1
            or not is_valid_signature(self.public_key, bytes.fromhex(line["signature"]), SEAL_DOMAIN + digest)
        ):
            raise _Stop(
                Problem(f"rad {number}: förseglingen stämmer inte: rader har lagts till, tagits bort eller ändrats")
            )
        self.report.signatures_checked += 1
        self.sealed = True

    def _header(self, number: int, line: dict[str, Any]) -> None:
        if number != 1:
            raise _Stop(Problem(f"rad {number}: en rubrikrad mitt i filen"))
        if line.get("format") not in (FORMAT, FORMAT_CHAIN):
            raise _Stop(Problem(f"rad {number}: okänt format {line.get('format')!r}"))
        self.form = str(line["format"])
        if self.form == FORMAT_CHAIN:
            self.chain = UUID(str(line["forbund_id"])).bytes
            self.link = chain_genesis(self.chain)
        if self.public_key is None and line.get("public_key"):
            self.public_key = load_public_key(str(line["public_key"]))

    def _checkpoint(self, number: int, line: dict[str, Any]) -> None:
        head = self._signed_head(number, line)
        position = head.position
        if not self.closed:
            if self.running != (position, head.log_hash):
                raise _Stop(
                    Problem(f"rad {number}: händelserna före kontrollpunkten ger inte dess hashvärde", position)
                )
        elif self.running is not None and position < self.running[0]:
            raise _Stop(Problem(f"rad {number}: kontrollpunkterna står i fel ordning", position))
        self.running, self.closed = (position, head.log_hash), True

    def _chained(self, number: int, kind: str, line: dict[str, Any]) -> None:
        position = int(line["position"])
        if self.running is None and not self.closed:
            raise _Stop(Problem(f"rad {number}: kedjan saknar början", position))
        prev = self.running[1] if self.running is not None else GENESIS
        if self.running is not None and position <= self.running[0]:
            raise _Stop(Problem(f"rad {number}: positionerna står i fel ordning", position))
        if kind == "leaf":
            leaf = bytes.fromhex(line["leaf"])
            if len(leaf) != 32:
                raise ValueError("ett lövhashvärde har 64 hexadecimala tecken")
        else:
            leaf = self._event(number, position, prev, line)
        self.running, self.closed = (position, chain_hash(prev, leaf)), False

    def _event(self, number: int, position: int, prev: bytes, line: dict[str, Any]) -> bytes:
        text, topic, version = line["state"], line["topic"], int(line["version"])
        if not isinstance(text, str) or not isinstance(topic, str):
            raise TypeError("state och topic ska vara text")
        state = text.encode("utf-8")
        stream = UUID(line["stream"])
        where = (position, stream, version)
        if json.loads(text) != line["payload"]:
            raise _Stop(Problem(f"rad {number}: payload skiljer sig från de lagrade byten", *where))
        actor_text = line.get("actor_state")
        if actor_text is not None:
            if not isinstance(actor_text, str):
                raise TypeError("actor_state ska vara text")
            actor = actor_text.encode("utf-8")
            if json.loads(actor_text) != line.get("actor"):
                raise _Stop(Problem(f"rad {number}: actor skiljer sig från den lagrade aktören", *where))
            leaf = leaf_hash(position, stream.bytes, version, topic, state, hashlib.sha256(actor).digest())
        elif line.get("actor") is not None:
            raise _Stop(Problem(f"rad {number}: actor saknar sina lagrade byte (actor_state)", *where))
        else:
            leaf = leaf_hash(position, stream.bytes, version, topic, state)
        if leaf.hex() != line["leaf"] or (self.form == FORMAT and chain_hash(prev, leaf).hex() != line["hash"]):
            raise _Stop(Problem(f"rad {number}: händelsens innehåll har ändrats: hashvärdet stämmer inte", *where))
        if self.versions.get(str(stream), 0) + 1 != version:
            raise _Stop(Problem(f"rad {number}: strömmens föregående version saknas i filen", *where))
        self.versions[str(stream)] = version
        self.report.events += 1
        if version == 1 and is_signable_topic(topic):
            self.streams[stream] = []
        if stream in self.streams:
            self.streams[stream].append(StoredEvent(stream, version, topic, state))
        return leaf

    def _signed_head(self, number: int, line: dict[str, Any]) -> SignedHead:
        position = int(line["position"])
        head = SignedHead(
            position,
            bytes.fromhex(line["hash"]),
            datetime.fromisoformat(line["signed_at"]),
            bytes.fromhex(line["signature"]),
            str(line["key_id"]),
            None if line.get("chains") is None else bytes.fromhex(str(line["chains"])),
        )
        self.report.heads += 1
        self.report.last_head = head
        if self.public_key is None or not is_valid_signature(self.public_key, head.signature, head.message()):
            shown = f" (nyckel {key_id(self.public_key)})" if self.public_key else " (ingen publik nyckel)"
            raise _Stop(Problem(f"rad {number}: kontrollpunktens signatur är ogiltig{shown}", position))
        self.report.signatures_checked += 1
        return head

    def _chain_checkpoint(self, number: int, line: dict[str, Any]) -> None:
        """A head after the förbund's events: it must commit to the chain exactly as recomputed."""
        head = self._signed_head(number, line)
        if head.position <= self.last_checkpoint or head.position < self.last_event:
            raise _Stop(Problem(f"rad {number}: kontrollpunkterna står i fel ordning", head.position))
        committed = None
        if head.chains is not None and len(head.chains) % CHAIN_RECORD.size == 0:
            committed = next(
                (
                    (position, link)
                    for chain, position, link in CHAIN_RECORD.iter_unpack(head.chains)
                    if chain == self.chain
                ),
                None,
            )
        if committed is None and not self.closed:
            raise _Stop(
                Problem(
                    f"rad {number}: kontrollpunkten efter förbundets händelser binder inte dess kedja", head.position
                )
            )
        if committed is not None and committed != (self.last_event, self.link):
            where = committed[0] if committed[0] > self.last_event else head.position
            raise _Stop(
                Problem(
                    f"rad {number}: förbundets kedja ger inte det värde kontrollpunkten binder "
                    f"(position {committed[0]}): händelser saknas eller har ändrats",
                    where,
                )
            )
        self.last_checkpoint, self.closed = head.position, True

    def _chain_event(self, number: int, line: dict[str, Any]) -> None:
        position = int(line["position"])
        if position <= self.last_event or position <= self.last_checkpoint:
            raise _Stop(Problem(f"rad {number}: positionerna står i fel ordning", position))
        stream = UUID(line["stream"])
        version = int(line["version"])
        if version == 1 and chain_of(stream.bytes, str(line["state"]).encode("utf-8")) != self.chain:
            raise _Stop(Problem(f"rad {number}: strömmen hör inte till förbundet", position, stream, version))
        leaf = self._event(number, position, GENESIS, line)
        link = chain_hash(self.link, leaf)
        if link.hex() != line["link"]:
            raise _Stop(
                Problem(
                    f"rad {number}: förbundets kedja stämmer inte: en händelse saknas eller har ändrats",
                    position,
                    stream,
                    version,
                )
            )
        self.link, self.last_event, self.closed = link, position, False

    def end(self) -> None:
        if not self.closed:
            raise _Stop(Problem("filen slutar utan en kontrollpunkt efter de sista händelserna"))
        if not self.sealed:
            raise _Stop(Problem("filen saknar försegling: den kan vara avkortad"))
        self.report.streams = len(self.versions)

    def minutes(self) -> None:
        """Rebuild each exported Meeting from its events and check every minutes signature in it."""
        mapper: MsgspecMapper[UUID] = MsgspecMapper(transcoder=MsgspecTranscoder())

        def decoded(stream: UUID, stored: list[StoredEvent]) -> Iterator[DomainEventProtocol[UUID]]:
            for item in stored:
                try:
                    yield mapper.to_domain_event(item)
                except Exception as exc:  # A payload that hashes right but no longer decodes.
                    raise _Stop(
                        Problem(
                            f"händelsen kan inte läsas som {item.topic}: {exc}", None, stream, item.originator_version
                        )
                    ) from exc

        checked, problems = check_minutes_signatures(
            (stream, decoded(stream, stored)) for stream, stored in self.streams.items()
        )
        self.report.minutes_signatures_checked = checked
        self.report.problems.extend(problems)


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        with path.open("rb") as file:
            yield from enumerate(file, start=1)
    except OSError as exc:
        raise InvalidInput(f"Exportfilen {path} går inte att läsa: {exc.strerror or exc}.") from exc


def verify_export(path: Path | str, public_key: Ed25519PublicKey | str | None = None) -> VerificationReport:
    """Verify an export file on its own: chain, signatures, payloads and minutes, with no database.

    Without ``public_key`` the key named in the file's header is used, which proves only that the
    file is consistent; an auditor passes the key they got from the förbund. Raises
    :class:`InvalidInput` when the file cannot be read or is not an audit export.
    """
    if isinstance(public_key, str):
        public_key = load_public_key(public_key)
    path = Path(path)
    verifier = _ExportVerifier(public_key)
    seen = 0
    try:
        for number, raw in _lines(path):
            seen = number
            if number == 1 and not _is_header(raw):
                raise InvalidInput(
                    f"Filen {path} är ingen revisionsexport från finsam: första raden är ingen rubrik "
                    f"(skapa exporten med finsam export --audit)."
                )
            verifier.line(number, raw)
        if seen == 0:
            raise InvalidInput(f"Filen {path} är tom: ingen revisionsexport.")
        verifier.end()
        verifier.minutes()
    except _Stop as stop:
        verifier.report.problems.append(stop.problem)
    return verifier.report


def _is_header(raw: bytes) -> bool:
    try:
        line = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(line, dict) and line.get("kind") == "header"
