"""The hook that chains and signs every write: a recorder that extends eventsourcing's own.

:func:`audited_recorder` builds the store's usual application recorder and gives it a subclass
that, inside the transaction that inserts the events, reads the last chain hash, computes the new
events' hashes (see :mod:`finsam_core.audit.chain`), writes them and signs the new head. A write
therefore records its events and their chain entries together or not at all. The write's actor
(``save(..., actor=Actor(...))``: eventsourcing passes ``save``'s keyword arguments down to the
recorder) is stored in the same transaction and hashed into each of its events' leaves.

On PostgreSQL that transaction is finsam's own (``_Postgres.insert_events``): no pipeline mode, the
rows as binary arrays, and bounded by :class:`~finsam_core.stores.WriteBounds`, so one write can
neither hang with the events lock held nor keep it for long.

A store that already holds events without chain entries (written before the audit trail existed)
is adopted at its next write: the chain starts at position 1 and covers those events too, and the
first signed head vouches for them from that moment on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, Final

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL, Composed, Identifier, Literal

from finsam_core.audit.actor import Actor, encode_actor
from finsam_core.audit.chain import ActorRange
from finsam_core.audit.keys import load_or_create_signing_key
from finsam_core.audit.signer import SignerState, Written, sign_pending
from finsam_core.audit.storage import (
    AuditStorage,
    PopoAuditStorage,
    PostgresAuditStorage,
    SQLiteAuditStorage,
)
from finsam_core.errors import StoreUnavailable
from finsam_core.stores import WriteBounds, write_refusal

__all__ = ["WriteHook", "audit_storage", "audited_recorder", "chain_write"]

_log = logging.getLogger(__name__)

WriteHook = Callable[[Any, Sequence[int]], None]
"""``hook(cursor, positions)``, run in a write's own transaction after its events (``also=`` of ``Finsam.run``)."""

_ATTEMPTS: Final = 3
_RETRY_WITHIN_SECONDS: Final = 1.0
"""Only a write that failed this quickly (a stale pooled connection) is tried again."""
_RETRY_WAIT_SECONDS: Final = 0.2
_TRANSACTION_TIMEOUT_SINCE: Final = 170_000
"""``transaction_timeout`` came with PostgreSQL 17."""


@cache
def _prologue_statements(
    schema: str, table: str, channel: str, bounds: WriteBounds, transaction_timeout: bool
) -> tuple[SQL | Composed, ...]:
    """The write's transaction, its bounds and the notification (no lock yet)."""
    write_ms = Literal(max(1, round(bounds.write_timeout_seconds * 1000)))
    statements: list[SQL | Composed] = [
        SQL("BEGIN"),
        SQL("SET LOCAL lock_timeout = {}").format(Literal(max(1, round(bounds.lock_timeout_seconds * 1000)))),
        SQL("SET LOCAL statement_timeout = {}").format(write_ms),
    ]
    if transaction_timeout:
        statements.append(SQL("SET LOCAL transaction_timeout = {}").format(write_ms))
    statements.append(SQL("NOTIFY {}").format(Identifier(channel)))
    return tuple(statements)


@cache
def _prologue(schema: str, table: str, channel: str, bounds: WriteBounds, transaction_timeout: bool) -> Composed:
    """The write's first round trip: :func:`_prologue_statements` as one query."""
    return SQL("; ").join(_prologue_statements(schema, table, channel, bounds, transaction_timeout))


