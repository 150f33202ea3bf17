"""The hook that chains and signs every write: a recorder that extends eventsourcing's own.

:func:`audited_recorder` builds the store's usual application recorder and gives it a subclass
that, inside the transaction that inserts the events, reads the last chain hash, computes the new
events' hashes (see :mod:`finsam_core.audit.chain`), writes them and signs the new head. A write
therefore records its events and their chain entries together or not at all. The write's actor
(``save(..., actor=Actor(...))``: eventsourcing passes ``save``'s keyword arguments down to the
recorder) is stored in the same transaction and hashed into each of its events' leaves.

On PostgreSQL that transaction is finsam's own (``_Postgres.insert_events``): a small write is one
message (:func:`_flight`), a large one binary arrays in three round trips, both bounded by
:class:`~finsam_core.stores.WriteBounds`, so one write can neither hang with the events lock held nor
keep it for long. Chaining and signing follow the commit, in a transaction of their own: before the
write returns (``FINSAM_SIGN_WITHIN_MS=0``) or in a background thread that signs the
waiting writes together within ``FINSAM_SIGN_WITHIN_MS`` milliseconds (50, the default) or after
``FINSAM_SIGN_EVERY`` writes (:class:`_SignerQueue`).

A store that already holds events without chain entries (written before the audit trail existed)
is adopted at its next write: the chain starts at position 1 and covers those events too, and the
first signed head vouches for them from that moment on.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
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
def _insert(schema: str, table: str, originator_id_type: str, placeholder: str = "%b") -> Composed:
    """The events' and the actor's insert from arrays, in order, returning the positions.

    ``placeholder`` is ``%b`` (binary parameters, a server-side bound statement) or ``%s`` (bound
    by the client into one simple query, :func:`_flight`).

    The writers' lock (so that positions commit in order, what eventsourcing's ``LOCK TABLE ... IN
    EXCLUSIVE MODE`` is for) is taken inside this statement, by a one-time filter evaluated before
    the first row draws its position: a write holds it for the rest of this statement and its
    commit, never while Python computes. It is a transaction-level advisory lock
    keyed by the table: the statement already holds the table's ``ROW EXCLUSIVE`` lock when the
    filter runs, so taking ``EXCLUSIVE`` there would deadlock two writers. A session that holds
    the table's ``EXCLUSIVE`` lock still keeps every writer out.
    """
    events = SQL("{}.{}").format(Identifier(schema), Identifier(table))
    p = placeholder
    return SQL(
        "WITH inserted AS (INSERT INTO {} (originator_id, originator_version, topic, state) "
        f"SELECT * FROM unnest({p}::{{}}[], {p}::bigint[], {p}::text[], {p}::bytea[]) "
        "WHERE (SELECT {}.finsam_lock_writes({}::regclass)) RETURNING notification_id), "
        f"actor AS (INSERT INTO {{}} SELECT min(notification_id), max(notification_id), {p}::bytea FROM inserted "
        f"HAVING {p}::bytea IS NOT NULL) "
        "SELECT notification_id FROM inserted ORDER BY notification_id"
    ).format(
        events,
        SQL(originator_id_type),
        Identifier(schema),
        Literal(f'"{schema}"."{table}"'),
        SQL("{}.{}").format(Identifier(schema), Identifier(f"{table}_audit_actors")),
    )


_SIGNER_LOCK_TIMEOUT_MS: Final = 10_000
"""How long a signer that waits for the signer's lock (the background signer, a flush) waits at most."""


@cache
def _signer_statements(schema: str, table: str, wait: bool) -> tuple[SQL | Composed, ...]:
    """The signer's transaction, its lock (``got``: 'true', 'false' or '' when waited for) and the last head.

    One signer at a time per store: a transaction-level advisory lock keyed by the events table.
    The last head is read after the lock (each statement sees what committed before it).
    """
    function = SQL("pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock")
    chain = SQL("{}.{}").format(Identifier(schema), Identifier(f"{table}_audit_chain"))
    bound = [SQL("SET LOCAL lock_timeout = {}").format(Literal(_SIGNER_LOCK_TIMEOUT_MS))] if wait else []
    return (
        SQL("BEGIN"),
        *bound,
        SQL("SELECT {}(hashtext({}))::text AS got").format(function, Literal(f"finsam-signer:{schema}.{table}")),
        SQL("SELECT position, hash FROM {} ORDER BY position DESC LIMIT 1").format(chain),
    )


