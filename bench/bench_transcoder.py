"""Encode and decode time of finsam's msgspec mapper beside eventsourcing's stock mapper.

The baseline is what a stock eventsourcing user would run: ``Mapper`` with ``JSONTranscoder`` and
transcodings registered for ``UUID``, ``Decimal``, ``datetime``, ``date`` and our structs. The
events come from a small aggregate in this file shaped like the meeting's events: UUIDs, dates,
timestamps, Decimal amounts, tuples of small structs, enums and Swedish text. Targets: encode at
least 10x faster, decode at least 4x faster.

    .venv/bin/python bench/bench_transcoder.py [--events 100000] [--repeat 5]

Each result is dropped as soon as it is made, as when a repository replays events into an
aggregate: kept in a list, 100 000 results would mostly time the garbage collector re-scanning
them. Prints one machine-readable line per figure, e.g.
``transcoder.encode  stock=1.234 s  msgspec=0.100 s  ratio=12.3x``. The stock mapper does less
than ours: it returns tuples as lists and enums as plain strings, which ours restores.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

import msgspec
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    UUIDAsHex,
)

from finsam_core.transcoding import MsgspecMapper, MsgspecTranscoder


class Role(StrEnum):
    BOARD_MEMBER = "ledamot"
    DEPUTY = "ersattare"


class Present(msgspec.Struct, frozen=True):
    name: str
    member_key: str
    role: Role
    votes: bool


class Allocation(msgspec.Struct, frozen=True):
    member_key: str
    amount: Decimal


class BenchMeeting(Aggregate):
    """Shaped like finsam's meeting: convened, attendance, decisions with money, adjusted."""

    @event("Convened")
    def __init__(self, forbund_id: UUID, reference: str, held_on: date, place: str) -> None:
        self.reference = reference

    @event("AttendanceRecorded")
    def record_attendance(self, attendees: tuple[Present, ...], recorded_at: datetime) -> None:
        pass

    @event("Decided")
    def decide(
        self,
        number: int,
        heading: str,
        clauses: tuple[str, ...],
        allocations: tuple[Allocation, ...],
        total: Decimal,
        case_id: UUID | None,
    ) -> None:
        pass

    @event("Adjusted")
    def adjust(self, adjusted_on: date, adjusters: tuple[str, ...]) -> None:
        pass


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class StructAsDict(Transcoding):
    def __init__(self, struct: type[msgspec.Struct]) -> None:
        self.type = struct
        self.name = struct.__name__

    def encode(self, obj: msgspec.Struct) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in obj.__struct_fields__}

    def decode(self, data: dict[str, Any]) -> msgspec.Struct:
        return self.type(**data)


def stock_mapper() -> Mapper[UUID]:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    transcoder.register(StructAsDict(Present))
    transcoder.register(StructAsDict(Allocation))
    return Mapper(transcoder=transcoder)


PEOPLE = ["Åsa Öberg", "Per-Erik Lindström", "Märta Häggqvist", "Jörgen Åkesson", "Siv Nyström"]
MEMBERS = ["FK", "AF", "RVN", "ÖK", "KRK"]


def build_events(count: int, seed: int = 20240611) -> list[Any]:
    """``count`` events from meetings of 20 events each: 1 convened, 1 attendance, 17
    decisions, 1 adjustment."""
    rng = random.Random(seed)
    events: list[Any] = []
    day = date(2024, 1, 15)
    while len(events) < count:
        meeting = BenchMeeting(uuid4(), f"FS {day.year}:{len(events) // 20 + 1}", day, "Örnsköldsvik")
        meeting.record_attendance(
            tuple(
                Present(name, key, Role.BOARD_MEMBER if i % 2 == 0 else Role.DEPUTY, i % 2 == 0)
                for i, (name, key) in enumerate(zip(PEOPLE, MEMBERS, strict=True))
            ),
            datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC),
        )
        for number in range(1, 18):
            amounts = [Decimal(rng.randrange(10_000, 5_000_000)) / 100 for _ in MEMBERS]
            meeting.decide(
                number,
                f"§ {number} Budget för insatser {day.year + 1}",
                ("att fastställa budgeten enligt förslaget", "att uppdra åt förbundschefen"),
                tuple(Allocation(k, a) for k, a in zip(MEMBERS, amounts, strict=True)),
                sum(amounts, Decimal("0.00")),
                uuid4() if number % 3 else None,
            )
        meeting.adjust(day + timedelta(days=7), (PEOPLE[0], PEOPLE[2]))
        events.extend(meeting.collect_events())
        day += timedelta(days=1)
    return events[:count]


def best_of_each(repeat: int, baseline: Callable[[], None], candidate: Callable[[], None]) -> tuple[float, float]:
    """The best time of each, the two run in turn so that both meet the same machine load."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for work, sink in ((baseline, times[0]), (candidate, times[1])):
            gc.collect()
            started = time.perf_counter()
            work()
            sink.append(time.perf_counter() - started)
    return min(times[0]), min(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    events = build_events(args.events)
    stock = stock_mapper()
    ours: MsgspecMapper[UUID] = MsgspecMapper(transcoder=MsgspecTranscoder())
    stock_stored: list[StoredEvent] = [stock.to_stored_event(e) for e in events]
    our_stored: list[StoredEvent] = [ours.to_stored_event(e) for e in events]
    for original, stored in zip(events[:200], our_stored[:200], strict=True):
        assert vars(ours.to_domain_event(stored)) == vars(original), "round trip failed"
    # The inputs live through every run; keep the collector from rescanning them (both sides
    # still pay for collecting what they allocate).
    gc.collect()
    gc.freeze()

    def encode_all(mapper: Mapper[UUID]) -> Callable[[], None]:
        def run() -> None:
            for domain_event in events:
                mapper.to_stored_event(domain_event)

        return run

    def decode_all(mapper: Mapper[UUID], stored: list[StoredEvent]) -> Callable[[], None]:
        def run() -> None:
            for stored_event in stored:
                mapper.to_domain_event(stored_event)

        return run

    figures = {
        "encode": best_of_each(args.repeat, encode_all(stock), encode_all(ours)),
        "decode": best_of_each(args.repeat, decode_all(stock, stock_stored), decode_all(ours, our_stored)),
    }
    stock_bytes = sum(len(s.state) for s in stock_stored)
    our_bytes = sum(len(s.state) for s in our_stored)
    print(f"# {len(events)} events, best of {args.repeat}")
    for name, (baseline, measured) in figures.items():
        print(f"transcoder.{name}  stock={baseline:.3f} s  msgspec={measured:.3f} s  ratio={baseline / measured:.1f}x")
    print(f"transcoder.bytes  stock={stock_bytes}  msgspec={our_bytes}  ratio={stock_bytes / our_bytes:.2f}x")


if __name__ == "__main__":
    main()
