"""Recording the money kinds: allocation, budget, NNS, annual report, interventions.

Each function turns one document into the money commands of
:class:`~finsam_core.application.Finsam` (the application bound to the importer's batch), and returns the
one-line summary. ``at(path, label)`` wraps a refusal with the file, the field and the line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from decimal import Decimal

from finsam_core.application import Finsam
from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.interventions import ExitCount, ExitOutcome, InterventionKind, ParticipantCounts
from finsam_core.errors import InvalidInput
from finsam_core.formats.discharge_import import record_discharge
from finsam_core.formats.discharge_schema import Ansvarsfrihetssteg, Revisorer
from finsam_core.formats.money_schema import (
    Arsredovisning,
    Beslutsref,
    Budget,
    Budgetrad,
    Insatser,
    Intakt,
    Nns,
    Tilldelning,
)
from finsam_core.formats.payments_import import record_payments
from finsam_core.formats.payments_schema import Betalningar
from finsam_core.rules.discharge import BodyKind
from finsam_core.values import money

__all__ = ["record_money"]

At = Callable[[str, str], AbstractContextManager[None]]


def _kr(value: int | str) -> Decimal:
    if isinstance(value, str):
        value = value.replace(" ", "").replace(",", ".")
    return money(value)


def _amounts(values: Mapping[str, int | str]) -> dict[str, Decimal]:
    return {key: _kr(value) for key, value in values.items()}


def _decision(app: Finsam, org_nr: str, ref: Beslutsref) -> DecisionRef:
    held_on = app.meeting(org_nr, ref.sammantrade).held_on
    return DecisionRef(
        body="Förbundsstyrelsen",
        reference=f"{ref.sammantrade} § {ref.paragraf}",
        decided_on=held_on,
        meeting=ref.sammantrade,
        paragraph=ref.paragraf,
    )


def _lines(rows: list[Budgetrad]) -> tuple[BudgetLine, ...]:
    return tuple(BudgetLine(r.nyckel, r.namn, _kr(r.belopp), LineKind(r.slag)) for r in rows)


def _income(rows: list[Intakt]) -> tuple[IncomeLine, ...]:
    return tuple(IncomeLine(r.namn, _kr(r.belopp)) for r in rows)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _money_or_none(value: int | str | None) -> Decimal | None:
    return None if value is None else _kr(value)


def record_money(app: Finsam, doc: object, at: At) -> str:
    """Record one money document; returns the summary line."""
    if isinstance(doc, Tilldelning):
        return _allocation(app, doc, at)
    if isinstance(doc, Budget):
        return _budget(app, doc, at)
    if isinstance(doc, Nns):
        return _network(app, doc, at)
    if isinstance(doc, Arsredovisning):
        return _annual_report(app, doc, at)
    if isinstance(doc, Insatser):
        return _interventions(app, doc, at)
    if isinstance(doc, Revisorer | Ansvarsfrihetssteg):
        return record_discharge(app, doc, at)
    if isinstance(doc, Betalningar):
        return record_payments(app, doc, at)
    raise InvalidInput(f"Okänt slag av handling: {type(doc).__name__}.")


def _allocation(app: Finsam, doc: Tilldelning, at: At) -> str:
    with at("$.bidrag", ""):
        total = app.record_allocation(
            doc.forbund,
            doc.ar,
            _amounts(doc.bidrag),
            total=_money_or_none(doc.total),
            kommun_key=_amounts(doc.kommunnyckel) or None,
            deviation_reason=doc.avvikelse_skal,
            recorded_on=doc.registrerad,
        )
    return f"registrerade tilldelningen {doc.ar} för {doc.forbund}: {total:,.0f} kr.".replace(",", " ")


def _budget(app: Finsam, doc: Budget, at: At) -> str:
    org = doc.forbund
    with at("$.beslut", ""):
        app.adopt_budget(
            org,
            doc.ar,
            _lines(doc.rad),
            _income(doc.intakt),
            _decision(app, org, doc.beslut),
            total=_money_or_none(doc.total),
            planned_result=_money_or_none(doc.resultat),
            surplus_used=_kr(doc.fran_tidigare_overskott),
        )
    if doc.ingaende_eget_kapital is not None:
        with at("$.ingaende_eget_kapital", ""):
            app.record_opening_equity(org, doc.ar, _kr(doc.ingaende_eget_kapital))
    for i, r in enumerate(doc.revidering):
        with at(f"$.revidering[{i}]", ""):
            app.revise_budget(
                org,
                doc.ar,
                _lines(r.rad),
                _income(r.intakt),
                _decision(app, org, r.beslut),
                total=_money_or_none(r.total),
                planned_result=_money_or_none(r.resultat),
                surplus_used=_kr(r.fran_tidigare_overskott),
            )
    for i, u in enumerate(doc.utfall):
        with at(f"$.utfall[{i}]", ""):
            app.record_outcome(org, doc.ar, u.manad, _amounts(u.belopp))
    for i, p in enumerate(doc.prognos):
        with at(f"$.prognos[{i}]", ""):
            app.record_forecast(org, doc.ar, _amounts(p.avvikelse), p.datum)
    if doc.bokslut is not None:
        with at("$.bokslut", ""):
            app.close_year(org, doc.ar, _kr(doc.bokslut.resultat), doc.bokslut.datum)
    extra = []
    if doc.revidering:
        extra.append(_count(len(doc.revidering), "revidering", "revideringar"))
    if doc.utfall:
        extra.append(f"utfall för {_count(len(doc.utfall), 'månad', 'månader')}")
    if doc.prognos:
        extra.append(_count(len(doc.prognos), "prognos", "prognoser"))
    more = f" med {', '.join(extra)}" if extra else ""
    return f"registrerade budgeten {doc.ar} för {org}{more}."


def _network(app: Finsam, doc: Nns, at: At) -> str:
    with at("$", ""):
        app.found_network(doc.namn)
    for i, a in enumerate(doc.avgift):
        with at(f"$.avgift[{i}]", ""):
            app.set_fee_policy(a.fran_ar, _kr(a.promille), _money_or_none(a.tak), a.beslut)
    members = 0
    for i, f in enumerate(doc.forbund):
        with at(f"$.forbund[{i}]", f.namn):
            if f.medlem_fran is None:
                app.list_in_network(f.org_nr, f.namn)
            else:
                app.join_network(f.org_nr, f.medlem_fran, name=f.namn)
                members += 1
    for i, u in enumerate(doc.uttrade):
        with at(f"$.uttrade[{i}]", u.org_nr):
            app.give_network_withdrawal_notice(u.org_nr, u.mottaget, written=u.skriftligt)
    return (
        f"registrerade {doc.namn}: {len(doc.avgift)} avgiftsmodeller, {members} av {len(doc.forbund)} "
        f"förbund medlemmar, {len(doc.uttrade)} uppsägningar."
    )


def _annual_report(app: Finsam, doc: Arsredovisning, at: At) -> str:
    org = doc.forbund
    with at("$.godkand", ""):
        app.approve_annual_report(
            org,
            doc.ar,
            income=_kr(doc.intakter),
            costs=_kr(doc.kostnader),
            depreciation=_kr(doc.avskrivningar),
            result=_kr(doc.resultat),
            equity_at_year_end=_kr(doc.eget_kapital),
            authorised_by=_decision(app, org, doc.godkand),
        )
    if doc.revisionsberattelse is not None:
        r = doc.revisionsberattelse
        with at("$.revisionsberattelse", ""):
            app.record_audit_report(
                org,
                doc.ar,
                recommends_discharge=r.tillstyrker,
                auditors=tuple(r.revisorer),
                reported_on=r.datum,
                remarks=r.anmarkningar,
            )
    for i, a in enumerate(doc.ansvarsfrihet):
        with at(f"$.ansvarsfrihet[{i}]", a.medlem):
            ref = DecisionRef(body=a.beslut.organ, reference=a.beslut.beteckning, decided_on=a.beslut.datum)
            if a.steg == "forslag":
                app.propose_discharge(org, doc.ar, a.medlem, a.beviljad, ref, body_kind=BodyKind(a.organtyp))
            else:
                app.decide_discharge(org, doc.ar, a.medlem, a.beviljad, ref, body_kind=BodyKind(a.organtyp))
    return f"registrerade årsredovisningen {doc.ar} för {org} med {len(doc.ansvarsfrihet)} beslut om ansvarsfrihet."


def _interventions(app: Finsam, doc: Insatser, at: At) -> str:
    org = doc.forbund
    kinds = {"individuell": InterventionKind.INDIVIDUAL, "strukturell": InterventionKind.STRUCTURAL}
    for i, s in enumerate(doc.insats):
        with at(f"$.insats[{i}]", s.namn):
            app.register_intervention(
                org,
                s.namn,
                kinds[s.slag],
                s.huvudman,
                s.startar,
                s.slutar,
                funding={source: _kr(amount) for source, amount in s.finansiering.items()},
            )
    for i, d in enumerate(doc.deltagare):
        with at(f"$.deltagare[{i}]", str(d.ar)):
            counts = ParticipantCounts(
                participants=d.deltagare,
                exited=d.avslutade,
                new=d.nya,
                women=d.kvinnor,
                men=d.man,
                exits=tuple(ExitCount(ExitOutcome(outcome), count) for outcome, count in d.till.items()),
            )
            breakdowns = [{"dimension": f.efter, "population": f.grupp, "cells": dict(f.antal)} for f in d.fordelning]
            app.report_participants(
                org, d.ar, counts, reported_on=d.rapporterad, comment=d.kommentar, breakdowns=breakdowns
            )
    parts = []
    if doc.insats:
        parts.append(_count(len(doc.insats), "insats", "insatser"))
    if doc.deltagare:
        parts.append("deltagarsiffror för " + ", ".join(str(d.ar) for d in doc.deltagare))
    return f"registrerade {' och '.join(parts) or 'ingenting'} för {org}."
