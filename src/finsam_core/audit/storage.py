"""Where the chain is kept: two tables beside the events, written in the same transaction.

``<events>_audit_chain`` holds one row per event (position, stream, version, chain hash);
``<events>_audit_heads`` one signed head per atomic write; ``<events>_audit_actors`` who made
each write that has an actor (first and last position, the actor's bytes). The in-memory store
keeps the same rows in lists. Each storage also reads the events back raw, in log order, for the verifier.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from finsam_core.audit.chain import ActorRange, ChainRow, SignedHead

__all__ = ["AuditStorage", "PopoAuditStorage", "PostgresAuditStorage", "RawEvent", "SQLiteAuditStorage"]

RawEvent = tuple[int, Any, int, str, bytes]
"""(position, originator id as the store keeps it, version, topic, state bytes)."""

_BATCH = 20_000


class AuditStorage(ABC):
    """The chain's rows and the events' raw rows of one store."""

    @abstractmethod
    def create_tables(self) -> None: ...

    @abstractmethod
    def last_head(self, handle: Any) -> tuple[int, bytes] | None:
        """The position and hash of the last chained event, inside the writing transaction."""

    @abstractmethod
    def events_between(self, handle: Any, after: int, upto: int) -> list[RawEvent]:
        """Raw events with ``after < position <= upto`` inside the writing transaction."""

    @abstractmethod
    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, actor: ActorRange | None) -> None: ...

    @abstractmethod
    def iter_events(self, after: int = 0, upto: int | None = None) -> Iterator[RawEvent]:
        """Every stored event in log order, read straight from the table."""

    @abstractmethod
    def chain_rows(self, after: int, upto: int | None) -> list[ChainRow]: ...

    @abstractmethod
    def heads(self) -> list[SignedHead]: ...

    @abstractmethod
    def heads_after(self, after: int, limit: int) -> list[SignedHead]:
        """At most ``limit`` signed heads after position ``after``, in order (for witnesses)."""

    @abstractmethod
    def latest_head(self) -> SignedHead | None: ...

    @abstractmethod
    def actors(self) -> list[ActorRange]:
        """Every write's actor, in log order."""


class SQLiteAuditStorage(AuditStorage):
    def __init__(self, datastore: Any, events_table: str) -> None:
        self.datastore = datastore
        self.events = events_table
        self.chain = f"{events_table}_audit_chain"
        self.head_table = f"{events_table}_audit_heads"
        self.actor_table = f"{events_table}_audit_actors"

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.actor_table} (position INTEGER PRIMARY KEY, "
                "last_position INTEGER NOT NULL, actor BLOB NOT NULL)"
            )
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.chain} (position INTEGER PRIMARY KEY, "
                "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, hash BLOB NOT NULL)"
            )
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.head_table} (position INTEGER PRIMARY KEY, "
                "log_hash BLOB NOT NULL, signed_at TEXT NOT NULL, signature BLOB NOT NULL, "
                "key_id TEXT NOT NULL)"
            )

    def last_head(self, handle: Any) -> tuple[int, bytes] | None:
        handle.execute(f"SELECT position, hash FROM {self.chain} ORDER BY position DESC LIMIT 1")
        row = handle.fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]))

    def events_between(self, handle: Any, after: int, upto: int) -> list[RawEvent]:
        handle.execute(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events} "
            "WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
            (after, upto),
        )
        return [tuple(row) for row in handle.fetchall()]

    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, actor: ActorRange | None) -> None:
        if actor is not None:
            handle.execute(f"INSERT INTO {self.actor_table} VALUES (?,?,?)", (actor.first, actor.last, actor.actor))
        handle.executemany(
            f"INSERT INTO {self.chain} VALUES (?,?,?,?)",
            [(r.position, r.originator_id.hex, r.version, r.hash) for r in rows],
        )
        handle.execute(
            f"INSERT INTO {self.head_table} VALUES (?,?,?,?,?)",
            (head.position, head.log_hash, head.signed_at.isoformat(), head.signature, head.key_id),
        )

    def _select(self, statement: str, params: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        with self.datastore.transaction(commit=False) as wrapper:
            cursor = wrapper.sqlite_cursor
            cursor.execute(statement, params)
            while rows := cursor.fetchmany(_BATCH):
                yield from rows

    def iter_events(self, after: int = 0, upto: int | None = None) -> Iterator[RawEvent]:
        stop = upto if upto is not None else 2**62
        return self._select(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events} "
            "WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
            (after, stop),
        )

    def chain_rows(self, after: int, upto: int | None) -> list[ChainRow]:
        stop = upto if upto is not None else 2**62
        return [
            ChainRow(int(p), UUID(o), int(v), bytes(h))
            for p, o, v, h in self._select(
                f"SELECT position, originator_id, originator_version, hash FROM {self.chain} "
                "WHERE position > ? AND position <= ? ORDER BY position",
                (after, stop),
            )
        ]

    def heads(self) -> list[SignedHead]:
        return [
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k)
            for p, h, t, s, k in self._select(
                f"SELECT position, log_hash, signed_at, signature, key_id FROM {self.head_table} ORDER BY position",
                (),
            )
        ]

    def heads_after(self, after: int, limit: int) -> list[SignedHead]:
        return [
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k)
            for p, h, t, s, k in self._select(
                f"SELECT position, log_hash, signed_at, signature, key_id FROM {self.head_table} "
                "WHERE position > ? ORDER BY position LIMIT ?",
                (after, limit),
            )
        ]

    def latest_head(self) -> SignedHead | None:
        found = [
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k)
            for p, h, t, s, k in self._select(
                f"SELECT position, log_hash, signed_at, signature, key_id FROM {self.head_table} "
                "ORDER BY position DESC LIMIT 1",
                (),
            )
        ]
        return found[0] if found else None

    def actors(self) -> list[ActorRange]:
        return [
            ActorRange(int(p), int(last), bytes(a))
            for p, last, a in self._select(
                f"SELECT position, last_position, actor FROM {self.actor_table} ORDER BY position", ()
            )
        ]


