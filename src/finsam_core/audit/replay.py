"""A förbund as it stood: as recorded at a time, as decided by a date, or both (bitemporal).

*As recorded at T* keeps only events recorded at or before T (their ``timestamp``): the ledger
an auditor would have seen that day. *As decided by D* keeps only events whose domain date
(:mod:`finsam_core.audit.dates`) is on or before D, whenever they were recorded, so a
correction entered late but dated before D is included. The aggregates are rebuilt from the raw
stored events of the förbund's streams; skipped events leave gaps in a stream, which the replay
steps over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, CanMutateProtocol
from eventsourcing.persistence import StoredEvent

from finsam_core.audit.export import ForbundEvent, forbund_events
from finsam_core.audit.forbund_chain import chain_forbund_events, chain_is_complete, sign_pending
from finsam_core.audit.recording import audit_storage
from finsam_core.domain.forbund import Forbund
from finsam_core.domain.meeting import Meeting
from finsam_core.errors import NotFound
from finsam_core.projections.registers import decision_register

__all__ = ["ForbundAsOf", "replay_forbund", "summary_text"]


@dataclass
class ForbundAsOf:
    """The förbund's aggregates rebuilt from the events that pass both filters."""

    org_nr: str
    as_of: date | None
    recorded_at: datetime | None
    forbund: Forbund | None = None
    meetings: list[Meeting] = field(default_factory=list)
    others: list[Aggregate] = field(default_factory=list)
    events: int = 0
    actors: dict[str, int] = field(default_factory=dict)
    """Who recorded the replayed events (:meth:`Actor.describe`), with how many events each."""


def replay_forbund(
    app: Application[Any], org_nr: str, *, as_of: date | None = None, recorded_at: datetime | None = None
) -> ForbundAsOf:
    """Rebuild the förbund ``org_nr`` as decided by ``as_of`` and as recorded at ``recorded_at``."""
    aggregates: dict[UUID, Any] = {}
    result = ForbundAsOf(org_nr, as_of, recorded_at)
    sign_pending(app.recorder)
    storage = audit_storage(app.recorder)
    # Through the förbund's own chain (its events only) once the store has one; else the whole log.
    items = chain_forbund_events(storage, org_nr) if chain_is_complete(storage) else forbund_events(storage, org_nr)
    for item in items:
        if not isinstance(item, ForbundEvent):
            continue
        if (
            recorded_at is not None
            and item.recorded_at is not None
            and datetime.fromisoformat(item.recorded_at) > recorded_at
        ):
            continue
        if as_of is not None and item.domain_date is not None and date.fromisoformat(item.domain_date) > as_of:
            continue
        current = aggregates.get(item.stream)
        if current is None and item.version != 1:
            continue  # The stream did not exist yet under these filters.
        domain_event = app.mapper.to_domain_event(StoredEvent(item.stream, item.version, item.topic, item.state))
        if current is not None:
            current._version = item.version - 1  # Step over events the filters left out.
        aggregates[item.stream] = cast("CanMutateProtocol[Any]", domain_event).mutate(current)
        result.events += 1
        who = item.actor.describe()
        result.actors[who] = result.actors.get(who, 0) + 1
    for aggregate in aggregates.values():
        if isinstance(aggregate, Forbund):
            result.forbund = aggregate
        elif isinstance(aggregate, Meeting):
            result.meetings.append(aggregate)
        else:
            result.others.append(aggregate)
    if result.forbund is None:
        raise NotFound(f"Förbundet {org_nr} fanns inte i liggaren vid den tidpunkten.")
    result.meetings.sort(key=lambda m: (m.held_on, m.reference))
    return result