@cache
def _insert(schema: str, table: str, originator_id_type: str) -> Composed:
    """The events' and the actor's insert from binary arrays (``%b``), in order, returning the positions.

    The writers' lock (so that positions commit in order, what eventsourcing's ``LOCK TABLE ... IN
    EXCLUSIVE MODE`` is for) is taken inside this statement, by a one-time filter evaluated before
    the first row draws its position: a write holds it for the rest of this statement and its
    commit, one round trip, never while Python computes. It is a transaction-level advisory lock
    keyed by the table: the statement already holds the table's ``ROW EXCLUSIVE`` lock when the
    filter runs, so taking ``EXCLUSIVE`` there would deadlock two writers. A session that holds
    the table's ``EXCLUSIVE`` lock still keeps every writer out.
    """
    events = SQL("{}.{}").format(Identifier(schema), Identifier(table))
    return SQL(
        "WITH inserted AS (INSERT INTO {} (originator_id, originator_version, topic, state) "
        "SELECT * FROM unnest(%b::{}[], %b::bigint[], %b::text[], %b::bytea[]) "
        "WHERE (SELECT {}.finsam_lock_writes({}::regclass)) RETURNING notification_id), "
        "actor AS (INSERT INTO {} SELECT min(notification_id), max(notification_id), %b::bytea FROM inserted "
        "HAVING %b::bytea IS NOT NULL) "
        "SELECT notification_id FROM inserted ORDER BY notification_id"
    ).format(
        events,
        SQL(originator_id_type),
        Identifier(schema),
        Literal(f'"{schema}"."{table}"'),
        SQL("{}.{}").format(Identifier(schema), Identifier(f"{table}_audit_actors")),
    )


@cache
def _signer_statements(schema: str, table: str, wait: bool) -> tuple[SQL | Composed, ...]:
    """The signer's transaction, its lock (``got``: 'true', 'false' or '' when waited for) and the last head.

    One signer at a time per store: a transaction-level advisory lock keyed by the events table.
    The last head is read after the lock (each statement sees what committed before it).
    """
    function = SQL("pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock")
    chain = SQL("{}.{}").format(Identifier(schema), Identifier(f"{table}_audit_chain"))
    return (
        SQL("BEGIN"),
        SQL("SELECT {}(hashtext({}))::text AS got").format(function, Literal(f"finsam-signer:{schema}.{table}")),
        SQL("SELECT position, hash FROM {} ORDER BY position DESC LIMIT 1").format(chain),
    )


@cache
def _signer_start(schema: str, table: str, wait: bool, commit: bool) -> Composed:
    """The signer's first round trip as one query, after the write's ``COMMIT`` if ``commit``.

    Three results follow the commands: none, the lock's ``got``, the last chain row.
    """
    statements: list[SQL | Composed] = [SQL("COMMIT")] if commit else []
    statements += _signer_statements(schema, table, wait)
    return SQL("; ").join(statements)


_PIPELINED_BYTES: Final = 64 * 1024
"""Writes up to this size are sent in one flight (psycopg's pipeline mode): the writers' lock is then
held only while the server runs the insert and the commit, never while a client waits to be scheduled.
Larger ones are not: psycopg 3.3's pipeline can stop sending in the middle of a message larger than
the socket's buffer (see :class:`_Postgres`)."""


def _rollback(conn: Any) -> None:
    """End a transaction begun by hand (``BEGIN`` in a query) after a failure, if the connection still can."""
    try:
        if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
            conn.execute("ROLLBACK")
    except psycopg.Error:
        pass  # A broken connection: the pool discards it, the server rolls back.


def chain_write(
    storage: AuditStorage,
    handle: Any,
    key: Ed25519PrivateKey,
    stored: Sequence[StoredEvent],
    ids: Sequence[int],
    actor: Actor | None = None,
) -> None:
    """Record the actor of the events just inserted at ``ids``, then chain and sign (in one transaction)."""
    if not stored:
        return
    made_by = None if actor is None else ActorRange(ids[0], ids[-1], encode_actor(actor))
    if made_by is not None:
        storage.write_actor(handle, made_by)
    sign_pending(storage, handle, key, signer_state(storage), Written(ids, stored, made_by))


def signer_state(storage: AuditStorage) -> SignerState:
    """The signer's memory kept with a recorder's storage between runs."""
    state = getattr(storage, "signer_state", None)
    if state is None:
        state = SignerState()
        storage.signer_state = state  # type: ignore[attr-defined]
    return state