class PostgresAuditStorage(AuditStorage):
    def __init__(self, datastore: Any, events_table: str) -> None:
        self.datastore = datastore
        schema = Identifier(datastore.schema)
        self.events = SQL("{}.{}").format(schema, Identifier(events_table))
        self.chain = SQL("{}.{}").format(schema, Identifier(f"{events_table}_audit_chain"))
        self.head_table = SQL("{}.{}").format(schema, Identifier(f"{events_table}_audit_heads"))
        self.actor_table = SQL("{}.{}").format(schema, Identifier(f"{events_table}_audit_actors"))
        self._select_events = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
            "WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id"
        ).format(self.events)
        self._insert_chain = SQL(
            "WITH chained AS (INSERT INTO {} "
            "SELECT * FROM unnest(%s::bigint[], %s::uuid[], %s::bigint[], %s::bytea[])) "
            "INSERT INTO {} VALUES (%s, %s, %s, %s, %s)"
        ).format(self.chain, self.head_table)

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (position bigint PRIMARY KEY, "
                    "last_position bigint NOT NULL, actor bytea NOT NULL)"
                ).format(self.actor_table)
            )
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (position bigint PRIMARY KEY, "
                    "originator_id uuid NOT NULL, originator_version bigint NOT NULL, hash bytea NOT NULL)"
                ).format(self.chain)
            )
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (position bigint PRIMARY KEY, log_hash bytea NOT NULL, "
                    "signed_at timestamptz NOT NULL, signature bytea NOT NULL, key_id text NOT NULL)"
                ).format(self.head_table)
            )

    def last_head(self, handle: Any) -> tuple[int, bytes] | None:
        handle.execute(SQL("SELECT position, hash FROM {} ORDER BY position DESC LIMIT 1").format(self.chain))
        row = handle.fetchone()
        return None if row is None else (int(row["position"]), bytes(row["hash"]))

    def events_between(self, handle: Any, after: int, upto: int) -> list[RawEvent]:
        handle.execute(self._select_events, (after, upto))
        return [
            (r["notification_id"], r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
            for r in handle.fetchall()
        ]

    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, actor: ActorRange | None) -> None:
        if actor is not None:
            handle.execute(
                SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(self.actor_table),
                (actor.first, actor.last, actor.actor),
            )
        # One statement for the rows and the head: one round trip whatever the number of rows, and
        # no executemany, which psycopg runs in pipeline mode (see recording._Postgres).
        handle.execute(
            self._insert_chain,
            (
                [r.position for r in rows],
                [r.originator_id for r in rows],
                [r.version for r in rows],
                [r.hash for r in rows],
                head.position,
                head.log_hash,
                head.signed_at,
                head.signature,
                head.key_id,
            ),
        )

    def _select(self, statement: Any, params: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor(name="finsam_audit", row_factory=tuple_row) as cursor,
        ):
            cursor.itersize = _BATCH
            cursor.execute(statement, params)
            while rows := cursor.fetchmany(_BATCH):
                yield from rows

    def iter_events(self, after: int = 0, upto: int | None = None) -> Iterator[RawEvent]:
        return self._select(self._select_events, (after, upto if upto is not None else 2**62))

    def chain_rows(self, after: int, upto: int | None) -> list[ChainRow]:
        statement = SQL(
            "SELECT position, originator_id, originator_version, hash FROM {} "
            "WHERE position > %s AND position <= %s ORDER BY position"
        ).format(self.chain)
        return [
            ChainRow(int(p), o, int(v), bytes(h))
            for p, o, v, h in self._select(statement, (after, upto if upto is not None else 2**62))
        ]

    def heads(self) -> list[SignedHead]:
        statement = SQL("SELECT position, log_hash, signed_at, signature, key_id FROM {} ORDER BY position").format(
            self.head_table
        )
        return [SignedHead(int(p), bytes(h), t, bytes(s), k) for p, h, t, s, k in self._select(statement, ())]

    def heads_after(self, after: int, limit: int) -> list[SignedHead]:
        statement = SQL(
            "SELECT position, log_hash, signed_at, signature, key_id FROM {} WHERE position > %s "
            "ORDER BY position LIMIT %s"
        ).format(self.head_table)
        return [
            SignedHead(int(p), bytes(h), t, bytes(s), k) for p, h, t, s, k in self._select(statement, (after, limit))
        ]

    def latest_head(self) -> SignedHead | None:
        statement = SQL(
            "SELECT position, log_hash, signed_at, signature, key_id FROM {} ORDER BY position DESC LIMIT 1"
        ).format(self.head_table)
        found = [SignedHead(int(p), bytes(h), t, bytes(s), k) for p, h, t, s, k in self._select(statement, ())]
        return found[0] if found else None

    def actors(self) -> list[ActorRange]:
        statement = SQL("SELECT position, last_position, actor FROM {} ORDER BY position").format(self.actor_table)
        return [ActorRange(int(p), int(last), bytes(a)) for p, last, a in self._select(statement, ())]


