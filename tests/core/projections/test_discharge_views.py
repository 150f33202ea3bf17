"""The discharge status in the views, on both implementations: the year's auditors, the audit report and
each member's chain, as the library computes them, also when the auditors are appointed after the report."""

from __future__ import annotations

from datetime import date

from finsam_core import testing
from finsam_core.domain.charter import DecisionRef
from finsam_core.rules.discharge import BodyKind
from finsam_core.testing.discharge import appoint_auditors, approve_report_2020, audit_2020

from .conftest import Projected

COMMITTEE = DecisionRef(body="Regionstyrelsens arbetsutskott", reference="21RS3479", decided_on=date(2021, 6, 1))


def test_the_discharge_status_in_the_views_is_the_librarys(projected: Projected) -> None:
    app = projected.app
    testing.register_karlskoga_degerfors(app)
    approve_report_2020(app)
    appoint_auditors(app)
    audit_2020(app)
    app.propose_discharge(testing.KARLSKOGA_DEGERFORS, 2020, "RÖL", True, COMMITTEE, body_kind=BodyKind.COMMITTEE)
    row = projected.views().annual_report(testing.KARLSKOGA_DEGERFORS, 2020)
    assert row is not None
    assert row.discharge == app.discharge_status(testing.KARLSKOGA_DEGERFORS, 2020)
    assert [a.name for a in row.discharge.auditors] == [
        "Nils Nordqvist",
        "Gunilla Carlsson",
        "Annica Blomgren",
        "Marie-Louise Naucler",
    ]
    region = next(m for m in row.discharge.members if m.member_key == "RÖL")
    assert [s.reference for s in region.steps] == ["21RS3479"]


def test_auditors_appointed_after_the_report_appear_on_its_row(projected: Projected) -> None:
    app = projected.app
    testing.register_karlskoga_degerfors(app)
    approve_report_2020(app)
    first = projected.views().annual_report(testing.KARLSKOGA_DEGERFORS, 2020)
    assert first is not None and first.discharge.auditors == ()
    appoint_auditors(app)
    row = projected.views().annual_report(testing.KARLSKOGA_DEGERFORS, 2020)
    assert row is not None and len(row.discharge.auditors) == 4
    assert row.discharge == app.discharge_status(testing.KARLSKOGA_DEGERFORS, 2020)
