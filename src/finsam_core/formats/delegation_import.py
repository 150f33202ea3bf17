"""Recording the delegation kinds: the delegation order, delegated decisions and per capsulam decisions.

Each function turns one document into commands of :class:`~finsam_core.application.Finsam` (bound to
the importer's batch) and returns the one-line summary; ``at(path, label)`` wraps a refusal with the
file, the field and the line.
"""

from __future__ import annotations

from finsam_core.application import Finsam
from finsam_core.domain.delegation import DelegationItem
from finsam_core.errors import InvalidInput
from finsam_core.formats.delegation_schema import Delegationsbeslut, Delegationsordning, PerCapsulam
from finsam_core.formats.money_import import At, _decision, _kr, _money_or_none
from finsam_core.rules.delegation import MatterClass
from finsam_core.values import Ballot, MatterKind

__all__ = ["record_delegation"]

_MATTER = {
    "allmant": MatterKind.GENERAL,
    "val": MatterKind.ELECTION,
    "budget": MatterKind.BUDGET,
    "forbundsordning": MatterKind.CHARTER,
}


def record_delegation(app: Finsam, doc: object, at: At) -> str:
    """Record one delegation document; returns the summary line."""
    if isinstance(doc, Delegationsordning):
        return _order(app, doc, at)
    if isinstance(doc, Delegationsbeslut):
        return _decisions(app, doc, at)
    if isinstance(doc, PerCapsulam):
        return _per_capsulam(app, doc, at)
    raise InvalidInput(f"Okänt slag av handling: {type(doc).__name__}.")


def _order(app: Finsam, doc: Delegationsordning, at: At) -> str:
    items = []
    for i, p in enumerate(doc.punkt):
        with at(f"$.punkt[{i}]", p.nummer):
            limit = None if p.belopp_max is None else _kr(p.belopp_max)
            items.append(DelegationItem(p.nummer, p.arende, p.delegat, limit, MatterClass(p.kategori), p.bradskande))
    with at("$.antagen", ""):
        ref = _decision(app, doc.forbund, doc.antagen)
        app.adopt_delegation_order(doc.forbund, doc.galler_fran, items, ref)
    return (
        f"registrerade delegationsordningen för {doc.forbund} från {doc.galler_fran.isoformat()} "
        f"med {len(items)} punkter."
    )


def _decisions(app: Finsam, doc: Delegationsbeslut, at: At) -> str:
    reported = 0
    for i, b in enumerate(doc.beslut):
        with at(f"$.beslut[{i}]", b.arende):
            if b.datum.year != doc.ar:
                raise InvalidInput(f"Beslutet är daterat {b.datum.isoformat()}, inte år {doc.ar} som filen gäller.")
            decision = app.record_delegated_decision(
                doc.forbund,
                b.datum,
                b.punkt,
                b.delegat,
                b.arende,
                _money_or_none(b.belopp),
                MatterClass(b.kategori),
                b.diarienummer,
            )
            if b.anmalt is not None:
                reported += 1
                app.report_delegated_decisions(
                    doc.forbund, b.anmalt.sammantrade, b.anmalt.paragraf, [decision.number], already_minuted=True
                )
    return f"registrerade {len(doc.beslut)} delegationsbeslut {doc.ar} för {doc.forbund} ({reported} anmälda)."


def _per_capsulam(app: Finsam, doc: PerCapsulam, at: At) -> str:
    with at("$", doc.beteckning):
        app.propose_per_capsulam(doc.forbund, doc.beteckning, doc.forslag, doc.skickat, _MATTER[doc.arendetyp])
    for i, s in enumerate(doc.svar):
        with at(f"$.svar[{i}]", s.namn):
            app.answer_per_capsulam(doc.forbund, doc.beteckning, s.namn, Ballot(s.rost), s.datum)
    outcome = "öppet"
    if doc.avslutat is not None:
        with at("$.avslutat", ""):
            outcome = app.close_per_capsulam(doc.forbund, doc.beteckning, doc.avslutat).value
    if doc.anmalt is not None:
        with at("$.anmalt", ""):
            app.report_per_capsulam(
                doc.forbund, doc.anmalt.sammantrade, doc.anmalt.paragraf, doc.beteckning, already_minuted=True
            )
    return f"registrerade beslutet per capsulam {doc.beteckning} för {doc.forbund} ({outcome})."
