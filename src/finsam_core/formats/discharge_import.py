"""Recording the discharge kinds of the format: a förbund's auditors and a member's discharge step."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from finsam_core.application import Finsam
from finsam_core.domain.charter import DecisionRef
from finsam_core.formats.discharge_schema import Ansvarsfrihetssteg, Revisorer
from finsam_core.rules.discharge import AuditorKind, BodyKind, StepKind

__all__ = ["record_discharge"]

At = Callable[[str, str], AbstractContextManager[None]]


def record_discharge(app: Finsam, doc: Revisorer | Ansvarsfrihetssteg, at: At) -> str:
    """Record one discharge document; returns the summary line."""
    if isinstance(doc, Revisorer):
        for i, r in enumerate(doc.revisor):
            with at(f"$.revisor[{i}]", r.namn):
                app.appoint_auditor(doc.forbund, r.medlem, r.namn, AuditorKind(r.slag), r.fran, r.till, r.utsedd_av)
        n = len(doc.revisor)
        return f"registrerade {n} {'revisor' if n == 1 else 'revisorer'} för {doc.forbund}."
    with at("$.forbund", ""):
        covers = app.record_member_discharge_step(
            doc.medlem,
            doc.ar,
            doc.forbund,
            step=StepKind(doc.steg),
            body_kind=BodyKind(doc.organtyp),
            grant=doc.beviljad,
            ref=DecisionRef(body=doc.organ, reference=doc.beteckning, decided_on=doc.datum),
        )
    what = "förslaget" if doc.steg == "forslag" else "beslutet"
    others = (
        f" (handlingen gäller även {', '.join(doc.ovriga_forbund)}, som inte är registrerade)"
        if doc.ovriga_forbund
        else ""
    )
    return f"registrerade {what} om ansvarsfrihet {doc.ar} från {doc.medlem} för {', '.join(covers)}{others}."
