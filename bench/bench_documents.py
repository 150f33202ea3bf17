"""Benchmark: the documents beside the text rendering of the same data.

    .venv/bin/python bench/bench_documents.py [--repeat 15]

- Minutes of a 20-paragraph meeting (each § with a body, a decision; one with a vote and a
  reservation), adjusted: the PDF (:func:`finsam_core.documents.minutes_pdf`) and the HTML beside
  the text (:func:`finsam_core.domain.minutes.render_minutes`).
- The NNS fee list of 100 förbund for a year: XLSX beside CSV, the text form of the same table.

Median wall time of ``--repeat`` runs each, in milliseconds, and the ratio to the text.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.documents import minutes_html, minutes_pdf
from finsam_core.documents.exports import export_table, table_csv, table_xlsx
from finsam_core.documents.reading import meeting_row, views_of
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.domain.minutes import render_minutes
from finsam_core.projections.memory import MemoryViews
from finsam_core.projections.rows import FeePolicyRow, FeeRow, KnownForbundRow
from finsam_core.values import Ballot

ORG, REF = testing.ORNSKOLDSVIK, "2024-10-01"
BODY = (
    "Förbundschefen redogjorde för ärendet och de underlag som skickats ut med kallelsen. Styrelsen "
    "diskuterade hur insatsen följs upp och vilka parter som ska delta i nästa steg. "
) * 3


def _meeting(app: Finsam) -> None:
    names = ("Jan-Olov Häggström", "Fredrik Berglund", "Camilla Steen", "Zenitha Nordfjell")
    with app.batch() as tx:
        tx.convene_meeting(ORG, REF, date(2024, 10, 1), "Stadshuset")
        tx.record_attendance(
            ORG, REF, tuple(Attendee(n, Capacity.BOARD_MEMBER) for n in names), chair=names[0], secretary="Pär Eriksson"
        )
        for k in range(20):
            n = tx.add_paragraph(ORG, REF, f"Ärende {k + 1}", BODY)
            if k == 2:
                tx.elect_adjusters(ORG, REF, (names[1],))
            if k == 10:
                ballots = {names[0]: Ballot.YES, names[1]: Ballot.YES, names[2]: Ballot.NO, names[3]: Ballot.YES}
                tx.vote(ORG, REF, n, "att godkänna förslaget", ballots)
                tx.decide(ORG, REF, n, ("att godkänna förslaget",))
                tx.enter_reservation(ORG, REF, n, names[2], testing.ORNSKOLDSVIK_RESERVATION)
            else:
                tx.decide(ORG, REF, n, (f"Att lägga informationen i ärende {k + 1} till handlingarna.",))
        for name in (names[0], names[1]):
            tx.sign_minutes(ORG, REF, name, datetime(2024, 10, 8, 12, tzinfo=UTC))
        tx.post_notice(ORG, REF, date(2024, 10, 9), "Förbundets anslagstavla")


def _fee_views(count: int) -> MemoryViews:
    views = MemoryViews()
    known = [KnownForbundRow(testing.fictitious_org_nr(n), f"Fiktivt förbund {n:03d}", n) for n in range(1, count + 1)]
    policy = FeePolicyRow(2024, None, Decimal("3.5"), Decimal(30_000), "NNS medlemsmöte", 1)
    views.write_network(known, [policy])
    for n, k in enumerate(known, 1):
        allocation = Decimal(1_000_000 + 37_000 * n)
        fee = min(allocation * Decimal("3.5") / 1000, Decimal(30_000)).quantize(Decimal(1))
        views.write_fee(
            k.org_nr, 2024, FeeRow(k.org_nr, 2024, allocation, Decimal("3.5"), Decimal(30_000), fee, False, (), n)
        )
    return views


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    app = Finsam(store_url="memory:")
    testing.register_ornskoldsvik(app)
    _meeting(app)
    meeting = app.meeting(ORG, REF)
    sheet = meeting_row(views_of(app), ORG, REF).sheet
    fees = export_table(_fee_views(100), "fees", year=2024, as_of=None, org_nr=None)
    assert len(fees.rows) == 100
    text = _median_ms(lambda: render_minutes(meeting), args.repeat)
    rows = [
        ("minutes, 20 §: text", text, 1.0),
        ("minutes, 20 §: HTML", html := _median_ms(lambda: minutes_html(sheet), args.repeat), html / text),
        ("minutes, 20 §: PDF", pdf := _median_ms(lambda: minutes_pdf(sheet), args.repeat), pdf / text),
    ]
    csv = _median_ms(lambda: table_csv(fees), args.repeat)
    rows += [
        ("fee list, 100 förbund: CSV", csv, 1.0),
        ("fee list, 100 förbund: XLSX", xlsx := _median_ms(lambda: table_xlsx(fees), args.repeat), xlsx / csv),
    ]
    print(f"{'document':<32} {'median ms':>10} {'× text':>8}")
    for name, ms, ratio in rows:
        print(f"{name:<32} {ms:>10.2f} {ratio:>8.0f}x")


if __name__ == "__main__":
    main()
