"""Builders for auditors and discharge: the auditors and the 2020 annual report of Karlskoga/Degerfors
(`001_*`), and a second förbund of Region Örebro län for the region's handling of several förbund.

Import them from ``finsam_core.testing.discharge``.
"""

from __future__ import annotations

from datetime import date

from finsam_core.application import Finsam
from finsam_core.domain.charter import Charter, DecisionRef, SeatAllocation
from finsam_core.rules.discharge import AuditorKind
from finsam_core.testing.governance import KARLSKOGA_DEGERFORS, TERM_2019, appoint_board, record_board_decision
from finsam_core.testing.network import fictitious_org_nr
from finsam_core.values import MemberKind, MemberOrganisation

__all__ = [
    "KARLSKOGA_AUDITORS_2020",
    "REPORT_2020",
    "SYDNARKE",
    "appoint_auditors",
    "approve_report_2020",
    "audit_2020",
    "register_sydnarke",
]

KARLSKOGA_AUDITORS_2020 = (
    ("Nils Nordqvist", "FK", AuditorKind.AUTHORISED),
    ("Gunilla Carlsson", "RÖL", AuditorKind.LAY),
    ("Annica Blomgren", "DK", AuditorKind.LAY),
    ("Marie-Louise Naucler", "KK", AuditorKind.LAY),
)
"""The auditors of the annual report 2020 (`001_*` §1.2.1 and the signatures): the state's authorised
auditor and the region's and the two kommuner's lay auditors. Their term is FICTITIOUS (TERM_2019)."""

REPORT_2020 = dict(income=7_078_387, costs=6_550_801, depreciation=39_986, result=487_600, equity_at_year_end=1_313_302)
"""Annual report 2020 of Karlskoga/Degerfors (`001_*`)."""

AUDITED_ON = date(2021, 4, 16)
""""KARLSKOGA DEN 16 APRIL 2021" above the auditors' signatures (`001_*`)."""

SYDNARKE = fictitious_org_nr(901)
"""Samordningsförbundet Sydnärke, named in `001_*`; its org nr and members other than the region are FICTITIOUS."""


def appoint_auditors(app: Finsam, org_nr: str = KARLSKOGA_DEGERFORS) -> None:
    for name, key, kind in KARLSKOGA_AUDITORS_2020:
        app.appoint_auditor(org_nr, key, name, kind, *TERM_2019)


def approve_report_2020(app: Finsam, org_nr: str = KARLSKOGA_DEGERFORS) -> DecisionRef:
    """The board of ``org_nr`` (FICTITIOUS board and meeting) approves a report 2020 with the seed's figures."""
    appoint_board(app, org_nr, TERM_2019)
    ref = record_board_decision(
        app, org_nr, "2021-1", date(2021, 2, 8), "Årsredovisning 2020", ("att godkänna årsredovisningen för 2020",)
    )
    app.approve_annual_report(org_nr, 2020, authorised_by=ref, **REPORT_2020)
    return ref


def audit_2020(app: Finsam, org_nr: str = KARLSKOGA_DEGERFORS) -> None:
    """The four auditors sign the audit report of 2020 on 16 April 2021 and recommend discharge."""
    app.record_audit_report(
        org_nr,
        2020,
        recommends_discharge=True,
        auditors=tuple(name for name, _, _ in KARLSKOGA_AUDITORS_2020),
        reported_on=AUDITED_ON,
    )


def register_sydnarke(app: Finsam) -> None:
    """A second förbund with Region Örebro län as member (FICTITIOUS org nr and kommun)."""
    members = (
        MemberOrganisation("FK", "Försäkringskassan", MemberKind.FORSAKRINGSKASSAN),
        MemberOrganisation("AF", "Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN),
        MemberOrganisation("ROL", "Region Örebro län", MemberKind.REGION),
        MemberOrganisation("HK", "Hallsbergs kommun", MemberKind.KOMMUN),  # FICTITIOUS
    )
    app.register_forbund(
        SYDNARKE,
        "Samordningsförbundet Sydnärke",
        members,
        Charter(seats=tuple(SeatAllocation(m.key) for m in members)),
        founded_on=date(2008, 1, 1),  # FICTITIOUS
    )
