"""Reading the views from a streaming replica (``FINSAM_READ_DATABASE_URL``): which server is which.

Only the views' reads go to the replica. Everything that writes or must be current at once stays on
the primary: commands, the projection worker, token lookups (a revoked token is refused at once)
and idempotency claims. A read with ``min_position`` waits until the *replica's* projected position
reaches it: the projection moves its tracking row in the same transaction as the view rows, so the
replica shows both together.
"""

from __future__ import annotations

import asyncpg

from finsam_core.embedded import connect
from finsam_core.errors import InvalidInput

__all__ = ["ensure_primary", "replica_lag_bytes"]


def ensure_primary(url: str) -> None:
    """Refuse a replica as the service's database (``FINSAM_DATABASE_URL``) before anything tries to write to it."""
    with connect(url) as connection:
        row = connection.execute("SELECT pg_is_in_recovery()").fetchone()
    if row is not None and row[0]:
        raise InvalidInput(
            "FINSAM_DATABASE_URL pekar på en läsreplik, där tjänsten varken kan skapa sina tabeller eller skriva: "
            "ange primären i FINSAM_DATABASE_URL och repliken i FINSAM_READ_DATABASE_URL."
        )


async def replica_lag_bytes(primary: asyncpg.Pool, replica: asyncpg.Pool) -> int:
    """How many bytes of the primary's WAL the replica has not replayed yet (0 when it has caught up).

    A read URL that is no replica at all (the primary under another name) is never behind.
    """
    written = await primary.fetchval("SELECT pg_current_wal_lsn()::text")
    behind = await replica.fetchval(
        "SELECT CASE WHEN pg_is_in_recovery() "
        "THEN greatest(pg_wal_lsn_diff($1::text::pg_lsn, pg_last_wal_replay_lsn()), 0)::bigint ELSE 0 END",
        written,
    )
    return int(behind or 0)
