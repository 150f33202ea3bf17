"""The delegation kinds of the file format: the Kramfors seed's delegated decision, refusals, per capsulam."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.formats import Status, import_paths
from finsam_core.rules.delegation import ReportState

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
KRAMFORS_DIR = SEEDS / "kramfors"


def _kramfors() -> Finsam:
    app = Finsam(store_url="memory:")
    results = import_paths(app, [KRAMFORS_DIR])
    assert all(r.status is Status.IMPORTED for r in results), [r.line() for r in results]
    return app


def test_the_kramfors_co_financing_of_6000_kr_is_a_delegated_decision_reported_in_paragraph_6() -> None:
    app = _kramfors()
    [decision] = app.delegated_decisions(testing.KRAMFORS)
    assert (decision.amount, decision.delegate, decision.item_code) == (Decimal(6000), "förbundschef", "2")
    assert (decision.state, decision.reported_in, decision.reported_paragraph) == (
        ReportState.REPORTED,
        "2024-01-26",
        6,
    )
    order = app.delegation_order_on(testing.KRAMFORS, date(2024, 1, 26))
    assert order is not None and (order.adopted_in, order.adopted_paragraph) == ("2023-12-08", 40)
    # The adjusted minutes were not touched: the report was already in § 6.
    assert app.meeting(testing.KRAMFORS, "2024-01-26").is_final


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_with_a_decision_over_the_cap_records_nothing(tmp_path: Path) -> None:
    app = _kramfors()
    before = testing.events_recorded(app)
    path = _write(
        tmp_path,
        "delegationsbeslut-2025.toml",
        """
kind = "delegationsbeslut"
forbund = "222000-1586"
ar = 2025

[[beslut]]
datum = 2025-02-01
punkt = "3"
delegat = "förbundschef"
arende = "Attest januari"

[[beslut]]
datum = 2025-02-03
punkt = "2"
delegat = "förbundschef"
arende = "Konferens"
belopp = 12000
""",
    )
    [result] = import_paths(app, [path])
    assert result.status is Status.REFUSED
    assert "beslut[1]" in result.summary and "överstiger gränsen 10 000 kr i punkt 2" in result.summary
    assert testing.events_recorded(app) == before


_PER_CAPSULAM = """
kind = "per_capsulam"
forbund = "222000-1586"
beteckning = "PC 2024:1"
forslag = "att Finsam medfinansierar Finsamkonferensen med 5 000 kr"
skickat = 2024-03-01
avslutat = 2024-03-08
svar = [
  { namn = "Thomas Näsholm", rost = "ja", datum = 2024-03-02 },
  { namn = "Johanna Zidén", rost = "ja", datum = 2024-03-04 },
  { namn = "Cecilia Sparf", rost = "nej", datum = 2024-03-05 },
]
"""


def test_a_per_capsulam_file_is_refused_when_the_charter_does_not_allow_it(tmp_path: Path) -> None:
    app = _kramfors()
    [result] = import_paths(app, [_write(tmp_path, "pc.toml", _PER_CAPSULAM)])
    assert result.status is Status.REFUSED
    assert "medger inte beslut per capsulam" in result.summary


def test_a_per_capsulam_file_records_the_answers_and_the_outcome(tmp_path: Path) -> None:
    app = Finsam(store_url="memory:")
    forbund = (KRAMFORS_DIR / "forbund.toml").read_text(encoding="utf-8")
    allowed = forbund.replace("[forbundsordning]", "[forbundsordning]\nper_capsulam = true", 1)
    assert allowed != forbund
    [registered] = import_paths(app, [_write(tmp_path, "forbund.toml", allowed)])
    assert registered.status is Status.IMPORTED, registered.line()
    [result] = import_paths(app, [_write(tmp_path, "pc.toml", _PER_CAPSULAM)])
    assert result.status is Status.IMPORTED, result.line()
    assert "(bifall)" in result.summary
    [row] = app.per_capsulam_decisions(testing.KRAMFORS)
    assert [a.name for a in row.answers] == ["Thomas Näsholm", "Johanna Zidén", "Cecilia Sparf"]
    assert row.explanation.startswith("2 ja, 1 nej")
