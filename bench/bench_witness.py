"""Benchmark: a witness checking 100 000 new events beside the raw re-hash of the same leaves.

    .venv/bin/python bench/bench_witness.py [--events 100000] [--per-write 100]

Writes ``--events`` events through the audited SQLite recorder (``--per-write`` per signed write,
each write with an actor), then times, in the same run:

*baseline*: the raw re-hash, ``hash = sha256(hash ‖ leaf)`` over the same leaves, already in memory;
*witness (pull + re-hash)*: ``finsam_core.audit.witness.witness`` from an empty file, reading the
service's answers (the JSON bytes ``GET /v1/audit/heads`` and ``/leaves`` send, prepared beforehand)
through an httpx client: decode, re-hash, check every signed head and the latest signature, sign
and write its file;
*server*: what the service spends producing those leaves from the stored events;
*witness against the store*: the witness reading the store directly (server and witness together).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

os.environ.setdefault("FINSAM_SIGNING_KEY", str(Path(tempfile.mkdtemp()) / "bench-key.pem"))

import httpx
import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor
from finsam_core.audit.chain import GENESIS
from finsam_core.audit.publish import RECORD, published_heads, published_leaves
from finsam_core.audit.witness import witness
from finsam_core.audit.witness_wire import HttpSource, StoreSource, WireLeaves, wire_heads, wire_leaves
from finsam_core.domain.meeting import Meeting

TOPIC = get_topic(Meeting.Decided)  # type: ignore[attr-defined]  # an @event class


def fill(app: Finsam, events: int, per_write: int) -> None:
    streams = [uuid4() for _ in range(max(1, events // 50))]
    versions = dict.fromkeys(streams, 0)
    stamp = datetime(2024, 5, 30, 10, 0, tzinfo=UTC).isoformat()
    actor = Actor.http(token_id="0123456789abcdef", role="forbund-writer", label="Kansliet", request_id="bench")
    written = 0
    while written < events:
        batch = []
        for i in range(min(per_write, events - written)):
            stream = streams[(written + i) % len(streams)]
            versions[stream] += 1
            state = (
                f'{{"timestamp":"{stamp}","number":{versions[stream]},"clauses":["att godkänna '
                f'rapporten {written + i}"],"matter":"general"}}'
            ).encode()
            batch.append(StoredEvent(stream, versions[stream], TOPIC, state))
        app.recorder.insert_events(batch, actor=actor)
        written += len(batch)


def prepared_answers(app: Finsam) -> dict[tuple[str, int], bytes]:
    """The service's JSON answers, keyed by route and the position asked from."""
    answers: dict[tuple[str, int], bytes] = {}
    heads = published_heads(app, 0, 1)  # The witness asks for the key and the latest head only.
    answers[("/v1/audit/heads", 0)] = msgspec.json.encode(wire_heads(heads))
    after: int | None = 0
    upto = heads.latest.position if heads.latest else 0
    while after is not None:
        page = published_leaves(app, after, upto)
        answers[("/v1/audit/leaves", after)] = msgspec.json.encode(wire_leaves(page))
        after = page.next_after
    return answers


def http_source(answers: dict[tuple[str, int], bytes]) -> HttpSource:
    def answer(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("since", request.url.params.get("after", "0")))
        return httpx.Response(200, content=answers[(request.url.path, start)])

    return HttpSource("http://finsam.bench", httpx.Client(transport=httpx.MockTransport(answer)))


def timed(fn: Any, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--per-write", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp).as_posix().lstrip('/')}/witness.sqlite"
        app = Finsam(store_url=url)
        fill(app, args.events, args.per_write)
        answers = prepared_answers(app)
        leaves = [
            leaf
            for key, body in answers.items()
            if key[0] == "/v1/audit/leaves"
            for _, leaf in RECORD.iter_unpack(msgspec.json.decode(body, type=WireLeaves).records)
        ]
        key = Ed25519PrivateKey.generate()
        runs = iter(range(1_000_000))

        def raw_rehash() -> None:
            prev, sha256 = GENESIS, hashlib.sha256
            for leaf in leaves:
                prev = sha256(prev + leaf).digest()

        def witness_client() -> None:
            report = witness(http_source(answers), Path(tmp) / f"w{next(runs)}.json", key)
            assert report.ok and report.checked == len(leaves), report.summary()

        def server() -> None:
            prepared_answers(app)

        def witness_store() -> None:
            report = witness(StoreSource(app, url), Path(tmp) / f"s{next(runs)}.json", key)
            assert report.ok, report.summary()

        baseline = client = float("inf")
        for _ in range(args.repeat):  # Alternate the two, best of each: the load of the machine varies.
            baseline = min(baseline, timed(raw_rehash, 1))
            client = min(client, timed(witness_client, 1))
        served = timed(server)
        direct = timed(witness_store)
        print(f"events={len(leaves)} writes={len(leaves) // args.per_write}")
        print(f"baseline raw re-hash            {baseline:7.3f} s  1.00x")
        print(f"witness (pull + re-hash)        {client:7.3f} s  {client / baseline:.2f}x")
        print(f"server: leaves from the events  {served:7.3f} s  {served / baseline:.2f}x")
        print(f"witness against the store       {direct:7.3f} s  {direct / baseline:.2f}x")


if __name__ == "__main__":
    main()
