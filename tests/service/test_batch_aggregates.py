"""Aggregates rebuilt from a batch's own events equal the store's replay at the same version."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eventsourcing.domain import Aggregate

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.projections.batch import BatchAggregates


@pytest.fixture(scope="module")
def app() -> Iterator[Finsam]:
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    testing.record_ornskoldsvik_2024_05_30(app)
    testing.register_kramfors(app)
    yield app
    app.close()


@pytest.mark.parametrize(("batch_size", "keep"), [(1, 20_000), (7, 20_000), (7, 2), (100_000, 20_000)])
def test_every_rebuilt_aggregate_equals_the_stores_replay_at_its_version(
    app: Finsam, batch_size: int, keep: int
) -> None:
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    aggregates = BatchAggregates(app, keep=keep)
    checked = 0
    for k in range(0, len(notifications), batch_size):
        for originator_id, (aggregate, position) in aggregates.rebuild(notifications[k : k + batch_size]).items():
            expected: Aggregate = app.repository.get(originator_id, version=aggregate.version)
            assert vars(aggregate) == vars(expected)
            assert position == max(n.id for n in notifications[k : k + batch_size] if n.originator_id == originator_id)
            checked += 1
    assert checked >= len({n.originator_id for n in notifications})


def test_a_batch_that_does_not_follow_the_kept_state_is_loaded_from_the_store(app: Finsam) -> None:
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    aggregates = BatchAggregates(app)
    aggregates.rebuild(notifications)
    # The same events again (a retried batch after a rollback): the kept states are already past them.
    for originator_id, (aggregate, _) in aggregates.rebuild(notifications[:5]).items():
        last = max(n.originator_version for n in notifications[:5] if n.originator_id == originator_id)
        assert aggregate.version == last
        assert vars(aggregate) == vars(app.repository.get(originator_id, version=last))


def test_the_kept_states_stay_within_their_byte_budget_and_rebuilds_stay_exact(app: Finsam) -> None:
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    budget = 5 * max(len(n.state) for n in notifications) * 3  # room for a few small aggregates only
    aggregates = BatchAggregates(app, max_bytes=budget)
    for k in range(0, len(notifications), 5):
        for originator_id, (aggregate, _) in aggregates.rebuild(notifications[k : k + 5]).items():
            assert vars(aggregate) == vars(app.repository.get(originator_id, version=aggregate.version))
        assert aggregates.kept_bytes <= budget
    unbounded = BatchAggregates(app)
    unbounded.rebuild(notifications)
    assert len(aggregates._kept) < len(unbounded._kept)  # the budget did drop states
