"""A discharge decision stored before issue 15 (``DischargeDecided`` version 1) reads with today's code."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from finsam_core.application import Finsam
from finsam_core.domain.annual_report import AnnualReport
from finsam_core.testing import KARLSKOGA_DEGERFORS

OLD_STORE = Path(__file__).parent / "data" / "store-v1.sqlite"


def test_the_old_stores_discharge_decision_is_upcast_to_version_2(tmp_path: Path) -> None:
    with sqlite3.connect(f"file:{OLD_STORE}?mode=ro", uri=True) as connection:
        [(state,)] = connection.execute(
            "SELECT state FROM stored_events WHERE topic LIKE '%AnnualReport.DischargeDecided'"
        ).fetchall()
    assert b"class_version" not in bytes(state) and b"body_kind" not in bytes(state)  # stored as version 1
    copy = tmp_path / "store-v1.sqlite"
    shutil.copyfile(OLD_STORE, copy)
    report = Finsam(store_url=f"sqlite:///{copy}").annual_report(KARLSKOGA_DEGERFORS, 2020)
    assert isinstance(report, AnnualReport)
    [(key, decision)] = report.discharges.items()
    assert (key, decision.granted, decision.body_kind, decision.covers) == ("Regionen", True, None, ())
    assert decision.decision.reference == "21RS3479"
    assert report.proposals == {}
