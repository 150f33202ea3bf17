"""Failed positions: events a projection could not apply, kept with the reason until a retry succeeds.

An event that makes a projection fail (a value PostgreSQL refuses, a stored event that no longer
decodes, a bug in the projection code for one kind of event) must not stop the views for everyone:
the worker records its position in ``finsam_projection_failures`` and goes on (see
:meth:`finsam_core.projections.follower.ProjectionWorker.process_batch`). A failure of the database or
the connection is not the event's fault: :func:`is_transient` tells the two apart, and the worker
tries the whole batch again later instead of recording anything.

The reason kept is the error's kind and its message, without PostgreSQL's context lines (they
quote the row being written); the event at that position holds the content. Logs name the
position, the topic and the error's kind only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
import psycopg
from eventsourcing.persistence import ConnectionUnavailableError, Notification
from eventsourcing.persistence import InterfaceError as StoreInterfaceError

__all__ = [
    "FailedPosition",
    "clear_failures",
    "failed_positions",
    "failure_reason",
    "is_transient",
    "record_failures",
    "record_retry_failure",
]

_REASON_LENGTH = 1000

# SQLSTATE classes of errors that are the server's or the connection's, not the statement's:
# connection exception, transaction rollback (deadlock, serialization), insufficient resources,
# operator intervention (shutdown; a cancelled statement is not among them, see is_transient),
# system error.
_TRANSIENT_CLASSES = frozenset({"08", "40", "53", "57", "58"})
_TRANSIENT_STATES = frozenset({"55P03"})  # lock_not_available: a lock timeout
_QUERY_CANCELED = "57014"


class FailedPosition(msgspec.Struct, frozen=True):
    """One event a projection could not apply."""

    position: int
    topic: str
    originator_id: UUID
    originator_version: int
    reason: str
    failed_at: datetime
    attempts: int


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure of the database or the connection rather than of the events.

    A cancelled statement (``statement_timeout``) counts as the events' fault: a batch that always
    runs too long would otherwise be tried again forever, while split in halves only the slow
    event fails.
    """
    error: BaseException | None = exc
    while error is not None:
        if isinstance(error, psycopg.Error):
            sqlstate = error.sqlstate
            if sqlstate is None:  # Raised by the driver itself: a lost connection, a pool timeout, or bad data.
                return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError))
            if sqlstate == _QUERY_CANCELED:
                return False
            return sqlstate[:2] in _TRANSIENT_CLASSES or sqlstate in _TRANSIENT_STATES
        if isinstance(error, (StoreInterfaceError, ConnectionUnavailableError)):
            return True
        error = error.__cause__
    return False


def failure_reason(exc: BaseException) -> str:
    """Why an event could not be applied: the error's kind and message, for the operator."""
    if isinstance(exc, psycopg.Error) and exc.diag.message_primary:
        message = exc.diag.message_primary
        if exc.diag.message_detail:
            message += f" ({exc.diag.message_detail})"
        if exc.sqlstate:
            message += f" [SQLSTATE {exc.sqlstate}]"
    else:
        message = str(exc).split("\n", 1)[0]
    reason = f"{type(exc).__name__}: {message}"
    return reason if len(reason) <= _REASON_LENGTH else reason[: _REASON_LENGTH - 1] + "…"


def record_failures(
    cursor: psycopg.Cursor[Any], projection: str, failures: Sequence[tuple[Notification, BaseException]]
) -> None:
    """Keep these events as failed positions of ``projection`` (a repeat counts another attempt)."""
    cursor.executemany(
        "INSERT INTO finsam_projection_failures "
        "(projection, position, topic, originator_id, originator_version, reason) VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (projection, position) DO UPDATE SET reason = excluded.reason, failed_at = now(), "
        "attempts = finsam_projection_failures.attempts + 1",
        [
            (projection, n.id, n.topic, n.originator_id, n.originator_version, failure_reason(exc))
            for n, exc in failures
        ],
    )


def record_retry_failure(
    cursor: psycopg.Cursor[Any], projection: str, positions: Sequence[int], exc: BaseException
) -> None:
    """A retry of these failed positions failed again: keep the new reason, count the attempt."""
    cursor.execute(
        "UPDATE finsam_projection_failures SET reason = %s, failed_at = now(), attempts = attempts + 1 "
        "WHERE projection = %s AND position = ANY(%s)",
        (failure_reason(exc), projection, list(positions)),
    )


def clear_failures(cursor: psycopg.Cursor[Any], projection: str, positions: Sequence[int]) -> None:
    """These failed positions are applied now."""
    cursor.execute(
        "DELETE FROM finsam_projection_failures WHERE projection = %s AND position = ANY(%s)",
        (projection, list(positions)),
    )


def failed_positions(cursor: psycopg.Cursor[Any], projection: str) -> list[FailedPosition]:
    """The failed positions of ``projection``, oldest first."""
    rows = cursor.execute(
        "SELECT position, topic, originator_id, originator_version, reason, failed_at, attempts "
        "FROM finsam_projection_failures WHERE projection = %s ORDER BY position",
        (projection,),
    ).fetchall()
    return [FailedPosition(*row) for row in rows]