class PopoAuditStorage(AuditStorage):
    """The in-memory store: the chain lives in lists next to the recorder's own."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.rows: list[ChainRow] = []
        self.signed: list[SignedHead] = []
        self.actor_ranges: list[ActorRange] = []

    def create_tables(self) -> None:
        pass

    def last_head(self, handle: Any) -> tuple[int, bytes] | None:
        return (self.rows[-1].position, self.rows[-1].hash) if self.rows else None

    def events_between(self, handle: Any, after: int, upto: int) -> list[RawEvent]:
        stored = self.recorder._stored_events
        return [
            (i + 1, s.originator_id, s.originator_version, s.topic, s.state)
            for i, s in enumerate(stored[after:upto], start=after)
        ]

    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, actor: ActorRange | None) -> None:
        self.rows.extend(rows)
        self.signed.append(head)
        if actor is not None:
            self.actor_ranges.append(actor)

    def iter_events(self, after: int = 0, upto: int | None = None) -> Iterator[RawEvent]:
        with self.recorder._database_lock:
            snapshot = list(self.recorder._stored_events[after:upto])
        for i, s in enumerate(snapshot, start=after + 1):
            yield (i, s.originator_id, s.originator_version, s.topic, s.state)

    def chain_rows(self, after: int, upto: int | None) -> list[ChainRow]:
        return [r for r in self.rows if r.position > after and (upto is None or r.position <= upto)]

    def heads(self) -> list[SignedHead]:
        return list(self.signed)

    def heads_after(self, after: int, limit: int) -> list[SignedHead]:
        return [head for head in self.signed if head.position > after][:limit]

    def latest_head(self) -> SignedHead | None:
        return self.signed[-1] if self.signed else None

    def actors(self) -> list[ActorRange]:
        return list(self.actor_ranges)
