"""The hook that chains and signs every write: a recorder that extends eventsourcing's own.

:func:`audited_recorder` builds the store's usual application recorder and gives it a subclass
that, inside the transaction that inserts the events, reads the last chain hash, computes the new
events' hashes (see :mod:`finsam_core.audit.chain`), writes them and signs the new head. A write
therefore records its events and their chain entries together or not at all. The write's actor
(``save(..., actor=Actor(...))``: eventsourcing passes ``save``'s keyword arguments down to the
recorder) is stored in the same transaction and hashed into each of its events' leaves.

A store that already holds events without chain entries (written before the audit trail existed)
is adopted at its next write: the chain starts at position 1 and covers those events too, and the
first signed head vouches for them from that moment on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from finsam_core.audit.actor import Actor, encode_actor
from finsam_core.audit.chain import (
    GENESIS,
    ActorRange,
    ChainRow,
    SignedHead,
    event_hash,
    head_message,
    originator_bytes,
)
from finsam_core.audit.keys import key_id, load_or_create_signing_key
from finsam_core.audit.storage import (
    AuditStorage,
    PopoAuditStorage,
    PostgresAuditStorage,
    SQLiteAuditStorage,
)

__all__ = ["audit_storage", "audited_recorder", "chain_write"]


def chain_write(
    storage: AuditStorage,
    handle: Any,
    key: Ed25519PrivateKey,
    stored: Sequence[StoredEvent],
    ids: Sequence[int],
    actor: Actor | None = None,
) -> None:
    """Chain the events just inserted at positions ``ids`` (made by ``actor``) and sign the new head."""
    if not stored:
        return
    last = storage.last_head(handle)
    after, prev = last if last is not None else (0, GENESIS)
    rows = []
    if ids[0] > after + 1:  # Events the chain does not cover yet: adopt them (they have no actor).
        for position, originator_id, version, topic, state in storage.events_between(handle, after, ids[0] - 1):
            oid = originator_bytes(originator_id)
            prev = event_hash(prev, position, oid, version, topic, bytes(state))
            rows.append(ChainRow(position, UUID(bytes=oid), version, prev))
    made_by = None if actor is None else ActorRange(ids[0], ids[-1], encode_actor(actor))
    digest = None if made_by is None else made_by.digest
    for position, s in zip(ids, stored, strict=True):
        oid = originator_bytes(s.originator_id)
        prev = event_hash(prev, position, oid, s.originator_version, s.topic, bytes(s.state), digest)
        rows.append(ChainRow(position, UUID(bytes=oid), s.originator_version, prev))
    signed_at = datetime.now(UTC)
    position = rows[-1].position
    signature = key.sign(head_message(position, prev, signed_at))
    storage.write(handle, rows, SignedHead(position, prev, signed_at, signature, key_id(key)), made_by)


def _actor(kwargs: Mapping[str, Any]) -> Actor | None:
    actor = kwargs.get("actor")
    if actor is not None and not isinstance(actor, Actor):
        raise TypeError(f"actor must be a finsam_core.audit.actor.Actor, not {type(actor).__name__}")
    return actor


class _SQLite(SQLiteApplicationRecorder):
    audit: AuditStorage
    audit_key: Ed25519PrivateKey

    def create_table(self) -> None:
        super().create_table()
        self.audit.create_tables()

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        chain_write(self.audit, c, self.audit_key, stored_events, ids, _actor(kwargs))
        return ids


class _Postgres(PostgresApplicationRecorder):
    audit: AuditStorage
    audit_key: Ed25519PrivateKey

    def create_table(self) -> None:
        super().create_table()
        self.audit.create_tables()

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        assert ids is not None
        chain_write(self.audit, curs, self.audit_key, stored_events, ids, _actor(kwargs))
        return ids


class _Popo(POPOApplicationRecorder):
    audit: AuditStorage
    audit_key: Ed25519PrivateKey

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._update_table(stored_events, **kwargs)
        assert ids is not None
        chain_write(self.audit, None, self.audit_key, stored_events, ids, _actor(kwargs))
        return ids


_AUDITED: dict[type, type] = {
    SQLiteApplicationRecorder: _SQLite,
    PostgresApplicationRecorder: _Postgres,
    POPOApplicationRecorder: _Popo,
}


def audit_storage(recorder: ApplicationRecorder) -> AuditStorage:
    """The chain storage of ``recorder`` (audited or not: a plain one is read as it is)."""
    existing = getattr(recorder, "audit", None)
    if isinstance(existing, AuditStorage):
        return existing
    if isinstance(recorder, SQLiteApplicationRecorder):
        return SQLiteAuditStorage(recorder.datastore, recorder.events_table_name)
    if isinstance(recorder, PostgresApplicationRecorder):
        return PostgresAuditStorage(recorder.datastore, recorder.events_table_name)
    if isinstance(recorder, POPOApplicationRecorder):
        return PopoAuditStorage(recorder)
    raise TypeError(f"The audit trail does not know the recorder {type(recorder).__name__}.")


def audited_recorder(factory: InfrastructureFactory[Any], env: Mapping[str, str] | None = None) -> ApplicationRecorder:
    """The factory's application recorder, extended to chain and sign every write.

    The signing key comes from ``FINSAM_SIGNING_KEY`` in ``env`` (the application's settings) or
    the process environment; see :mod:`finsam_core.audit.keys`.
    """
    recorder = factory.application_recorder()
    audited = _AUDITED.get(type(recorder))
    if audited is None:
        raise TypeError(f"The audit trail does not know the recorder {type(recorder).__name__}.")
    storage = audit_storage(recorder)
    recorder.__class__ = audited
    recorder.audit = storage  # type: ignore[attr-defined]
    storage.create_tables()  # The factory created the event tables before the class changed.
    recorder.audit_key = load_or_create_signing_key((env or {}).get("FINSAM_SIGNING_KEY") or None)  # type: ignore[attr-defined]
    return recorder