@cache
def _signer_start(schema: str, table: str, wait: bool, commit: bool) -> Composed:
    """The signer's first round trip as one query, after the write's ``COMMIT`` if ``commit``.

    The results follow the commands: none, the lock's ``got``, the last chain row.
    """
    statements: list[SQL | Composed] = [SQL("COMMIT")] if commit else []
    statements += _signer_statements(schema, table, wait)
    return SQL("; ").join(statements)


@cache
def _flight(
    schema: str, table: str, channel: str, originator_id_type: str, bounds: WriteBounds, sign: bool
) -> Composed:
    """A small write as one simple query, its parameters bound by the client: one message, one round trip.

    ``BEGIN``, the bounds, ``NOTIFY``, the insert (which takes the writers' lock), ``COMMIT`` and,
    if ``sign``, the signer's ``BEGIN``, lock (tried) and last head. The server has the whole
    transaction before it starts it, so the writers' lock is held only while the server runs the
    insert and the commit, never while the client is being scheduled. (psycopg's pipeline mode,
    used before, sends each statement as Python issues it: under load the server waited, lock
    held, for the ``COMMIT`` of a client that had lost its core.)
    No ``transaction_timeout`` here: the server runs the transaction without waiting for the
    client, and it would end the session (not only the statement) when it fires together with
    ``statement_timeout``.
    """
    statements = [
        *_prologue_statements(schema, table, channel, bounds, False),
        _insert(schema, table, originator_id_type, "%s"),
        SQL("COMMIT"),
    ]
    if sign:
        statements += _signer_statements(schema, table, False)
    return SQL("; ").join(statements)


_SIGN_WITHIN_MS: Final = 50
"""Default ``FINSAM_SIGN_WITHIN_MS``: the background signer signs a committed write within 50 ms (plus its own
run), several writes under one head; 0 signs every write before the write returns. A verifier in another
process waits for the writers' signers before it reads the log (``verify.await_signatures``), so events
inside the window are neither named as tampering nor trusted (docs/audit.md)."""
_SIGN_EVERY: Final = 100
"""Default ``FINSAM_SIGN_EVERY``: the background signer also runs as soon as this many writes wait."""