def _no_hooks(kwargs: Mapping[str, Any]) -> None:
    if kwargs.get("also"):
        raise NotImplementedError("Write hooks (also=) run in PostgreSQL stores only.")


def _actor(kwargs: Mapping[str, Any]) -> Actor | None:
    actor = kwargs.get("actor")
    if actor is not None and not isinstance(actor, Actor):
        raise TypeError(f"actor must be a finsam_core.audit.actor.Actor, not {type(actor).__name__}")
    return actor


#: The advisory lock key under which finsam creates its tables (any fixed bigint; "finsam" in ASCII).
_CREATE_TABLES_LOCK = 0x66696E73616D


@contextmanager
def _creating_tables(datastore: object) -> Iterator[None]:
    """Create tables one application at a time on a PostgreSQL store (elsewhere: no lock needed).

    PostgreSQL answers concurrent ``CREATE ... IF NOT EXISTS`` of one object (and eventsourcing's
    ``CREATE TYPE``) with "tuple concurrently updated" or a unique violation on its catalogue, so
    applications or service workers started at once would fail. A transaction of its own holds a
    transaction-level advisory lock while the tables are created on the pool's other connections.
    """
    if not isinstance(datastore, PostgresDatastore):
        yield
        return
    with datastore.transaction(commit=True) as lock:
        lock.execute("SELECT pg_advisory_xact_lock(%s)", (_CREATE_TABLES_LOCK,))
        yield


class _SQLite(SQLiteApplicationRecorder):
    audit: AuditStorage
    audit_key: Ed25519PrivateKey

    def create_table(self) -> None:
        super().create_table()
        self.audit.create_tables()

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        _no_hooks(kwargs)
        chain_write(self.audit, c, self.audit_key, stored_events, ids, _actor(kwargs))
        return ids


