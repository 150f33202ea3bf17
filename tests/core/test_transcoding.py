"""The msgspec mapper keeps every payload type exactly, and old events are upcast on every store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID, uuid4

import msgspec
import pytest
from eventsourcing.application import Application
from eventsourcing.cipher import AESCipher
from eventsourcing.domain import Aggregate, Snapshot, event
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    TranscodingNotRegisteredError,
)
from eventsourcing.utils import get_topic

from finsam_core.transcoding import (
    MsgspecMapper,
    MsgspecTranscoder,
    construct_msgspec_mapper,
    event_struct,
)

STOCKHOLM_SUMMER = timezone(timedelta(hours=2))


class Colour(StrEnum):
    RED = "röd"
    GREEN = "grön"


class Line(msgspec.Struct, frozen=True):
    text: str
    amount: Decimal
    colour: Colour


class Ledger(Aggregate):
    """A test aggregate whose events carry every payload type the domain uses."""

    Posted: ClassVar[type[Aggregate.Event]]
    """Made by ``@event("Posted")`` below; declared so the type checker knows it."""

    @event("Opened")
    def __init__(self, name: str, opened_on: date, owner: UUID, note: str | None = None) -> None:
        self.name = name
        self.opened_on = opened_on
        self.owner = owner
        self.note = note
        self.lines: tuple[Line, ...] = ()
        self.total = Decimal("0.00")
        self.tags: dict[str, int] = {}
        self.colour: Colour | None = None

    @event("Posted")
    def post(
        self,
        lines: tuple[Line, ...],
        at: datetime,
        total: Decimal,
        count: int,
        final: bool,
        tags: dict[str, int],
        reference: UUID | None,
        colour: Colour,
        first: Line | None,
    ) -> None:
        self.lines = self.lines + lines
        self.total += total
        self.tags = {**self.tags, **tags}
        self.colour = colour


class LedgerApp(Application[UUID]):
    def construct_mapper(self) -> Mapper[UUID]:
        return construct_msgspec_mapper(self.factory)


def new_mapper() -> MsgspecMapper[UUID]:
    return MsgspecMapper(transcoder=MsgspecTranscoder())


def posted_ledger() -> Ledger:
    ledger = Ledger("Kassabok för Samordningsförbundet Älvsby", date(2024, 2, 29), uuid4(), None)
    ledger.post(
        lines=(
            Line("Förvaltningsbidrag från Försäkringskassan", Decimal("1250000.50"), Colour.GREEN),
            Line("Återbetalning", Decimal("-0.01"), Colour.RED),
        ),
        at=datetime(2024, 6, 3, 14, 5, 9, 123456, tzinfo=STOCKHOLM_SUMMER),
        total=Decimal("1250000.49"),
        count=2,
        final=True,
        tags={"år": 2024},
        reference=None,
        colour=Colour.GREEN,
        first=Line("Första", Decimal("1E+3"), Colour.RED),
    )
    return ledger


def round_trip(mapper: Mapper[UUID], domain_event: Any) -> Any:
    return mapper.to_domain_event(mapper.to_stored_event(domain_event))


@pytest.fixture
def app(store_env: dict[str, str]) -> Iterator[LedgerApp]:
    application = LedgerApp(env=store_env)
    yield application
    application.close()


def test_every_payload_type_round_trips_through_the_mapper() -> None:
    mapper = new_mapper()
    for domain_event in posted_ledger().collect_events():
        assert vars(round_trip(mapper, domain_event)) == vars(domain_event)


def test_values_keep_their_exact_types() -> None:
    posted = posted_ledger().collect_events()[1]
    copy = round_trip(new_mapper(), posted)
    assert type(copy.lines) is tuple
    assert all(type(line) is Line for line in copy.lines)
    assert copy.colour is Colour.GREEN
    assert type(copy.reference) is type(None)
    assert type(copy.originator_id) is UUID


def test_decimal_keeps_its_digits_and_exponent() -> None:
    copy = round_trip(new_mapper(), posted_ledger().collect_events()[1])
    assert str(copy.total) == "1250000.49"
    assert str(copy.lines[1].amount) == "-0.01"
    assert str(copy.first.amount) == "1E+3"


def test_datetime_keeps_its_offset_and_microseconds() -> None:
    copy = round_trip(new_mapper(), posted_ledger().collect_events()[1])
    assert copy.at.utcoffset() == timedelta(hours=2)
    assert copy.at.microsecond == 123456
    assert copy.timestamp.tzinfo is not None


def test_stored_state_is_plain_json_without_type_tags() -> None:
    stored = new_mapper().to_stored_event(posted_ledger().collect_events()[1])
    assert b'"total":"1250000.49"' in stored.state
    assert b"_type_" not in stored.state
    assert "grön" in stored.state.decode()


def test_an_unknown_payload_type_is_refused_when_encoding() -> None:
    ledger = Ledger("x", date(2024, 1, 1), uuid4())
    ledger.post((), datetime.now(UTC), Decimal(0), 0, False, {}, None, Colour.RED, None)
    posted = ledger.collect_events()[1]
    object.__setattr__(posted, "tags", {"x": object()})
    with pytest.raises(TranscodingNotRegisteredError):
        new_mapper().to_stored_event(posted)


def test_a_payload_that_contradicts_the_type_hints_is_refused_when_decoding() -> None:
    posted = posted_ledger().collect_events()[1]
    object.__setattr__(posted, "count", "two")
    mapper = new_mapper()
    with pytest.raises(MapperDeserialisationError):
        mapper.to_domain_event(mapper.to_stored_event(posted))


def test_the_mapper_refuses_the_stock_json_transcoder() -> None:
    with pytest.raises(TypeError, match="MsgspecTranscoder"):
        MsgspecMapper(transcoder=JSONTranscoder())


def test_event_struct_leaves_out_the_originator() -> None:
    names = {field.name for field in msgspec.structs.fields(event_struct(Ledger.Posted))}
    assert "originator_id" not in names
    assert "originator_version" not in names
    assert {"timestamp", "lines", "total"} <= names


def test_event_struct_has_a_class_version_only_past_version_1() -> None:
    def names(cls: type) -> set[str]:
        return {field.name for field in msgspec.structs.fields(event_struct(cls))}

    assert "class_version" not in names(Ledger.Posted)
    assert "class_version" in names(Account.Credited)


def test_an_application_round_trips_the_aggregate_on_every_store(app: LedgerApp) -> None:
    ledger = posted_ledger()
    app.save(ledger)
    copy: Ledger = app.repository.get(ledger.id)
    assert vars(copy) == vars(ledger)


def test_a_snapshot_restores_the_aggregate_with_its_types(store_env: dict[str, str]) -> None:
    app = LedgerApp(env={**store_env, "IS_SNAPSHOTTING_ENABLED": "y"})
    try:
        ledger = posted_ledger()
        app.save(ledger)
        app.take_snapshot(ledger.id)
        assert app.snapshots is not None
        (snapshot,) = app.snapshots.get(ledger.id)
        assert isinstance(snapshot, Snapshot)
        restored = snapshot.mutate(None)
        assert isinstance(restored, Ledger)
        assert vars(restored) == vars(ledger)
        assert type(restored.lines) is tuple
        assert restored.colour is Colour.GREEN
    finally:
        app.close()


def test_cipher_and_compressor_still_apply(store_env: dict[str, str]) -> None:
    env = {
        **store_env,
        "CIPHER_TOPIC": get_topic(AESCipher),
        "CIPHER_KEY": AESCipher.create_key(16),
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
    }
    app = LedgerApp(env=env)
    try:
        ledger = posted_ledger()
        app.save(ledger)
        (stored, *_) = app.recorder.select_events(ledger.id)
        assert "Samordningsförbundet".encode() not in stored.state
        assert vars(app.repository.get(ledger.id)) == vars(ledger)
    finally:
        app.close()


# --- Upcasting: version 1 was stored, the code now has version 2 ---


class Account(Aggregate):
    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name
        self.balance = Decimal("0.00")
        self.currency = ""

    class Credited(Aggregate.Event):
        """v1: ``amount`` in kronor. v2 adds ``currency`` (v1 events were all SEK)."""

        class_version = 2
        amount: Decimal
        currency: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["currency"] = "SEK"

        def apply(self, aggregate: Any) -> None:
            aggregate.balance += self.amount
            aggregate.currency = self.currency

    class Fee(Aggregate.Event):
        """v1: ``amount`` as whole öre (an int). v2: kronor as a Decimal; the v1 shape still
        decodes as v2, so only the stored class_version says it must be upcast."""

        class_version = 2
        amount: Decimal

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["amount"] = str(Decimal(state["amount"]) / 100)

        def apply(self, aggregate: Any) -> None:
            aggregate.balance -= self.amount


def store_v1(app: LedgerApp, account_id: UUID, version: int, cls: type, payload: bytes) -> None:
    timestamp = b'"timestamp":"2019-03-01T09:30:00.000001+01:00"'
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=account_id,
                originator_version=version,
                topic=get_topic(cls),
                state=b"{" + timestamp + b"," + payload + b"}",
            )
        ]
    )


def test_a_stored_v1_event_is_upcast_to_v2_on_every_store(app: LedgerApp) -> None:
    account = Account("Driftkonto")
    app.save(account)
    store_v1(app, account.id, 2, Account.Credited, b'"amount":"100.25"')
    store_v1(app, account.id, 3, Account.Fee, b'"amount":1250')

    (_, credited, fee) = app.events.get(account.id)
    assert isinstance(credited, Account.Credited) and isinstance(fee, Account.Fee)
    assert credited.amount == Decimal("100.25")
    assert credited.currency == "SEK"
    assert fee.amount == Decimal("12.5")
    restored: Account = app.repository.get(account.id)
    assert restored.balance == Decimal("87.75")
    assert restored.currency == "SEK"


def test_a_v2_event_is_stored_with_its_class_version(app: LedgerApp) -> None:
    account = Account("Driftkonto")
    account.trigger_event(Account.Credited, amount=Decimal("5.00"), currency="EUR")
    app.save(account)
    (_, stored) = app.recorder.select_events(account.id)
    assert b'"class_version":2' in stored.state
    restored: Account = app.repository.get(account.id)
    assert (restored.balance, restored.currency) == (Decimal("5.00"), "EUR")
