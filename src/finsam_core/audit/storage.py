"""Where the chain is kept: two tables beside the events, written in the same transaction.

``<events>_audit_chain`` holds one row per event (position, stream, version, chain hash);
``<events>_audit_heads`` one signed head per atomic write; ``<events>_audit_actors`` who made
each write that has an actor (first and last position, the actor's bytes). The in-memory store
keeps the same rows in lists. Each storage also reads the events back raw, in log order, for the verifier.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from finsam_core.audit.chain import ActorCursor, ActorRange, ChainRow, SignedHead

__all__ = [
    "AuditStorage",
    "ChainEvent",
    "Link",
    "PopoAuditStorage",
    "PostgresAuditStorage",
    "RawEvent",
    "SQLiteAuditStorage",
]

RawEvent = tuple[int, Any, int, str, bytes]
"""(position, originator id as the store keeps it, version, topic, state bytes)."""


@dataclass(frozen=True, slots=True)
class ChainEvent:
    """An event read through its förbund chain: the raw row, its stored link and its write's actor."""

    event: RawEvent
    link: bytes
    actor: ActorRange | None


def _actor_of(position: int, first: Any, last: Any, actor: Any) -> ActorRange | None:
    if first is None or int(last) < position:
        return None
    return ActorRange(int(first), int(last), bytes(actor))


@dataclass(frozen=True, slots=True)
class Link:
    """One event's place in its förbund chain: position, stream, version, chain and chain hash."""

    position: int
    stream: bytes
    version: int
    chain: bytes
    hash: bytes


def _new_streams(links: Sequence[Link]) -> list[tuple[bytes, bytes]]:
    return [(link.stream, link.chain) for link in links if link.version == 1]