def _describe(aggregate: Any) -> str:
    """One Swedish line for a money or membership aggregate (the record types named in Swedish)."""
    from finsam_core.domain.allocation import Allocation
    from finsam_core.domain.annual_report import AnnualReport
    from finsam_core.domain.budget import Budget
    from finsam_core.domain.interventions import Intervention, ParticipantFigures
    from finsam_core.domain.network import NetworkMembership
    from finsam_core.rules.money import format_kronor as kr

    if isinstance(aggregate, Allocation):
        return f"Tilldelning {aggregate.year}: {kr(aggregate.total)}"
    if isinstance(aggregate, Budget):
        version = aggregate.current
        text = f"Budget {aggregate.year}: kostnader {kr(version.costs)}, planerat resultat {kr(version.planned_result)}"
        if len(aggregate.versions) > 1:
            text += f" ({len(aggregate.versions) - 1} revidering(ar))"
        if aggregate.closed_result is not None:
            text += f", bokslut {kr(aggregate.closed_result)}"
        return text
    if isinstance(aggregate, AnnualReport):
        granted = sum(1 for d in aggregate.discharges.values() if d.granted)
        return (
            f"Årsredovisning {aggregate.year}: resultat {kr(aggregate.figures.result)}, eget kapital "
            f"{kr(aggregate.figures.equity_at_year_end)}; ansvarsfrihet beviljad av {granted} av "
            f"{len(aggregate.members)} medlemmar"
        )
    if isinstance(aggregate, Intervention):
        return f"Insats {aggregate.name} ({aggregate.kind}), {aggregate.owner}, från {aggregate.starts_on.isoformat()}"
    if isinstance(aggregate, ParticipantFigures):
        if aggregate.counts is None:
            return f"Deltagare {aggregate.year}: ej rapporterat"
        from finsam_core.rules.disclosure import SMALL, SMALL_COUNT_THRESHOLD

        def shown(n: int) -> str:
            return SMALL if 0 < n < SMALL_COUNT_THRESHOLD else str(n)

        c = aggregate.counts
        return f"Deltagare {aggregate.year}: {shown(c.participants)} deltagare, {shown(c.exited)} avslutade"
    if isinstance(aggregate, NetworkMembership):
        period = aggregate.periods[-1]
        text = f"NNS: medlem sedan {period.joined_on.isoformat()}"
        if period.last_day is not None:
            text += f", utträde per {period.last_day.isoformat()}"
        return text
    return type(aggregate).__name__


def summary_text(state: ForbundAsOf) -> str:
    """A readable Swedish summary: members, charter, board, meetings and decisions, the rest."""
    forbund = state.forbund
    assert forbund is not None
    day = state.as_of or date.today()
    lines = [f"{forbund.name} (org nr {forbund.org_nr})"]
    when = f"Beslutsläge per {day.isoformat()}"
    if state.recorded_at is not None:
        when += f", enligt liggaren som den såg ut {state.recorded_at.isoformat(timespec='minutes')}"
    lines += [when + f" ({state.events} händelser)", ""]
    lines.append("Medlemmar: " + ", ".join(f"{m.name} ({m.key})" for m in forbund.members_on(day)))
    charter = forbund.charter_on(day)
    current = [c for c in forbund.charters if c.effective_from <= day]
    since = current[-1].effective_from.isoformat() if current else "?"
    majority = (
        f"kvalificerad majoritet {charter.qualified_majority}" if charter.qualified_majority else "enkel majoritet"
    )
    lines.append(
        f"Förbundsordning (gäller från {since}): {len(charter.seats)} medlemsplatser, "
        f"beslutsför vid mer än {charter.quorum_more_than}, {majority}, mandattid {charter.term_years} år"
    )
    lines += ["", "Styrelse:"]
    board = forbund.board_on(day)
    roles = {"ledamot": "ledamot", "ersattare": "ersättare"}
    lines += [f"  {a.person} ({roles[a.role.value]}, {a.member_key}) {a.term_from}–{a.term_to}" for a in board] or [
        "  (ingen)"
    ]
    lines += ["", "Sammanträden och beslut:"]
    if not state.meetings:
        lines.append("  (inga)")
    register = decision_register(state.meetings)
    for meeting in state.meetings:
        status = "justerat" if meeting.is_final else "ej justerat"
        lines.append(f"  {meeting.held_on} sammanträde {meeting.reference}, {meeting.place} ({status})")
        for entry in (e for e in register if e.meeting == meeting.reference):
            clauses = "; ".join(entry.clauses)
            vote = f" [{entry.yes}–{entry.no}–{entry.abstain}]" if entry.yes is not None else ""
            lines.append(f"    § {entry.paragraph} {entry.title}: {clauses}{vote}")
    if state.others:
        lines += ["", "Ekonomi, insatser och NNS:"]
        from finsam_core.domain.minute_book import MinuteBook

        shown = [a for a in state.others if not isinstance(a, MinuteBook)]
        lines += [f"  {_describe(a)}" for a in sorted(shown, key=lambda a: type(a).__name__)]
    lines += ["", "Registrerat av:"]
    lines += [f"  {who}: {count} händelser" for who, count in state.actors.items()] or ["  (ingen)"]
    return "\n".join(lines)
