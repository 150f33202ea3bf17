"""Recording a ``verksamhetsplan`` document: the plan's adoption, then each follow-up, in one write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from finsam_core.application import Finsam
from finsam_core.domain.activity_plan import Assessment, Goal, GoalResult, Indicator, IndicatorResult, Measure
from finsam_core.errors import InvalidInput
from finsam_core.formats.money_import import At, _decision
from finsam_core.formats.plan_schema import Indikator, Verksamhetsplan
from finsam_core.rules.plans import Direction
from finsam_core.values import FLOAT_REFUSED

__all__ = ["record_plan"]


def _number(value: int | str, what: str) -> Decimal:
    if isinstance(value, float):
        raise InvalidInput(f"{what}: {FLOAT_REFUSED}")
    try:
        number = Decimal(value.replace(" ", "").replace(",", ".") if isinstance(value, str) else value)
    except InvalidOperation:
        raise InvalidInput(f"{what}: {value!r} är inget tal.") from None
    if not number.is_finite():
        raise InvalidInput(f"{what}: {value!r} är inget tal.")
    return number


def _indicator(row: Indikator) -> Indicator:
    return Indicator(
        key=row.nyckel,
        text=row.text,
        target=_number(row.malvarde, f"Målvärdet för {row.nyckel}"),
        unit=row.enhet.strip(),
        measure=Measure(row.matt),
        direction=Direction(row.riktning),
        followed_up_by=row.foljs_upp_med,
    )


def record_plan(app: Finsam, doc: Verksamhetsplan, at: At) -> str:
    """Adopt the plan and record its follow-ups; returns the summary line."""
    org = doc.forbund
    with at("$.mal", ""):
        goals = tuple(
            Goal(
                key=m.nyckel,
                title=m.rubrik,
                description=m.beskrivning,
                subgoals=tuple(m.delmal),
                indicators=tuple(_indicator(i) for i in m.indikator),
                interventions=tuple(m.insatser),
            )
            for m in doc.mal
        )
    with at("$.beslut", ""):
        decision = _decision(app, org, doc.beslut)
        app.adopt_activity_plan(
            org, doc.beteckning, doc.rubrik, doc.fran_ar, doc.till_ar, goals, decision, replaces=doc.ersatter
        )
    for n, u in enumerate(doc.uppfoljning):
        with at(f"$.uppfoljning[{n}]", ""):
            app.record_plan_follow_up(
                org,
                u.ar,
                tuple(
                    IndicatorResult(
                        key=r.nyckel,
                        measured=None if r.varde is None else _number(r.varde, f"Värdet för {r.nyckel}"),
                        assessment=None if r.bedomning is None else Assessment(r.bedomning),
                        comment=r.kommentar,
                    )
                    for r in u.indikator
                ),
                tuple(GoalResult(r.nyckel, Assessment(r.bedomning), r.kommentar) for r in u.mal),
                plan=doc.beteckning,
                decision=None if u.beslut is None else _decision(app, org, u.beslut),
                recorded_on=u.datum,
            )
    indicators = sum(len(m.indikator) for m in doc.mal)
    years = str(doc.fran_ar) if doc.fran_ar == doc.till_ar else f"{doc.fran_ar}–{doc.till_ar}"
    return (
        f"registrerade verksamhetsplanen {doc.beteckning} ({years}) för {org}: {len(doc.mal)} mål, "
        f"{indicators} indikatorer, {len(doc.uppfoljning)} uppföljningar."
    )