_PIPELINED_BYTES: Final = 64 * 1024
"""Writes up to this size are sent in one message (:func:`_flight`), the parameters bound as literals by
the client. Larger ones go as a bound statement with binary parameters (three round trips), where the
server parses no hex."""


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
        small = not also and sum(len(state) for state in columns[3]) <= _PIPELINED_BYTES
        sync = self.sign_within_seconds <= 0
        queue = self._signer_queue()
        with self.datastore.get_connection() as conn:
            try:
                if small:
                    # One message: the write and, when signing now, the signer's start (_flight).
                    curs: Any = psycopg.ClientCursor(conn)
                    flight = _flight(schema, table, channel, self.datastore.originator_id_type, self.write_bounds, sync)
                    curs.execute(flight, (*columns, made_by, made_by))
                    while curs.description is None or curs.description[0].name != "notification_id":
                        if not curs.nextset():
                            raise AssertionError("the write gave no positions")
                    ids = [row["notification_id"] for row in curs.fetchall()]
                else:
                    # Round trips: BEGIN with the bounds; the insert, which takes the writers' lock;
                    # COMMIT, with the signer's BEGIN, lock and last head when signing now.
                    modern = conn.info.server_version >= _TRANSACTION_TIMEOUT_SINCE
                    curs = conn.cursor()
                    curs.execute(_prologue(schema, table, channel, self.write_bounds, modern))
                    curs.execute(
                        _insert(schema, table, self.datastore.originator_id_type), (*columns, made_by, made_by)
                    )
                    ids = [row["notification_id"] for row in curs.fetchall()]
                    for hook in also:
                        hook(curs, ids)
                    curs.execute(_signer_start(schema, table, False, True) if sync else "COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            written = self._written(ids, stored_events, made_by)
            signed = False
            if sync:
                # Signed before the call returns unless another signer (thread or process) is at work:
                # then the background signer waits for it and signs this write after.
                if queue.signing.acquire(blocking=False):
                    try:
                        signed = self._sign(conn, curs, [written]) is True
                    finally:
                        queue.signing.release()
                else:
                    _rollback(conn)
        if not signed:
            queue.add(written)
        return ids

    @staticmethod
    def _written(ids: Sequence[int], stored_events: Sequence[StoredEvent], made_by: bytes | None) -> Written:
        return Written(ids, stored_events, None if made_by is None else ActorRange(ids[0], ids[-1], made_by))

    sign_every = 100
    sign_within_seconds = 0.0
    _queue: _SignerQueue | None = None

    def _signer_queue(self) -> _SignerQueue:
        queue = self._queue
        if queue is None:
            with _QUEUES_LOCK:
                queue = self._queue
                if queue is None:
                    queue = self._queue = _SignerQueue(self)
                    _LIVE.add(self)
        return queue

    def _sign(self, conn: Any, curs: Any, batch: Sequence[Written]) -> bool | None:
        """Chain and sign what was written since the last head, after the write committed.

        ``curs`` has run the signer's start (:func:`_signer_statements`); the caller holds the
        queue's ``signing`` lock. The transaction holds only the signer's advisory lock: writers
        go on meanwhile. False if that lock was not got (another signer is at work), None if signing
        failed: the caller then leaves ``batch`` to the background signer. A failure leaves the writes
        recorded; ``finsam verify`` reports events that no head covers as waiting for a signature.
        """
        try:
            while curs.description is None or curs.description[0].name != "got":
                if not curs.nextset():
                    raise AssertionError("the signer's first query gave no lock result")
            got = curs.fetchone()
            curs.nextset()
            row = curs.fetchone()
            signer = conn.cursor()
            last = None if row is None else (int(row["position"]), bytes(row["hash"]))
            if got is None or got["got"] == "false":
                signer.execute("COMMIT")
                # Another signer is at work: done if a head already covers the batch.
                return last is not None and all(w.ids[-1] <= last[0] for w in batch if w.ids)
            sign_pending(self.audit, signer, self.audit_key, signer_state(self.audit), batch, last)
            signer.execute("COMMIT")
        except (PersistenceError, psycopg.Error):
            _rollback(conn)
            _log.warning("Signing the audit trail failed; the background signer tries again", exc_info=True)
            return None
        except BaseException:
            _rollback(conn)
            raise
        return True

    def _sign_batch(self, batch: Sequence[Written], wait: bool = True) -> bool | None:
        """Sign ``batch`` and whatever else is unsigned, waiting for the signer lock (the caller holds ``signing``)."""
        with self.datastore.get_connection() as conn:
            curs = conn.cursor()
            try:
                curs.execute(_signer_start(self.datastore.schema, self.events_table_name, wait, False))
            except BaseException:
                _rollback(conn)
                raise
            return self._sign(conn, curs, batch)

    def sign_now(self) -> None:
        """Sign what this recorder wrote and has not signed yet (before a verification, at close, at exit).

        Waits for a background run in progress, so that every write this recorder returned from is
        covered by a signed head when this returns (unless the store fails: then it logs and the
        events stay waiting for the next signer run).
        """
        queue = self._queue
        if queue is None or threading.current_thread() is queue.thread:
            return  # (An application collected inside the signer's own run: that run signs.)
        with queue.signing:
            batch = queue.take()
            if batch or queue.gave_up:
                try:
                    signed = self._sign_batch(batch)
                except PersistenceError:  # The store is away or closed: the next signer run covers them.
                    _log.warning("Signing what this application wrote failed", exc_info=True)
                    signed = None
                if signed is True:
                    queue.gave_up = False
                else:
                    queue.put_back(batch)


_IDLE_SECONDS: Final = 2.0
"""A background signer with nothing to sign for this long ends; the next write starts another."""
_ATTEMPTS_PER_BATCH: Final = 3
_BUSY_RETRY_SECONDS: Final = 0.02
"""How soon, at the least, the background signer tries the signer's lock again when another signer held it
(after the interval, if longer): the other run signs what it read, so trying sooner would only cost round trips."""


class _SignerQueue:
    """The writes of one PostgreSQL recorder waiting for their signature, and the thread that signs them.

    A write adds itself after its commit. The thread signs once the oldest waiting write is
    ``sign_within_seconds`` old or ``sign_every`` writes wait, whichever comes first, in a
    transaction of its own that waits for the signer's lock (another process's signer may hold it;
    then this run signs what that one left). It ends after :data:`_IDLE_SECONDS` without writes.
    ``signing`` is held by whoever runs the signer for this recorder (the thread, a synchronous
    write, :meth:`_Postgres.sign_now`), so the signer's memory is used by one at a time.
    """

    def __init__(self, recorder: _Postgres) -> None:
        self.recorder = weakref.ref(recorder)
        self.every, self.within = recorder.sign_every, recorder.sign_within_seconds
        self.cond = threading.Condition()
        self.signing = threading.Lock()
        self.pending: list[Written] = []
        self.oldest = 0.0
        self.failures = 0
        self.gave_up = False
        """Writes were left unsigned after failures: a flush then signs whatever is unsigned."""
        self.thread: threading.Thread | None = None

    def add(self, written: Written) -> None:
        with self.cond:
            if not self.pending:
                self.oldest = time.monotonic()
            self.pending.append(written)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="finsam-signer", daemon=True)
                self.thread.start()
            elif len(self.pending) == 1 or len(self.pending) >= self.every:
                # The first write of a batch wakes the thread from its idle wait to time the batch;
                # without it the write waited for the idle timeout (2 s), not the interval.
                self.cond.notify()

    def take(self) -> list[Written]:
        with self.cond:
            batch, self.pending = self.pending, []
            return batch

    def put_back(self, batch: list[Written], *, busy: bool = False) -> None:
        """Return ``batch`` to the front of the queue: due again at once if ``busy``, else after the interval."""
        with self.cond:
            self.pending[:0] = batch
            self.oldest = time.monotonic() - (self.within if busy else 0)

    def _due(self) -> bool:
        """Wait (``cond`` held) until a batch is due; False once idle for :data:`_IDLE_SECONDS` (the thread ends)."""
        while True:
            if self.pending:
                wait = self.oldest + self.within - time.monotonic()
                if len(self.pending) >= self.every or wait <= 0:
                    return True
                self.cond.wait(wait)
            elif not self.cond.wait(_IDLE_SECONDS) and not self.pending:
                self.thread = None
                return False

    def _run(self) -> None:
        while True:
            with self.cond:
                if not self._due():
                    return
            recorder = self.recorder()
            if recorder is None:
                return
            with self.signing:
                batch = self.take()
                try:
                    # The lock is only tried: a signer of another process at work signs these writes if it
                    # read them, else this thread tries again shortly (no pooled connection waits idle).
                    signed = True if not batch else recorder._sign_batch(batch, wait=False)
                except Exception:
                    _log.warning("The background signer failed", exc_info=True)
                    signed = None
            del recorder
            if signed:
                self.failures = 0
                continue
            if signed is False:  # the lock was busy: soon again
                self.put_back(batch, busy=True)
                time.sleep(max(self.within, _BUSY_RETRY_SECONDS))
                continue
            self.failures += 1
            if self.failures < _ATTEMPTS_PER_BATCH:
                self.put_back(batch)
                time.sleep(_RETRY_WAIT_SECONDS * self.failures)
            else:  # The store is away: the next signer run (a write, a flush, a verification) covers them.
                _log.warning("The audit trail's signer gave up on %d writes for now", len(batch))
                self.failures, self.gave_up = 0, True


_QUEUES_LOCK = threading.Lock()
_LIVE: weakref.WeakSet[_Postgres] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    """Sign what every live PostgreSQL recorder of this process left waiting (a CLI that exits without ``close``)."""
    for recorder in list(_LIVE):
        try:
            recorder.sign_now()
        except Exception:  # The store may be closed or away at exit: then the next signer run covers it.
            _log.warning("Signing at exit failed", exc_info=True)


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
        recorder.sign_every = max(1, int(settings.get("FINSAM_SIGN_EVERY") or _SIGN_EVERY))
        within = settings.get("FINSAM_SIGN_WITHIN_MS")
        recorder.sign_within_seconds = max(0, int(within if within not in (None, "") else _SIGN_WITHIN_MS)) / 1000
    return recorder
