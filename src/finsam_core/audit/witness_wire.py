"""The wire format of published heads and leaves, and a witness's sources: HTTP or a store.

``GET /v1/audit/heads?since=P`` answers :class:`WireHeads`; ``GET /v1/audit/leaves?after=A&upto=B``
answers :class:`WireLeaves` (the leaves as one base64 string of 40-byte records: position and leaf).
The service's schemas are these structs, so the format has one definition.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import httpx
import msgspec
from eventsourcing.application import Application

from finsam_core.audit.chain import SignedHead
from finsam_core.audit.publish import MAX_HEADS, MAX_LEAVES, HeadsPage, LeavesPage, published_heads, published_leaves
from finsam_core.errors import InvalidInput

__all__ = ["HttpSource", "Source", "StoreSource", "WireHead", "WireHeads", "WireLeaves", "wire_heads", "wire_leaves"]


class WireHead(msgspec.Struct, frozen=True):
    """A signed head: the chain hash at ``position``, signed by the store's key."""

    position: int
    hash: str
    signed_at: datetime
    signature: str
    key_id: str
    chains: str | None = None
    """The förbund chains' heads this head commits to (hex of 56-byte records); None on old heads."""


class WireHeads(msgspec.Struct, frozen=True):
    """The store's public key, its latest head, and the heads after ``since`` (one page)."""

    public_key: str | None
    key_id: str | None
    latest: WireHead | None
    heads: list[WireHead]
    next_since: int | None
    """Pass as ``since`` for the next page; None on the last page."""


class WireLeaves(msgspec.Struct, frozen=True):
    """Leaves after ``after`` up to ``upto``: 40-byte records (8-byte big-endian position, 32-byte leaf).

    ``records`` travels as base64 in JSON (msgspec's encoding of bytes).
    """

    after: int
    upto: int
    records: bytes
    next_after: int | None
    """Pass as ``after`` for the next page; None when the range is complete."""


def _wire_head(head: SignedHead) -> WireHead:
    chains = None if head.chains is None else head.chains.hex()
    return WireHead(head.position, head.log_hash.hex(), head.signed_at, head.signature.hex(), head.key_id, chains)


def _head(wire: WireHead) -> SignedHead:
    return SignedHead(
        wire.position,
        bytes.fromhex(wire.hash),
        wire.signed_at,
        bytes.fromhex(wire.signature),
        wire.key_id,
        None if wire.chains is None else bytes.fromhex(wire.chains),
    )


def wire_heads(page: HeadsPage) -> WireHeads:
    latest = _wire_head(page.latest) if page.latest is not None else None
    return WireHeads(page.public_key, page.key_id, latest, [_wire_head(h) for h in page.heads], page.next_since)


def wire_leaves(page: LeavesPage) -> WireLeaves:
    return WireLeaves(page.after, page.upto, page.records, page.next_after)


class Source(Protocol):
    """Where a witness reads published heads and leaves."""

    name: str

    def heads(self, since: int, limit: int = MAX_HEADS) -> HeadsPage: ...

    def leaves(self, after: int, upto: int) -> LeavesPage: ...


class StoreSource:
    """A store read directly (the functions the service's routes call)."""

    def __init__(self, app: Application[Any], name: str) -> None:
        self.app, self.name = app, name

    def heads(self, since: int, limit: int = MAX_HEADS) -> HeadsPage:
        return published_heads(self.app, since, limit)

    def leaves(self, after: int, upto: int) -> LeavesPage:
        return published_leaves(self.app, after, upto, MAX_LEAVES)


class HttpSource:
    """A finsam service at ``base_url`` (``https://finsam.example``)."""

    def __init__(self, base_url: str, client: httpx.Client | None = None) -> None:
        self.name = base_url.rstrip("/")
        self.client = client or httpx.Client(timeout=60)

    def _get(self, path: str, params: dict[str, int], kind: type[Any]) -> Any:
        url = f"{self.name}{path}"
        try:
            response = self.client.get(url, params=params)
        except httpx.HTTPError as exc:
            raise InvalidInput(f"Tjänsten {self.name} går inte att nå: {exc}.") from exc
        if response.status_code != 200:
            raise InvalidInput(f"Tjänsten {self.name} svarade {response.status_code} på {path}.")
        try:
            return msgspec.json.decode(response.content, type=kind)
        except msgspec.DecodeError as exc:
            raise InvalidInput(f"Tjänsten {self.name} svarade inte med publicerade kontrollpunkter: {exc}.") from exc

    def heads(self, since: int, limit: int = MAX_HEADS) -> HeadsPage:
        wire: WireHeads = self._get("/v1/audit/heads", {"since": since, "limit": limit}, WireHeads)
        latest = _head(wire.latest) if wire.latest is not None else None
        return HeadsPage(wire.public_key, wire.key_id, latest, [_head(h) for h in wire.heads], wire.next_since)

    def leaves(self, after: int, upto: int) -> LeavesPage:
        wire: WireLeaves = self._get("/v1/audit/leaves", {"after": after, "upto": upto}, WireLeaves)
        return LeavesPage(wire.after, wire.upto, wire.records, wire.next_after)