def _new_heads(links: Sequence[Link]) -> dict[bytes, tuple[int, bytes]]:
    return {link.chain: (link.position, link.hash) for link in links}


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
    def write_actor(self, handle: Any, actor: ActorRange) -> None:
        """Store a write's actor, in the write's own transaction."""

    @abstractmethod
    def links_upto(self, handle: Any) -> int:
        """The last position whose förbund-chain link is stored (0 before any)."""

    @abstractmethod
    def chain_heads(self, handle: Any) -> dict[bytes, tuple[int, bytes]]:
        """Every förbund chain's last position and hash, by chain (16 bytes)."""

    @abstractmethod
    def stream_chains(self, handle: Any, streams: Sequence[bytes]) -> dict[bytes, bytes]:
        """The chain of each of ``streams`` (16-byte ids) that has one."""

    @abstractmethod
    def actors_between(self, handle: Any, after: int, upto: int) -> list[ActorRange]:
        """The actors of the writes that hold a position in ``after < position <= upto``, in order."""

    @abstractmethod
    def chain_events(self, chain: bytes) -> Iterator[ChainEvent]:
        """One förbund chain's events in log order, found through its links (read straight from the tables)."""

    @abstractmethod
    def chain_signed_heads(self, chain: bytes, *, latest_only: bool = False) -> list[SignedHead]:
        """The signed heads that follow an event of ``chain`` (the first head at or after each), in order;
        with ``latest_only`` the one after its last event."""

    @abstractmethod
    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, links: Sequence[Link]) -> None:
        """Store the signer's work: the log chain's rows, the head, the förbund chains' links.

        Streams met at their first event and the chains' new heads are derived from ``links``.
        """

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
        self.links = f"{events_table}_audit_links"
        self.streams = f"{events_table}_audit_streams"
        self.chain_head_table = f"{events_table}_audit_chain_heads"

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.links} (position INTEGER PRIMARY KEY, "
                "chain BLOB NOT NULL, hash BLOB NOT NULL)"
            )
            c.execute(f"CREATE INDEX IF NOT EXISTS {self.links}_by_chain ON {self.links} (chain, position)")
            c.execute(f"CREATE TABLE IF NOT EXISTS {self.streams} (originator BLOB PRIMARY KEY, chain BLOB NOT NULL)")
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.chain_head_table} (chain BLOB PRIMARY KEY, "
                "position INTEGER NOT NULL, hash BLOB NOT NULL)"
            )
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
            c.execute(f"PRAGMA table_info({self.head_table})")
            if "chains" not in {row[1] for row in c.fetchall()}:  # Stores from before the förbund chains.
                c.execute(f"ALTER TABLE {self.head_table} ADD COLUMN chains BLOB")

    def write_actor(self, handle: Any, actor: ActorRange) -> None:
        handle.execute(f"INSERT INTO {self.actor_table} VALUES (?,?,?)", (actor.first, actor.last, actor.actor))

    def links_upto(self, handle: Any) -> int:
        handle.execute(f"SELECT max(position) FROM {self.links}")
        row = handle.fetchone()
        return int(row[0]) if row is not None and row[0] is not None else 0

    def chain_heads(self, handle: Any) -> dict[bytes, tuple[int, bytes]]:
        handle.execute(f"SELECT chain, position, hash FROM {self.chain_head_table}")
        return {bytes(c): (int(p), bytes(h)) for c, p, h in handle.fetchall()}

    def stream_chains(self, handle: Any, streams: Sequence[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        for stream in streams:
            handle.execute(f"SELECT chain FROM {self.streams} WHERE originator = ?", (stream,))
            row = handle.fetchone()
            if row is not None:
                found[stream] = bytes(row[0])
        return found

    def actors_between(self, handle: Any, after: int, upto: int) -> list[ActorRange]:
        handle.execute(
            f"SELECT position, last_position, actor FROM {self.actor_table} "
            f"WHERE last_position > ? AND position <= ? AND position >= coalesce((SELECT max(position) "
            f"FROM {self.actor_table} WHERE position <= ?), 0) ORDER BY position",
            (after, upto, after + 1),
        )
        return [ActorRange(int(p), int(last), bytes(a)) for p, last, a in handle.fetchall()]

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

    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, links: Sequence[Link]) -> None:
        handle.executemany(
            f"INSERT INTO {self.chain} VALUES (?,?,?,?)",
            [(r.position, r.originator_id.hex, r.version, r.hash) for r in rows],
        )
        handle.executemany(f"INSERT INTO {self.links} VALUES (?,?,?)", [(k.position, k.chain, k.hash) for k in links])
        handle.executemany(f"INSERT OR IGNORE INTO {self.streams} VALUES (?,?)", _new_streams(links))
        handle.executemany(
            f"INSERT OR REPLACE INTO {self.chain_head_table} VALUES (?,?,?)",
            [(c, p, h) for c, (p, h) in _new_heads(links).items()],
        )
        handle.execute(
            f"INSERT INTO {self.head_table} (position, log_hash, signed_at, signature, key_id, chains) "
            "VALUES (?,?,?,?,?,?)",
            (head.position, head.log_hash, head.signed_at.isoformat(), head.signature, head.key_id, head.chains),
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
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(
                f"SELECT position, log_hash, signed_at, signature, key_id, chains FROM {self.head_table} "
                "ORDER BY position",
                (),
            )
        ]

    def heads_after(self, after: int, limit: int) -> list[SignedHead]:
        return [
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(
                f"SELECT position, log_hash, signed_at, signature, key_id, chains FROM {self.head_table} "
                "WHERE position > ? ORDER BY position LIMIT ?",
                (after, limit),
            )
        ]

    def latest_head(self) -> SignedHead | None:
        found = [
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(
                f"SELECT position, log_hash, signed_at, signature, key_id, chains FROM {self.head_table} "
                "ORDER BY position DESC LIMIT 1",
                (),
            )
        ]
        return found[0] if found else None

    def chain_events(self, chain: bytes) -> Iterator[ChainEvent]:
        rows = self._select(
            f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, l.hash, "
            f"a.position, a.last_position, a.actor FROM {self.links} l "
            f"JOIN {self.events} e ON e.rowid = l.position "
            f"LEFT JOIN {self.actor_table} a ON a.position = "
            f"(SELECT max(position) FROM {self.actor_table} WHERE position <= l.position) "
            "WHERE l.chain = ? ORDER BY l.position",
            (chain,),
        )
        for p, o, v, t, st, link, first, last, actor in rows:
            yield ChainEvent((p, o, v, t, st), bytes(link), _actor_of(p, first, last, actor))

    def chain_signed_heads(self, chain: bytes, *, latest_only: bool = False) -> list[SignedHead]:
        columns = f"SELECT position, log_hash, signed_at, signature, key_id, chains FROM {self.head_table} "
        statement = (
            columns + f"WHERE position >= (SELECT max(position) FROM {self.links} WHERE chain = ?) "
            "ORDER BY position LIMIT 1"
            if latest_only
            else columns + f"WHERE position IN (SELECT (SELECT min(position) FROM {self.head_table} h "
            f"WHERE h.position >= l.position) FROM {self.links} l WHERE l.chain = ?) ORDER BY position"
        )
        return [
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(statement, (chain,))
        ]

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
        self.links = SQL("{}.{}").format(schema, Identifier(f"{events_table}_audit_links"))
        self.links_index = Identifier(f"{events_table}_audit_links_by_chain")
        self.streams = SQL("{}.{}").format(schema, Identifier(f"{events_table}_audit_streams"))
        self.chain_head_table = SQL("{}.{}").format(schema, Identifier(f"{events_table}_audit_chain_heads"))
        self._select_events = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
            "WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id"
        ).format(self.events)
        self._insert_chain = SQL(
            "WITH chained AS (INSERT INTO {} "
            "SELECT * FROM unnest(%s::bigint[], %s::uuid[], %s::bigint[], %s::bytea[])), "
            "linked AS (INSERT INTO {} SELECT * FROM unnest(%s::bigint[], %s::uuid[], %s::bytea[])), "
            "streamed AS (INSERT INTO {} SELECT * FROM unnest(%s::uuid[], %s::uuid[]) ON CONFLICT DO NOTHING), "
            "headed AS (INSERT INTO {} SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::bytea[]) "
            "ON CONFLICT (chain) DO UPDATE SET position = excluded.position, hash = excluded.hash) "
            "INSERT INTO {} (position, log_hash, signed_at, signature, key_id, chains) VALUES (%s, %s, %s, %s, %s, %s)"
        ).format(self.chain, self.links, self.streams, self.chain_head_table, self.head_table)

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
            # The writers' lock (recording._insert): an advisory lock, since the insert already holds
            # the table's ROW EXCLUSIVE lock when it is taken, and EXCLUSIVE would deadlock two writers.
            curs.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION {}.finsam_lock_writes(target regclass) RETURNS boolean "
                    "LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
                    "PERFORM pg_advisory_xact_lock(hashtext('finsam-writes:' || target::text)); RETURN true; END $$"
                ).format(Identifier(self.datastore.schema))
            )
            # Stores from before the förbund chains: their heads keep the first form (chains null).
            curs.execute(SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS chains bytea").format(self.head_table))
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (position bigint PRIMARY KEY, chain uuid NOT NULL, "
                    "hash bytea NOT NULL)"
                ).format(self.links)
            )
            curs.execute(
                SQL("CREATE INDEX IF NOT EXISTS {} ON {} (chain, position)").format(self.links_index, self.links)
            )
            curs.execute(
                SQL("CREATE TABLE IF NOT EXISTS {} (originator uuid PRIMARY KEY, chain uuid NOT NULL)").format(
                    self.streams
                )
            )
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (chain uuid PRIMARY KEY, position bigint NOT NULL, "
                    "hash bytea NOT NULL)"
                ).format(self.chain_head_table)
            )

    def write_actor(self, handle: Any, actor: ActorRange) -> None:
        handle.execute(
            SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(self.actor_table), (actor.first, actor.last, actor.actor)
        )

    def links_upto(self, handle: Any) -> int:
        handle.execute(SQL("SELECT coalesce(max(position), 0) AS upto FROM {}").format(self.links))
        row = handle.fetchone()
        return int(row["upto"])

    def chain_heads(self, handle: Any) -> dict[bytes, tuple[int, bytes]]:
        handle.execute(SQL("SELECT chain, position, hash FROM {}").format(self.chain_head_table))
        return {r["chain"].bytes: (int(r["position"]), bytes(r["hash"])) for r in handle.fetchall()}

    def stream_chains(self, handle: Any, streams: Sequence[bytes]) -> dict[bytes, bytes]:
        if not streams:
            return {}
        handle.execute(
            SQL("SELECT originator, chain FROM {} WHERE originator = ANY(%s::uuid[])").format(self.streams),
            ([UUID(bytes=s) for s in streams],),
        )
        return {r["originator"].bytes: r["chain"].bytes for r in handle.fetchall()}

    def actors_between(self, handle: Any, after: int, upto: int) -> list[ActorRange]:
        handle.execute(
            # From the write that holds ``after + 1`` on: an index range, not every earlier write.
            SQL(
                "SELECT position, last_position, actor FROM {0} WHERE last_position > %s AND position <= %s "
                "AND position >= coalesce((SELECT max(position) FROM {0} WHERE position <= %s), 0) "
                "ORDER BY position"
            ).format(self.actor_table),
            (after, upto, after + 1),
        )
        return [ActorRange(int(r["position"]), int(r["last_position"]), bytes(r["actor"])) for r in handle.fetchall()]

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

    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, links: Sequence[Link]) -> None:
        # One statement for everything: one round trip whatever the number of rows, and no
        # executemany, which psycopg runs in pipeline mode (see recording._Postgres).
        streams = _new_streams(links)
        heads = _new_heads(links)
        handle.execute(
            self._insert_chain,
            (
                [r.position for r in rows],
                [r.originator_id for r in rows],
                [r.version for r in rows],
                [r.hash for r in rows],
                [k.position for k in links],
                [UUID(bytes=k.chain) for k in links],
                [k.hash for k in links],
                [UUID(bytes=o) for o, _ in streams],
                [UUID(bytes=c) for _, c in streams],
                [UUID(bytes=c) for c in heads],
                [p for p, _ in heads.values()],
                [h for _, h in heads.values()],
                head.position,
                head.log_hash,
                head.signed_at,
                head.signature,
                head.key_id,
                head.chains,
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
        statement = SQL(
            "SELECT position, log_hash, signed_at, signature, key_id, chains FROM {} ORDER BY position"
        ).format(self.head_table)
        return [
            SignedHead(int(p), bytes(h), t, bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(statement, ())
        ]

    def heads_after(self, after: int, limit: int) -> list[SignedHead]:
        statement = SQL(
            "SELECT position, log_hash, signed_at, signature, key_id, chains FROM {} WHERE position > %s "
            "ORDER BY position LIMIT %s"
        ).format(self.head_table)
        return [
            SignedHead(int(p), bytes(h), t, bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(statement, (after, limit))
        ]

    def latest_head(self) -> SignedHead | None:
        statement = SQL(
            "SELECT position, log_hash, signed_at, signature, key_id, chains FROM {} ORDER BY position DESC LIMIT 1"
        ).format(self.head_table)
        found = [
            SignedHead(int(p), bytes(h), t, bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(statement, ())
        ]
        return found[0] if found else None

    def chain_events(self, chain: bytes) -> Iterator[ChainEvent]:
        statement = SQL(
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state, l.hash, "
            "a.position, a.last_position, a.actor FROM {} l JOIN {} e ON e.notification_id = l.position "
            "LEFT JOIN LATERAL (SELECT * FROM {} x WHERE x.position <= l.position ORDER BY x.position DESC LIMIT 1) a "
            "ON true WHERE l.chain = %s ORDER BY l.position"
        ).format(self.links, self.events, self.actor_table)
        for p, o, v, t, st, link, first, last, actor in self._select(statement, (UUID(bytes=chain),)):
            yield ChainEvent((p, o, v, t, bytes(st)), bytes(link), _actor_of(p, first, last, actor))

    def chain_signed_heads(self, chain: bytes, *, latest_only: bool = False) -> list[SignedHead]:
        columns = SQL("SELECT position, log_hash, signed_at, signature, key_id, chains FROM {} ").format(
            self.head_table
        )
        if latest_only:
            where = SQL(
                "WHERE position >= (SELECT max(position) FROM {} WHERE chain = %s) ORDER BY position LIMIT 1"
            ).format(self.links)
        else:
            where = SQL(
                "WHERE position IN (SELECT (SELECT min(h.position) FROM {} h WHERE h.position >= l.position) "
                "FROM {} l WHERE l.chain = %s) ORDER BY position"
            ).format(self.head_table, self.links)
        return [
            SignedHead(int(p), bytes(h), t, bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in self._select(columns + where, (UUID(bytes=chain),))
        ]

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
        self.linked: list[Link] = []
        self.stream_chain: dict[bytes, bytes] = {}
        self.heads_by_chain: dict[bytes, tuple[int, bytes]] = {}

    def create_tables(self) -> None:
        pass

    def write_actor(self, handle: Any, actor: ActorRange) -> None:
        self.actor_ranges.append(actor)

    def links_upto(self, handle: Any) -> int:
        return self.linked[-1].position if self.linked else 0

    def chain_heads(self, handle: Any) -> dict[bytes, tuple[int, bytes]]:
        return dict(self.heads_by_chain)

    def stream_chains(self, handle: Any, streams: Sequence[bytes]) -> dict[bytes, bytes]:
        return {s: self.stream_chain[s] for s in streams if s in self.stream_chain}

    def actors_between(self, handle: Any, after: int, upto: int) -> list[ActorRange]:
        return [a for a in self.actor_ranges if a.last > after and a.first <= upto]

    def last_head(self, handle: Any) -> tuple[int, bytes] | None:
        return (self.rows[-1].position, self.rows[-1].hash) if self.rows else None

    def events_between(self, handle: Any, after: int, upto: int) -> list[RawEvent]:
        stored = self.recorder._stored_events
        return [
            (i + 1, s.originator_id, s.originator_version, s.topic, s.state)
            for i, s in enumerate(stored[after:upto], start=after)
        ]

    def write(self, handle: Any, rows: Sequence[ChainRow], head: SignedHead, links: Sequence[Link]) -> None:
        self.rows.extend(rows)
        self.signed.append(head)
        self.linked.extend(links)
        for stream, chain in _new_streams(links):
            self.stream_chain.setdefault(stream, chain)
        self.heads_by_chain.update(_new_heads(links))

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

    def chain_events(self, chain: bytes) -> Iterator[ChainEvent]:
        with self.recorder._database_lock:
            stored = list(self.recorder._stored_events)
        actor_of = ActorCursor(self.actor_ranges)
        for link in [k for k in self.linked if k.chain == chain]:
            s = stored[link.position - 1]
            event = (link.position, s.originator_id, s.originator_version, s.topic, s.state)
            yield ChainEvent(event, link.hash, actor_of.at(link.position))

    def chain_signed_heads(self, chain: bytes, *, latest_only: bool = False) -> list[SignedHead]:
        positions = [k.position for k in self.linked if k.chain == chain]
        positions = positions[-1:] if latest_only else positions
        found: dict[int, SignedHead] = {}
        for position in positions:
            head = next((h for h in self.signed if h.position >= position), None)
            if head is not None:
                found[head.position] = head
        return sorted(found.values(), key=lambda h: h.position)

    def actors(self) -> list[ActorRange]:
        return list(self.actor_ranges)


def heads_naming_chain(storage: AuditStorage, chain: bytes, since: int) -> list[SignedHead]:
    """The signed heads at or after position ``since`` whose ``chains`` name ``chain``, in order.

    For :func:`finsam_core.audit.forbund_chain.verify_forbund`: a head newer than a förbund's last
    link that names its chain commits to events that are no longer there (cut with their links).
    The database scans the heads from ``since`` on (not the events); a record found at an offset
    that is not a record's start is filtered out by the caller, which parses ``chains``.
    """
    columns = "position, log_hash, signed_at, signature, key_id, chains"
    if isinstance(storage, SQLiteAuditStorage):
        rows = storage._select(
            f"SELECT {columns} FROM {storage.head_table} WHERE position >= ? AND chains IS NOT NULL "
            "AND instr(chains, ?) > 0 ORDER BY position",
            (since, chain),
        )
        return [
            SignedHead(int(p), bytes(h), datetime.fromisoformat(t), bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in rows
        ]
    if isinstance(storage, PostgresAuditStorage):
        statement = SQL(
            "SELECT position, log_hash, signed_at, signature, key_id, chains FROM {} WHERE position >= %s "
            "AND chains IS NOT NULL AND position(%s::bytea IN chains) > 0 ORDER BY position"
        ).format(storage.head_table)
        return [
            SignedHead(int(p), bytes(h), t, bytes(s), k, None if c is None else bytes(c))
            for p, h, t, s, k, c in storage._select(statement, (since, chain))
        ]
    return [h for h in storage.heads() if h.position >= since and h.chains is not None and chain in h.chains]
