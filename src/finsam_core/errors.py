"""The errors finsam raises, one small tree.

Every refusal is a :class:`FinsamError`. Messages are Swedish sentences a förbund's secretary can
act on; the class says, in English, which rule was broken. The service maps the tree to HTTP
statuses in one table (``NotFound`` 404, ``Conflict`` 409, ``RuleViolation`` 422, ``InvalidInput`` 400,
``StoreUnavailable`` 503).
"""

from __future__ import annotations

__all__ = [
    "AdjustmentRuleViolation",
    "BoardRuleViolation",
    "Conflict",
    "DelegationRuleViolation",
    "DischargeRuleViolation",
    "ExcerptNotAllowed",
    "FinsamError",
    "InvalidInput",
    "MembershipRuleViolation",
    "MinutesAreFinal",
    "MoneyRuleViolation",
    "NotFound",
    "NotQuorate",
    "NoticeRuleViolation",
    "ParagraphNumberingViolation",
    "PlanRuleViolation",
    "PrivacyViolation",
    "ReservationNotAllowed",
    "RuleViolation",
    "SignatureNotAllowed",
    "StoreUnavailable",
    "VotingRuleViolation",
]


class FinsamError(Exception):
    """Base of every error finsam raises on purpose."""


class InvalidInput(FinsamError, ValueError):
    """The input is malformed (a bad org nr, a date that does not parse, a missing field)."""


class NotFound(FinsamError, LookupError):
    """The förbund, meeting, paragraph or budget asked for is not recorded."""


class Conflict(FinsamError):
    """Somebody else recorded a change first; read again and retry."""


class StoreUnavailable(FinsamError):
    """The store did not take the write within its bounds (lock wait, time limit, connection); retry later."""


class RuleViolation(FinsamError):
    """A rule of the law, the charter or good administration forbids the change."""


class MembershipRuleViolation(RuleViolation):
    """Members of a förbund: who may join or leave, and who must always be there."""


class BoardRuleViolation(RuleViolation):
    """Board appointments: seats, terms, chair and vice chair."""


class NotQuorate(RuleViolation):
    """The board may not decide: not more than half of the ledamöter are present."""


class VotingRuleViolation(RuleViolation):
    """Who may vote, and how a vote is counted."""


class ReservationNotAllowed(RuleViolation):
    """Only a voting member who did not vote for the decision may enter a reservation."""


class ParagraphNumberingViolation(RuleViolation):
    """Paragraph numbers run on through the year: they never repeat or go backwards."""


class MinutesAreFinal(RuleViolation):
    """Adjusted minutes are final; only a correction may follow."""


class SignatureNotAllowed(RuleViolation):
    """Only the chair and the elected adjusters sign the minutes, on the minutes as they stand."""


class AdjustmentRuleViolation(RuleViolation):
    """Adjustment cannot precede the meeting."""


class NoticeRuleViolation(RuleViolation):
    """The public notice of adjusted minutes."""


class MoneyRuleViolation(RuleViolation):
    """Allocations, budgets, outcome and fees."""


class PrivacyViolation(RuleViolation):
    """Participants in interventions are never recorded as persons."""


class ExcerptNotAllowed(RuleViolation):
    """A protokollsutdrag is taken only from adjusted minutes, of paragraphs they hold."""


class PlanRuleViolation(RuleViolation):
    """Verksamhetsplaner: goals and targets, the years a plan governs, and its follow-up."""


class DischargeRuleViolation(RuleViolation):
    """Auditors, the audit report and each member's chain of proposals to its discharge decision."""


class DelegationRuleViolation(RuleViolation):
    """Delegation (kommunallagen 6 kap. 37–40 §§) and per capsulam decisions."""
