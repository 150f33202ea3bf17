"""Per capsulam decisions: the board decides without meeting, each ledamot answering in writing.

Only where the charter in force allows it (:attr:`~finsam_core.domain.charter.Charter.per_capsulam`,
dated like every charter rule). One :class:`PerCapsulamBook` per förbund holds its proposals. A
proposal goes to the ledamöter on the board on the day it is sent; each answers yes, no or abstain
with the date; when it is closed the outcome is counted by the charter's own rule
(:mod:`finsam_core.rules.majority`) among those who answered, and only if more than the charter's
quorum share of the ledamöter answered. The decision is reported at the board's next meeting, in a
paragraph of its minutes.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid5

import msgspec
from eventsourcing.domain import Aggregate, event

from finsam_core.domain.charter import Charter
from finsam_core.domain.copying import copy_aggregate
from finsam_core.domain.delegation import DelegationReport
from finsam_core.domain.meeting_parts import same_person
from finsam_core.errors import DelegationRuleViolation, InvalidInput, NotFound, NotQuorate
from finsam_core.rules.majority import Tally, VoteOutcome, VoteResult, count_qualified, count_simple
from finsam_core.rules.quorum import is_quorate, quorum_needed
from finsam_core.values import Ballot, MajorityBase, MatterKind, Value

__all__ = ["Answer", "PerCapsulamBook", "PerCapsulamProposal", "per_capsulam_book_id"]


def per_capsulam_book_id(forbund_id: UUID) -> UUID:
    return uuid5(forbund_id, "per-capsulam-book")


class Answer(Value, frozen=True):
    name: str
    ballot: Ballot
    answered_on: date


class PerCapsulamProposal(Value, frozen=True):
    """One proposal decided per capsulam, as it stands."""

    reference: str
    proposal: str
    matter: MatterKind
    sent_on: date
    voters: tuple[str, ...]
    """The ledamöter on the board on ``sent_on``: who may answer."""
    chair: str | None
    charter: Charter
    answers: tuple[Answer, ...] = ()
    closed_on: date | None = None
    outcome: VoteOutcome | None = None
    explanation: str = ""
    rule: str = ""
    report: DelegationReport | None = None


class PerCapsulamBook(Aggregate):
    """A förbund's per capsulam proposals, by reference."""

    def __deepcopy__(self, memo: dict[int, Any]) -> PerCapsulamBook:
        return copy_aggregate(self, memo, "proposals")

    @staticmethod
    def create_id(forbund_id: UUID) -> UUID:
        return per_capsulam_book_id(forbund_id)

    @event("Opened")
    def __init__(self, forbund_id: UUID, org_nr: str) -> None:
        self.forbund_id = forbund_id
        self.org_nr = org_nr
        self.proposals: dict[str, PerCapsulamProposal] = {}

    def proposal(self, reference: str) -> PerCapsulamProposal:
        try:
            return self.proposals[reference]
        except KeyError:
            raise NotFound(f"Inget beslut per capsulam med beteckningen {reference} finns.") from None

    def propose(
        self,
        reference: str,
        proposal: str,
        sent_on: date,
        charter: Charter,
        voters: tuple[str, ...],
        chair: str | None,
        matter: MatterKind = MatterKind.GENERAL,
    ) -> None:
        """Send a proposal to the ledamöter; ``charter`` is the one in force on ``sent_on``."""
        reference = reference.strip()
        if not reference or not proposal.strip():
            raise InvalidInput("Ett beslut per capsulam behöver en beteckning och ett förslag.")
        if reference in self.proposals:
            raise DelegationRuleViolation(f"Beslutet per capsulam {reference} finns redan; välj en annan beteckning.")
        if not charter.per_capsulam:
            raise DelegationRuleViolation(
                f"Förbundsordningen som gällde {sent_on.isoformat()} medger inte beslut per capsulam; "
                "ärendet måste avgöras på ett sammanträde."
            )
        if not voters:
            raise DelegationRuleViolation(f"Styrelsen har inga ledamöter {sent_on.isoformat()} som kan svara.")
        self._proposed(
            proposal=PerCapsulamProposal(
                reference=reference,
                proposal=proposal.strip(),
                matter=matter,
                sent_on=sent_on,
                voters=voters,
                chair=chair,
                charter=charter,
            )
        )

    @event("Proposed")
    def _proposed(self, proposal: PerCapsulamProposal) -> None:
        self.proposals[proposal.reference] = proposal

    def answer(self, reference: str, name: str, ballot: Ballot, answered_on: date) -> None:
        """A ledamot's written answer."""
        p = self.proposal(reference)
        if p.closed_on is not None:
            raise DelegationRuleViolation(f"Beslutet per capsulam {reference} avslutades {p.closed_on.isoformat()}.")
        voter = next((v for v in p.voters if same_person(v, name)), None)
        if voter is None:
            raise DelegationRuleViolation(
                f"{name} var inte ledamot i styrelsen {p.sent_on.isoformat()} och kan inte svara på "
                f"beslutet per capsulam {reference}."
            )
        if any(same_person(a.name, name) for a in p.answers):
            raise DelegationRuleViolation(f"{name} har redan svarat på {reference}; ett svar per ledamot.")
        if answered_on < p.sent_on:
            raise InvalidInput(
                f"Svaret kan inte vara daterat {answered_on.isoformat()}, före förslaget {p.sent_on.isoformat()}."
            )
        self._answered(reference=reference, answer=Answer(name=voter, ballot=ballot, answered_on=answered_on))

    @event("Answered")
    def _answered(self, reference: str, answer: Answer) -> None:
        p = self.proposals[reference]
        self.proposals[reference] = msgspec.structs.replace(p, answers=(*p.answers, answer))

    def close(self, reference: str, closed_on: date) -> VoteOutcome:
        """Count the answers by the charter's rule; returns the outcome."""
        p = self.proposal(reference)
        if p.closed_on is not None:
            raise DelegationRuleViolation(f"Beslutet per capsulam {reference} avslutades redan.")
        if any(a.answered_on > closed_on for a in p.answers) or closed_on < p.sent_on:
            raise InvalidInput(f"Beslutet per capsulam {reference} kan inte avslutas före sista svaret.")
        charter = p.charter
        if not is_quorate(len(p.answers), charter.board_seats, charter.quorum_more_than):
            raise NotQuorate(
                f"Bara {len(p.answers)} av {charter.board_seats} ledamöter har svarat på {reference}; "
                f"minst {quorum_needed(charter.board_seats, charter.quorum_more_than)} krävs (mer än hälften) "
                "för ett beslut per capsulam."
            )
        result, rule = _count(p)
        self._closed(
            reference=reference,
            closed_on=closed_on,
            outcome=result.outcome,
            explanation=result.explanation,
            rule=rule,
        )
        return result.outcome

    @event("Closed")
    def _closed(self, reference: str, closed_on: date, outcome: VoteOutcome, explanation: str, rule: str) -> None:
        p = self.proposals[reference]
        self.proposals[reference] = msgspec.structs.replace(
            p, closed_on=closed_on, outcome=outcome, explanation=explanation, rule=rule
        )

    def report(self, reference: str, meeting: str, held_on: date, paragraph: int, meeting_id: UUID) -> None:
        """The decision is reported to the board in § ``paragraph`` of ``meeting``."""
        p = self.proposal(reference)
        if p.closed_on is None:
            raise DelegationRuleViolation(f"Beslutet per capsulam {reference} är inte avslutat och kan inte anmälas.")
        if p.report is not None:
            raise DelegationRuleViolation(
                f"Beslutet per capsulam {reference} anmäldes redan i § {p.report.paragraph} på sammanträdet "
                f"{p.report.meeting}."
            )
        if held_on < p.closed_on:
            raise DelegationRuleViolation(
                f"Beslutet per capsulam {reference} avslutades {p.closed_on.isoformat()}, efter sammanträdet "
                f"{held_on.isoformat()}, och kan inte anmälas där."
            )
        self._reported(
            reference=reference,
            report=DelegationReport(meeting=meeting, held_on=held_on, paragraph=paragraph),
            meeting_id=meeting_id,
        )

    @event("Reported")
    def _reported(self, reference: str, report: DelegationReport, meeting_id: UUID) -> None:
        """``meeting_id``: the meeting whose minutes hold the report (the event derives from them)."""
        self.proposals[reference] = msgspec.structs.replace(self.proposals[reference], report=report)


def _count(p: PerCapsulamProposal) -> tuple[VoteResult, str]:
    """The outcome by the charter's decision rule; the base of a qualified majority is those who answered."""
    charter = p.charter
    tally = Tally.of([a.ballot for a in p.answers])
    if charter.needs_qualified_majority(p.matter):
        assert charter.qualified_majority is not None
        rule = f"kvalificerad majoritet {charter.qualified_majority}"
        if charter.qualified_base is MajorityBase.VOTES_CAST:
            rule += " av avgivna röster"
        result = count_qualified(
            tally, at_least=charter.qualified_majority, voters=len(p.answers), base=charter.qualified_base
        )
        return result, rule
    chair_ballot = next((a.ballot for a in p.answers if p.chair and same_person(a.name, p.chair)), None)
    result = count_simple(
        tally,
        chair_ballot=chair_ballot,
        chair_has_casting_vote=charter.chair_casting_vote,
        tie_by_lot=p.matter == MatterKind.ELECTION,
    )
    return result, "enkel majoritet"