def _read_once(method: Any, *args: Any, **kwargs: Any) -> Any:
    """``method`` without eventsourcing's retry decorator, tried again only after a failure within a second."""
    unwrapped = getattr(method, "__wrapped__", method)
    for attempt in range(1, _ATTEMPTS + 1):
        started = time.monotonic()
        try:
            return unwrapped(*args, **kwargs)
        except (InterfaceError, OperationalError):
            if time.monotonic() - started >= _RETRY_WITHIN_SECONDS or attempt == _ATTEMPTS:
                raise
            time.sleep(_RETRY_WAIT_SECONDS * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


class _Postgres(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder with the chain, writing without pipeline mode and within bounds.

    eventsourcing 9.5 sends the lock, the insert and a Sync in psycopg's pipeline mode. psycopg 3.3's
    pipeline loop stops writing once its queue of commands is empty even if the socket took only
    part of the last message, and then waits for results: an insert larger than the socket buffer
    (about 200 kB on a local socket) is never sent in full, the server waits for the rest with the
    events lock held, and every other write queues behind it for ever. Outside pipeline mode psycopg
    sends every byte of a statement before it reads (docs/security.md, "Writes cannot freeze the store").
    """

    audit: AuditStorage
    audit_key: Ed25519PrivateKey
    write_bounds: WriteBounds

    def create_table(self) -> None:
        with _creating_tables(self.datastore):
            super().create_table()
            self.audit.create_tables()

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Record, chain and sign ``stored_events`` in one short transaction, or raise and record nothing.

        Everything is encoded before the transaction. A connection that fails at once (a stale one
        from the pool) is tried again; a write that ran into a bound is not.
        """
        if not stored_events:
            return None
        # Four binary arrays rather than eventsourcing's array of a composite type: psycopg writes
        # that as text, the state in hex inside quoted records, which for a 6 MB event cost half a
        # second in a regular expression and as long again in the server's parser, under the lock.
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        for attempt in range(1, _ATTEMPTS + 1):
            started = time.monotonic()
            try:
                return self._write(stored_events, columns, _actor(kwargs), kwargs.get("also", ()))
            except PersistenceError as exc:
                refusal = write_refusal(exc, self.write_bounds)
                if refusal is None:
                    raise
                failed_at_once = time.monotonic() - started < _RETRY_WITHIN_SECONDS
                if refusal.retryable and failed_at_once and attempt < _ATTEMPTS:
                    time.sleep(_RETRY_WAIT_SECONDS * attempt)
                    continue
                raise StoreUnavailable(refusal.message) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # eventsourcing retries its reads ten times over a database that is away, each attempt waiting
    # for a pooled connection: a request hung for up to 20 s and then, the database back, succeeded
    # while the client had long given up. Here a read is tried again only after a failure within
    # _RETRY_WITHIN_SECONDS (a stale pooled connection); otherwise the error goes to the caller at once.

    def select_events(self, *args: Any, **kwargs: Any) -> Any:
        return _read_once(PostgresApplicationRecorder.select_events, self, *args, **kwargs)

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        return _read_once(PostgresApplicationRecorder.select_notifications, self, *args, **kwargs)

    def max_notification_id(self) -> int | None:
        result: int | None = _read_once(PostgresApplicationRecorder.max_notification_id, self)
        return result

    def _write(
        self,
        stored_events: Sequence[StoredEvent],
        columns: tuple[list[Any], ...],
        actor: Actor | None,
        also: Sequence[WriteHook],
    ) -> list[int]:
        schema, table, channel = self.datastore.schema, self.events_table_name, self.channel_name
        made_by = None if actor is None else encode_actor(actor)
        insert = _insert(schema, table, self.datastore.originator_id_type)
        small = not also and sum(len(state) for state in columns[3]) <= _PIPELINED_BYTES
        with self.datastore.get_connection() as conn:
            modern = conn.info.server_version >= _TRANSACTION_TIMEOUT_SINCE
            self._writes_unsigned += 1
            late = self.sign_within_seconds > 0 and time.monotonic() >= self._sign_by
            sign = self._writes_unsigned >= self.sign_every or late
            curs = conn.cursor()
            try:
                if small:
                    # One flight: BEGIN, the bounds, NOTIFY, the insert (which takes the writers'
                    # lock), COMMIT, and the signer's BEGIN, lock and last head.
                    # No transaction_timeout here: the whole transaction is one flight the server runs
                    # without waiting for the client, and it would end the session (not only the
                    # statement) when it fires together with statement_timeout.
                    got, head = conn.cursor(), conn.cursor()
                    with conn.pipeline():
                        for statement in _prologue_statements(schema, table, channel, self.write_bounds, False):
                            conn.execute(statement)
                        curs.execute(insert, (*columns, made_by, made_by))
                        conn.execute("COMMIT")
                        if sign:
                            begin, lock, last = _signer_statements(schema, table, False)
                            conn.execute(begin)
                            got.execute(lock)
                            head.execute(last)
                    ids = [row["notification_id"] for row in curs.fetchall()]
                    if sign:
                        self._sign_with(
                            conn, got.fetchone(), head.fetchone(), self._written(ids, stored_events, made_by)
                        )
                    return ids
                # Round trips: BEGIN with the bounds; the insert, which takes the writers' lock; COMMIT.
                # When the signer runs, it shares the COMMIT's round trip (its BEGIN, lock and last head).
                curs.execute(_prologue(schema, table, channel, self.write_bounds, modern))
                curs.execute(insert, (*columns, made_by, made_by))
                ids = [row["notification_id"] for row in curs.fetchall()]
                for hook in also:
                    hook(curs, ids)
                if sign:
                    curs.execute(_signer_start(schema, table, False, True))
                else:
                    curs.execute("COMMIT")
            except BaseException:
                self._writes_unsigned -= 1
                _rollback(conn)
                raise
            if sign:
                self._sign(conn, curs, self._written(ids, stored_events, made_by))
        return ids

    @staticmethod
    def _written(ids: Sequence[int], stored_events: Sequence[StoredEvent], made_by: bytes | None) -> Written:
        return Written(ids, stored_events, None if made_by is None else ActorRange(ids[0], ids[-1], made_by))

    _writes_unsigned = 0
    _sign_by = 0.0
    sign_every = 1
    sign_within_seconds = 0.0

    def _sign(self, conn: Any, curs: Any, written: Written | None = None) -> None:
        """Chain and sign what was written since the last head, after the write committed.

        ``curs`` has run :func:`_signer_start`. Holds only the signer's lock: writers go on meanwhile.
        A signer already at work (the lock not got) is left to it: this one's writes are signed by
        that signer if it sees them (it goes round again while new events arrive, three times at
        most), else by this recorder's next write or :meth:`sign_now`. A failure here leaves the
        write recorded and the next signer run covers it (``finsam verify`` reports events that no
        head covers until then).
        """
        try:
            while curs.description is None or "got" not in [c.name for c in curs.description]:
                if not curs.nextset():
                    raise AssertionError("the signer's first query gave no lock result")
            got = curs.fetchone()
            curs.nextset()
            row = curs.fetchone()
        except (PersistenceError, psycopg.Error):
            _rollback(conn)
            _log.warning("Signing the audit trail failed; the next write signs what this one left", exc_info=True)
            return
        except BaseException:
            _rollback(conn)
            raise
        self._sign_with(conn, got, row, written)

    def _sign_with(self, conn: Any, got: Any, row: Any, written: Written | None) -> None:
        """The signer, its lock tried (``got``) and the last chain row read (``row``) in its transaction."""
        curs = conn.cursor()
        try:
            if got is None or got["got"] == "false":
                curs.execute("COMMIT")
                return
            last: tuple[int, bytes] | bool | None = None if row is None else (int(row["position"]), bytes(row["hash"]))
            state = signer_state(self.audit)
            for _ in range(3):
                if sign_pending(self.audit, curs, self.audit_key, state, written, last) is None:
                    break
                written, last = None, True
            curs.execute("COMMIT")
        except (PersistenceError, psycopg.Error):
            _rollback(conn)
            _log.warning("Signing the audit trail failed; the next write signs what this one left", exc_info=True)
            return
        except BaseException:
            _rollback(conn)
            raise
        self._writes_unsigned = 0
        self._sign_by = time.monotonic() + self.sign_within_seconds

    def sign_now(self) -> None:
        """Sign what this recorder wrote and has not signed yet (before a verification, at close)."""
        if self._writes_unsigned:
            schema, table = self.datastore.schema, self.events_table_name
            with self.datastore.get_connection() as conn:
                curs = conn.cursor()
                try:
                    curs.execute(_signer_start(schema, table, True, False))
                except BaseException:
                    _rollback(conn)
                    raise
                self._sign(conn, curs)


class _Popo(POPOApplicationRecorder):
    audit: AuditStorage
    audit_key: Ed25519PrivateKey

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._update_table(stored_events, **kwargs)
        assert ids is not None
        _no_hooks(kwargs)
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
    with _creating_tables(getattr(factory, "datastore", None)):
        recorder = factory.application_recorder()
        audited = _AUDITED.get(type(recorder))
        if audited is None:
            raise TypeError(f"The audit trail does not know the recorder {type(recorder).__name__}.")
        storage = audit_storage(recorder)
        recorder.__class__ = audited
        recorder.audit = storage  # type: ignore[attr-defined]
        storage.create_tables()  # The factory created the event tables before the class changed.
    recorder.audit_key = load_or_create_signing_key((env or {}).get("FINSAM_SIGNING_KEY") or None)  # type: ignore[attr-defined]
    if isinstance(recorder, _Postgres):
        settings = {**os.environ, **(env or {})}
        recorder.write_bounds = WriteBounds.from_env(env or {})
        recorder.sign_every = max(1, int(settings.get("FINSAM_SIGN_EVERY") or 1))
        recorder.sign_within_seconds = max(0, int(settings.get("FINSAM_SIGN_WITHIN_MS") or 0)) / 1000
    return recorder
