"""A store written before the redesign (issue 10) loads, verifies and reads the same with today's code.

``data/store-v1.sqlite`` was written by the code of commit d225017 (``data/write_store_v1.py`` says
how): the seeds plus the kinds of events the seeds do not hold. Classes and modules have moved and
been renamed since; their old topics are registered in :mod:`finsam_core.topics`.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.utils import resolve_topic

from finsam_core.application import Finsam
from finsam_core.audit.keys import load_public_key
from finsam_core.audit.verify import verify_store
from finsam_core.testing import KARLSKOGA_DEGERFORS, KRAMFORS, ORNSKOLDSVIK

OLD_STORE = Path(__file__).parent / "data" / "store-v1.sqlite"
OLD_KEY = Path(__file__).parent / "data" / "store-v1.pub"  # the public key its heads were signed with


@pytest.fixture
def old(tmp_path: Path) -> Finsam:
    copy = tmp_path / "store-v1.sqlite"
    shutil.copyfile(OLD_STORE, copy)
    return Finsam(store_url=f"sqlite:///{copy}")


def _stored(sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{OLD_STORE}?mode=ro", uri=True) as connection:
        return list(connection.execute(sql))


def test_every_old_topic_resolves_to_a_class_of_today() -> None:
    topics = [str(row[0]) for row in _stored("SELECT DISTINCT topic FROM stored_events")]
    assert len(topics) > 40
    for topic in topics:
        assert isinstance(resolve_topic(topic), type), topic


def test_the_old_store_verifies_with_its_minutes_signatures(old: Finsam) -> None:
    report = verify_store(old, load_public_key(OLD_KEY.read_text()))
    assert report.ok, report.problems
    assert report.minutes_signatures_checked >= 10


def test_every_old_aggregate_loads(old: Finsam) -> None:
    ids = {UUID(str(row[0])) for row in _stored("SELECT DISTINCT originator_id FROM stored_events")}
    assert len(ids) > 20
    for aggregate_id in ids:
        assert old.repository.get(aggregate_id).id == aggregate_id


def test_the_old_minutes_read_as_they_were_recorded(old: Finsam) -> None:
    text = old.minutes_text(ORNSKOLDSVIK, "2024-05-30")
    assert "§ 43" in text
    assert "RÄTTELSE 2024-06-20: Ska vara: följeforskningsprojektet." in text
    assert old.meeting(ORNSKOLDSVIK, "2024-09-12").is_final


def test_the_old_money_and_network_figures_read_the_same(old: Finsam) -> None:
    fee = old.service_fee(KRAMFORS, 2024)
    assert (fee.allocation, fee.fee) == (Decimal(2_586_000), Decimal(9_051))
    assert old.budget(KARLSKOGA_DEGERFORS, 2022).adopted.costs == 5_998_000
    roster = old.network_roster(date(2025, 6, 1))
    assert any(entry.org_nr == KRAMFORS and entry.member for entry in roster.entries)


def test_the_old_store_takes_new_writes_in_the_new_words_and_still_verifies(old: Finsam) -> None:
    old.convene_meeting(ORNSKOLDSVIK, "2024-11-28", date(2024, 11, 28), "Trolltjärn stadshuset Kronan")
    assert verify_store(old, load_public_key(OLD_KEY.read_text())).events == 428 + 3
    (stored,) = old.recorder.select_events(old.meeting(ORNSKOLDSVIK, "2024-11-28").id)
    assert stored.topic == "finsam_core.domain.meeting:Meeting.Convened"
    assert b'"forbund_id"' in stored.state and b'"class_version":2' in stored.state
    (first,) = old.recorder.select_events(old.meeting(ORNSKOLDSVIK, "2024-05-30").id, limit=1)
    assert b'"association_id"' in first.state  # the old event stays as it was written
