"""The rebuild's direct call of ``@event`` methods (:func:`finsam_core.projections.batch.apply_event`)
gives the aggregates eventsourcing's ``mutate`` gives, for every aggregate and event class of the seeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.domain import decorated_funcs

from finsam_core.application import Finsam
from finsam_core.formats import import_paths
from finsam_core.projections.batch import _direct_call, apply_event

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"


def test_every_aggregate_of_the_seeds_replays_to_the_same_state_both_ways() -> None:
    app = Finsam(store_url="memory:")
    results = import_paths(app, [SEEDS])
    assert results and all(r.ok for r in results)
    notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
    by_aggregate: dict[UUID | str, list[Any]] = {}
    for notification in notifications:
        by_aggregate.setdefault(notification.originator_id, []).append(notification)
    direct: set[type] = set()
    usual: set[type] = set()
    for originator_id, own in by_aggregate.items():
        expected: Any = None
        replayed: Any = None
        events = [app.mapper.to_domain_event(n) for n in own]
        for event in events:
            expected = event.mutate(expected)  # type: ignore[attr-defined]
            (direct if _direct_call(type(event)) else usual).add(type(event))
        # Decoded again: an event object must not be shared by the two replays.
        for notification in own:
            replayed = apply_event(app.mapper.to_domain_event(notification), replayed)
        assert type(replayed) is type(expected)
        assert vars(replayed) == vars(expected), f"{type(expected).__name__} {originator_id}"
        assert replayed.version == expected.version == len(events)
    # Most event classes take the direct call; the created events (and any with an apply of their own) do not.
    assert len(by_aggregate) > 100 and len(notifications) > 400
    assert len(direct) >= 20, sorted(c.__qualname__ for c in direct)
    assert all(c in decorated_funcs for c in direct)
    assert all(c not in direct for c in usual)
    app.close()


def test_the_direct_call_is_kept_for_plain_decorated_events_only() -> None:
    from finsam_core.domain.meeting import Meeting

    opened = Meeting.ParagraphOpened  # type: ignore[attr-defined]
    assert _direct_call(opened) is not None
    _, names = _direct_call(opened)  # type: ignore[misc]
    assert set(names) >= {"number", "title", "body"}
    assert _direct_call(Meeting.Created) is None


def test_every_domain_event_class_is_replayed_directly_or_as_eventsourcing_does() -> None:
    """The seeds cover most event classes; for the others the direct call passes exactly the arguments
    eventsourcing's own ``DecoratedFuncCaller.apply`` would (the names of the same function's parameters),
    and a class whose ``mutate`` or ``apply`` is its own is never called directly."""
    from eventsourcing.domain import CanInitAggregate, filter_kwargs_for_method_params

    from finsam_core.transcoding import all_domain_event_classes

    for cls in all_domain_event_classes():
        found = _direct_call(cls)
        if found is None:
            assert cls not in decorated_funcs or issubclass(cls, CanInitAggregate), cls.__qualname__
            continue
        func, names = found
        assert func is decorated_funcs[cls]
        attributes = {name: object() for name in (*names, "originator_id", "originator_version", "timestamp")}
        direct = {name: attributes[name] for name in names if name in attributes}
        assert direct == filter_kwargs_for_method_params(attributes, func), cls.__qualname__


def test_minutes_texts_are_the_canonical_and_the_rendered_minutes_of_every_meeting() -> None:
    """The projection makes both texts at once (:func:`minutes_texts`); the signed bytes must not move."""
    import hashlib
    from datetime import date

    from finsam_core.domain.meeting import Meeting
    from finsam_core.domain.minutes import canonical_minutes, minutes_texts, render_minutes
    from finsam_core.testing import ORNSKOLDSVIK, record_ornskoldsvik_2024_05_30, register_ornskoldsvik

    app = Finsam(store_url="memory:")
    assert all(r.ok for r in import_paths(app, [SEEDS]))
    other = Finsam(store_url="memory:")
    register_ornskoldsvik(other)
    reference = record_ornskoldsvik_2024_05_30(other)
    signed = other.meeting(ORNSKOLDSVIK, reference).canonical_sha256()
    other.correct(ORNSKOLDSVIK, reference, 43, "Ska vara: följeforskningsprojektet.", "Stavfel.", date(2024, 6, 20))
    meetings: list[Any] = [
        a.repository.get(UUID(str(n.originator_id)))
        for a in (app, other)
        for n in a.recorder.select_notifications(start=1, limit=1_000_000)
        if n.originator_version == 1 and n.topic.endswith(":Meeting.Convened")
    ]
    assert len(meetings) > 5 and all(isinstance(m, Meeting) for m in meetings)
    corrected = [m for m in meetings if any(p.corrections for p in m.paragraphs.values())]
    assert corrected and any(m.signatures for m in meetings)
    for meeting in meetings:
        assert minutes_texts(meeting) == (canonical_minutes(meeting), render_minutes(meeting))
    assert hashlib.sha256(minutes_texts(corrected[0])[0]).hexdigest() == signed
    app.close()
    other.close()
