"""The two times of an event: when it was recorded, and the domain date it belongs to.

*Record time* is the event's ``timestamp`` (set by eventsourcing when the command ran, and
covered by the chain like every other byte of the payload).

*Domain date* is the date the event is about: a meeting's events belong to the day it was held,
a charter amendment to the day it takes effect, a late correction to the day it was made. The
rule is generic over all aggregates, read from the stored JSON payload:

1. the first of :data:`DATE_FIELDS` the payload has (also one level down, e.g.
   ``appointment.term_from`` or ``signature.signed_at``);
2. otherwise the stream's date: the ``held_on`` of its first event (a meeting), or 1 January of
   the ``year`` its first event names (a budget, an allocation, a year's participant figures);
3. otherwise the record date.

A budget's monthly outcome belongs to the last day of its month (a rule registered below).

An aggregate whose dates follow another rule can add its fields to :data:`DATE_FIELDS` or
register a function with :func:`register_domain_date`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from finsam_core.domain.budget import Budget
from finsam_core.topics import event_class

__all__ = ["DATE_FIELDS", "domain_date", "recorded_at", "register_domain_date", "stream_date"]

DATE_FIELDS: list[str] = [
    "effective_from",
    "decided_on",
    "adopted_on",
    "approved_on",
    "held_on",
    "signed_at",
    "adjusted_on",
    "made_on",
    "reported_on",
    "closed_on",
    "posted_on",
    "taken_down_on",
    "completed_on",
    "received_on",
    "recorded_on",
    "notice_received",
    "revoked_on",
    "joined_on",
    "ended_on",
    "starts_on",
    "term_from",
    "founded_on",
]
"""Payload fields that carry an event's domain date, most telling first."""

DomainDateRule = Callable[[Mapping[str, Any], date | None], date | None]
"""``rule(payload, stream_date)``: the event's domain date, or None for the generic rule."""

_BY_CLASS: dict[type, DomainDateRule] = {}


def register_domain_date(event_class: type, rule: DomainDateRule) -> None:
    """Use ``rule(payload, stream_date)`` for events of ``event_class`` (None falls back to the generic rule).

    The class is found from a stored event's topic as eventsourcing resolves it (``register_topic``
    included), so a rule keeps applying to events stored before a class moved.
    """
    _BY_CLASS[event_class] = rule


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _own_date(payload: Mapping[str, Any]) -> date | None:
    for name in DATE_FIELDS:
        if name in payload and (found := _as_date(payload[name])) is not None:
            return found
    for value in payload.values():
        if isinstance(value, Mapping):
            for name in DATE_FIELDS:
                if name in value and (found := _as_date(value[name])) is not None:
                    return found
    return None


def recorded_at(payload: Mapping[str, Any]) -> datetime | None:
    """The event's record time (its eventsourcing ``timestamp``)."""
    value = payload.get("timestamp")
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def stream_date(first_payload: Mapping[str, Any]) -> date | None:
    """The date undated events of a stream belong to: its first event's ``held_on``, else 1 January of its ``year``."""
    held_on = _as_date(first_payload.get("held_on"))
    if held_on is not None:
        return held_on
    year = first_payload.get("year")
    return date(year, 1, 1) if isinstance(year, int) and 1 <= year <= 9999 else None


def _month_end_of_outcome(payload: Mapping[str, Any], stream: date | None) -> date | None:
    """A monthly outcome belongs to the last day of its month in the budget's year."""
    month = payload.get("month")
    if stream is None or not isinstance(month, int) or not 1 <= month <= 12:
        return None
    following = date(stream.year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# @event("OutcomeRecorded") makes the class when Budget is defined; the type checker does not see it.
register_domain_date(Budget.OutcomeRecorded, _month_end_of_outcome)  # type: ignore[attr-defined]


def domain_date(topic: str, payload: Mapping[str, Any], stream: date | None) -> date | None:
    """The domain date of one event (see the module docstring); None if nothing says."""
    found_class = event_class(topic)
    rule = _BY_CLASS.get(found_class) if found_class is not None else None
    if rule is not None and (found := rule(payload, stream)) is not None:
        return found
    found = _own_date(payload)
    if found is not None:
        return found
    if stream is not None:
        return stream
    at = recorded_at(payload)
    return at.date() if at is not None else None
