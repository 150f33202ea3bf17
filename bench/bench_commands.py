"""Commands per second through finsam's application beside a stock eventsourcing set-up.

Both applications run the same commands on the same aggregates; the only difference is the mapper:
finsam's msgspec mapper versus eventsourcing's stock ``Mapper`` with its ``JSONTranscoder`` (with
the transcodings our value types need registered, as a stock user would have to). Both keep
eventsourcing's aggregate cache on, fast-forwarded. Both write through the same audited recorder
(so ``FINSAM_SIGN_WITHIN_MS``, set in the environment, applies to both sides, and the ratio is what
finsam's application and mapper add or save). Each figure is printed beside its baseline from the
same run, on SQLite and on the embedded PostgreSQL, with the signer setting and the load average.

    .venv/bin/python bench/bench_commands.py [--meetings 40] [--per-meeting 10]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time as clock
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoding

from finsam_core import values
from finsam_core.application import Finsam
from finsam_core.domain import charter, meeting_parts
from finsam_core.domain import forbund as forbund_module
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.embedded import EmbeddedPostgres, create_database
from finsam_core.rules import majority
from finsam_core.testing import ORNSKOLDSVIK, register_ornskoldsvik


class _Simple(Transcoding):
    def __init__(self, type_: type, name: str, encode: Any, decode: Any) -> None:
        self.type, self.name, self._encode, self._decode = type_, name, encode, decode

    def encode(self, obj: Any) -> Any:
        return self._encode(obj)

    def decode(self, data: Any) -> Any:
        return self._decode(data)


def stock_transcoder() -> JSONTranscoder:
    """eventsourcing's JSONTranscoder with a transcoding for every type our events hold."""
    transcoder = JSONTranscoder()
    transcoder.register(_Simple(UUID, "uuid_hex", lambda o: o.hex, UUID))
    transcoder.register(_Simple(Decimal, "decimal_str", str, Decimal))
    transcoder.register(_Simple(datetime, "datetime_iso", datetime.isoformat, datetime.fromisoformat))
    transcoder.register(_Simple(date, "date_iso", date.isoformat, date.fromisoformat))
    transcoder.register(_Simple(time, "time_iso", time.isoformat, time.fromisoformat))
    transcoder.register(_Simple(tuple, "tuple", list, tuple))
    for module in (values, charter, meeting_parts, forbund_module, majority):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, msgspec.Struct) and obj is not msgspec.Struct:
                transcoder.register(
                    _Simple(
                        obj,
                        obj.__qualname__,
                        lambda o: {f: getattr(o, f) for f in o.__struct_fields__},
                        lambda d, cls=obj: cls(**d),
                    )
                )
            elif isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == module.__name__:
                transcoder.register(_Simple(obj, obj.__qualname__, lambda o: o.value, obj))
    return transcoder


class StockFinsam(Finsam):
    """The same application with eventsourcing's stock mapper and JSON transcoder, in its best
    configuration: eventsourcing's own aggregate cache on (the same size as finsam's) and
    fast-forwarded from the store, as finsam runs it (issue 16: a baseline with its cache off
    flattered the published ratio)."""

    def __init__(self, *, store_url: str) -> None:
        super().__init__({"AGGREGATE_CACHE_MAXSIZE": "5000", "AGGREGATE_CACHE_FASTFORWARD": "y"}, store_url=store_url)

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=stock_transcoder())


ATTENDEES = (
    Attendee("Jan-Olov Häggström", Capacity.BOARD_MEMBER),
    Attendee("Fredrik Berglund", Capacity.BOARD_MEMBER),
    Attendee("Camilla Steen", Capacity.BOARD_MEMBER),
    Attendee("Pär Eriksson", Capacity.OTHER, title="förbundschef"),
)


def one_command_at_a_time(app: Finsam, meetings: int, per_meeting: int) -> float:
    """Commands/s: each command loads its meeting, checks the rules, records one event."""
    register_ornskoldsvik(app)
    for m in range(meetings):
        ref = f"2024-{m:03d}"
        app.convene_meeting(ORNSKOLDSVIK, ref, date(2024, 6, 1), "Örnsköldsvik")
        app.record_attendance(ORNSKOLDSVIK, ref, ATTENDEES, "Jan-Olov Häggström", "Pär Eriksson")
    started = clock.perf_counter()
    commands = 0
    for m in range(meetings):
        ref = f"2024-{m:03d}"
        number = app.add_paragraph(ORNSKOLDSVIK, ref, "Informationsärenden")
        commands += 1
        for i in range(per_meeting - 1):
            app.note_information(ORNSKOLDSVIK, ref, number, f"Rapport {i}: förbundschefen informerade om läget.")
            commands += 1
    return commands / (clock.perf_counter() - started)


def whole_meetings(app: Finsam, meetings: int, paragraphs: int) -> float:
    """Events/s recording whole meetings, each one atomic write (as an import does)."""
    register_ornskoldsvik(app)
    before = app.recorder.max_notification_id() or 0
    started = clock.perf_counter()
    for m in range(meetings):
        ref = f"2025-{m:03d}"
        with app.batch() as tx:
            tx.convene_meeting(ORNSKOLDSVIK, ref, date(2025, 3, 1), "Örnsköldsvik")
            tx.record_attendance(ORNSKOLDSVIK, ref, ATTENDEES, "Jan-Olov Häggström", "Pär Eriksson")
            for p in range(paragraphs):
                n = tx.add_paragraph(ORNSKOLDSVIK, ref, f"Ärende {p}", "Bakgrund till ärendet.")
                tx.decide(ORNSKOLDSVIK, ref, n, (f"Att godkänna ärende {p}.",))
    events = (app.recorder.max_notification_id() or 0) - before
    return events / (clock.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=40)
    parser.add_argument("--per-meeting", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="turns of each side; each figure is its best")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        EmbeddedPostgres(Path(tmp) / "pg", temporary=True) as server,
    ):
        counter = 0

        def fresh(kind: str) -> str:
            nonlocal counter
            counter += 1
            if kind == "sqlite":
                return f"sqlite:///{Path(tmp).as_posix().lstrip('/')}/bench{counter}.sqlite"
            return create_database(server, f"bench{counter}")

        # The two sides take turns, --rounds times, each on a fresh store; each figure is the best of
        # its rounds, so a load spike on this shared machine cannot favour one side.
        for kind in ("sqlite", "postgres"):
            ours = stock = 0.0
            for _ in range(args.rounds):
                stock = max(
                    stock, one_command_at_a_time(StockFinsam(store_url=fresh(kind)), args.meetings, args.per_meeting)
                )
                ours = max(ours, one_command_at_a_time(Finsam(store_url=fresh(kind)), args.meetings, args.per_meeting))
            print(f"commands.{kind:<8} stock(cache on)={stock:8.0f}/s  finsam={ours:8.0f}/s  ratio={ours / stock:.2f}x")
        for kind in ("sqlite", "postgres"):
            ours = stock = 0.0
            for _ in range(args.rounds):
                stock = max(stock, whole_meetings(StockFinsam(store_url=fresh(kind)), 20, 15))
                ours = max(ours, whole_meetings(Finsam(store_url=fresh(kind)), 20, 15))
            print(f"meeting.{kind:<9} stock(cache)={stock:8.0f} ev/s finsam={ours:8.0f} ev/s ratio={ours / stock:.2f}x")
        within = os.environ.get("FINSAM_SIGN_WITHIN_MS", "default")
        print(f"FINSAM_SIGN_WITHIN_MS={within}; uptime load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
