"""Delegation and per capsulam: decisions taken on the board's behalf outside its meetings.

The delegation order and the delegated decisions (kommunallagen 6 kap. 37–40 §§) live in the
förbund's :class:`~finsam_core.domain.delegation.DelegationRegister`; per capsulam proposals in its
:class:`~finsam_core.domain.per_capsulam.PerCapsulamBook`. Reporting either to the board writes an
information entry in a paragraph of the meeting's minutes and records, in the same unit of work,
where the decision was reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from finsam_core.application.base import command
from finsam_core.application.governance import GovernanceCommands
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.delegation import (
    DelegatedDecision,
    DelegationItem,
    DelegationOrder,
    DelegationRegister,
    delegation_register_id,
)
from finsam_core.domain.forbund import Forbund, Office
from finsam_core.domain.meeting import Meeting
from finsam_core.domain.per_capsulam import PerCapsulamBook, per_capsulam_book_id
from finsam_core.errors import NotFound
from finsam_core.projections.delegation import (
    DelegatedDecisionRow,
    DelegationOrderRow,
    PerCapsulamRow,
    book_row,
    decision_rows,
    order_on,
    orders_shown,
    per_capsulam_rows,
    register_row,
)
from finsam_core.rules.delegation import MatterClass, kronor
from finsam_core.rules.majority import VoteOutcome
from finsam_core.values import Ballot, BoardRole, MatterKind

__all__ = ["DelegationCommands"]


class DelegationCommands(GovernanceCommands):
    """Commands and reads of the delegation order, delegated decisions and per capsulam decisions."""

    # --- the delegation order ------------------------------------------------------------

    def _register(self, forbund: Forbund) -> DelegationRegister:
        register = self._find(delegation_register_id(forbund.id), DelegationRegister)
        return register if register is not None else DelegationRegister(forbund_id=forbund.id, org_nr=forbund.org_nr)

    def delegation_register_id(self, org_nr: str) -> UUID:
        """The id of the förbund's delegation register (its stream in the log)."""
        return delegation_register_id(self.forbund(org_nr).id)

    def _stored_register(self, org_nr: str) -> DelegationRegister | None:
        return self._find(delegation_register_id(self.forbund(org_nr).id), DelegationRegister)

    @command
    def adopt_delegation_order(
        self, org_nr: str, valid_from: date, items: Sequence[DelegationItem], adopted_by: DecisionRef
    ) -> None:
        """The board adopts a delegation order, valid from ``valid_from`` (replacing the one before)."""
        forbund = self.forbund(org_nr)
        self._check_decision(forbund, adopted_by)  # the order itself must cite the minutes (the register checks)
        register = self._register(forbund)
        ledamoter = [a.person for a in forbund.board_on(valid_from) if a.role == BoardRole.BOARD_MEMBER]
        register.adopt_order(
            DelegationOrder(authorised_by=adopted_by, valid_from=valid_from, items=tuple(items)), ledamoter
        )
        self._stage(register)

    @command
    def record_delegated_decision(
        self,
        org_nr: str,
        decided_on: date,
        item_code: str,
        delegate: str,
        matter: str,
        amount: Decimal | None = None,
        matter_class: MatterClass = MatterClass.ORDINARY,
        registry_number: str = "",
    ) -> DelegatedDecision:
        """Record a delegationsbeslut; returns it with its number."""
        forbund = self.forbund(org_nr)
        register = self._register(forbund)
        decision = register.record_decision(
            decided_on, item_code, delegate, matter, amount, matter_class, registry_number
        )
        self._stage(register)
        return decision

    @command
    def report_delegated_decisions(
        self, org_nr: str, reference: str, number: int, decisions: Sequence[int], *, already_minuted: bool = False
    ) -> None:
        """Anmälan av delegationsbeslut: the decisions are reported to the board in § ``number``.

        The report is written in the paragraph as an information entry; with ``already_minuted`` (imported
        minutes whose paragraph already holds it) only where it was reported is recorded.
        """
        meeting = self.meeting(org_nr, reference)
        self._require_paragraph(meeting, number)
        forbund = self.forbund(org_nr)
        register = self._register(forbund)
        register.report(tuple(decisions), meeting.reference, meeting.held_on, number, meeting.id)
        if already_minuted:
            self._stage(register)
            return
        lines = []
        for n in decisions:
            d = register.decision(n)
            amount = f" ({kronor(d.amount)})" if d.amount is not None else ""
            kind = "Ordförandebeslut i brådskande ärende" if d.urgent else "Delegationsbeslut"
            lines.append(
                f"{kind} nr {d.number}, {d.decided_on.isoformat()}, {d.delegate} (punkt {d.item_code}): "
                f"{d.matter}{amount}"
            )
        meeting.note_information(number, "Anmälda beslut:\n" + "\n".join(lines))
        self._stage(meeting, register)

    @staticmethod
    def _require_paragraph(meeting: Meeting, number: int) -> None:
        if number not in meeting.paragraphs:
            raise NotFound(f"§ {number} finns inte i protokollet {meeting.reference}.")

    def delegation_order_on(self, org_nr: str, day: date, *, drafts: bool = True) -> DelegationOrderRow | None:
        """The delegation order in force on ``day`` among :meth:`delegation_orders`."""
        return order_on(self.delegation_orders(org_nr, drafts=drafts), day)

    def delegation_orders(self, org_nr: str, *, drafts: bool = True) -> list[DelegationOrderRow]:
        """Every order the board adopted, oldest first, each with the day it was replaced (``valid_to``).

        One adopted in minutes not yet adjusted is marked ``draft``; without ``drafts`` it is left out
        (the order before it stays in force), as the public sees it.
        """
        register = self._stored_register(org_nr)
        if register is None:
            return []
        final = {str(m.meeting_id) for m in self.meetings(org_nr) if self.meeting(org_nr, m.reference).is_final}
        return orders_shown(register_row(register, 0).orders, final, drafts=drafts)

    def delegated_decisions(self, org_nr: str, *, drafts: bool = True) -> list[DelegatedDecisionRow]:
        """Every delegated decision and its report state; an urgent one missing at the next meeting is flagged.

        A report in minutes not yet adjusted is marked ``draft``; without ``drafts`` it does not count.
        """
        register = self._stored_register(org_nr)
        facts = [] if register is None else register_row(register, 0).decisions
        return decision_rows(facts, self._meeting_dates(org_nr), self._draft_meetings(org_nr), drafts=drafts)

    def _meeting_dates(self, org_nr: str) -> list[tuple[str, date]]:
        return [(m.reference, m.held_on) for m in self.meetings(org_nr)]

    def _draft_meetings(self, org_nr: str) -> frozenset[str]:
        """The references of the förbund's meetings whose minutes are not yet adjusted."""
        return frozenset(m.reference for m in self.meetings(org_nr) if not self.meeting(org_nr, m.reference).is_final)

    # --- per capsulam ------------------------------------------------------------------

    def _book(self, forbund: Forbund) -> PerCapsulamBook:
        book = self._find(per_capsulam_book_id(forbund.id), PerCapsulamBook)
        return book if book is not None else PerCapsulamBook(forbund_id=forbund.id, org_nr=forbund.org_nr)

    @command
    def propose_per_capsulam(
        self, org_nr: str, reference: str, proposal: str, sent_on: date, matter: MatterKind = MatterKind.GENERAL
    ) -> None:
        """Send a proposal to the board's ledamöter for a decision per capsulam (if the charter allows)."""
        forbund = self.forbund(org_nr)
        book = self._book(forbund)
        voters = tuple(a.person for a in forbund.board_on(sent_on) if a.role == BoardRole.BOARD_MEMBER)
        book.propose(
            reference,
            proposal,
            sent_on,
            forbund.charter_on(sent_on),
            voters,
            forbund.officer_on(Office.CHAIR, sent_on),
            matter,
        )
        self._stage(book)

    @command
    def answer_per_capsulam(self, org_nr: str, reference: str, name: str, ballot: Ballot, answered_on: date) -> None:
        book = self._book(self.forbund(org_nr))
        book.answer(reference, name, Ballot(ballot), answered_on)
        self._stage(book)

    @command
    def close_per_capsulam(self, org_nr: str, reference: str, closed_on: date) -> VoteOutcome:
        """Count the answers by the charter's rule; returns the outcome."""
        book = self._book(self.forbund(org_nr))
        outcome = book.close(reference, closed_on)
        self._stage(book)
        return outcome

    @command
    def report_per_capsulam(
        self, org_nr: str, reference: str, number: int, decision: str, *, already_minuted: bool = False
    ) -> None:
        """The per capsulam decision ``decision`` is reported to the board in § ``number`` of ``reference``
        (written in the paragraph unless ``already_minuted``, as in :meth:`report_delegated_decisions`)."""
        meeting = self.meeting(org_nr, reference)
        self._require_paragraph(meeting, number)
        book = self._book(self.forbund(org_nr))
        book.report(decision, meeting.reference, meeting.held_on, number, meeting.id)
        if already_minuted:
            self._stage(book)
            return
        p = book.proposal(decision)
        assert p.closed_on is not None and p.outcome is not None
        meeting.note_information(
            number,
            f"Beslut per capsulam {p.reference} ({p.closed_on.isoformat()}). Förslag: {p.proposal}. "
            f"Utfall: {p.outcome.value}; {p.explanation}",
        )
        self._stage(meeting, book)

    def per_capsulam_decisions(self, org_nr: str, *, drafts: bool = True) -> list[PerCapsulamRow]:
        """Every per capsulam proposal with its answers, outcome and report state (a report in minutes
        not yet adjusted as in :meth:`delegated_decisions`)."""
        book = self._find(per_capsulam_book_id(self.forbund(org_nr).id), PerCapsulamBook)
        facts = [] if book is None else book_row(book, 0).proposals
        return per_capsulam_rows(facts, self._meeting_dates(org_nr), self._draft_meetings(org_nr), drafts=drafts)
