"""What-if for auditors: a recorded vote counted again under another decision rule.

The ballots are the ones recorded; the counting is :mod:`finsam_core.rules.majority`, the same
functions the meeting used, so the recount differs from the record only by the rule. Nothing is
recorded: :func:`recount` reads the meeting and returns both outcomes side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from finsam_core.domain.meeting import Meeting, same_person
from finsam_core.errors import InvalidInput, NotFound
from finsam_core.rules.majority import Tally, VoteResult, count_qualified, count_simple
from finsam_core.values import Ballot, MatterKind, Ratio

__all__ = ["Recount", "RecountRule", "recount", "recount_text"]

_TWO_THIRDS = Ratio(2, 3)


class RecountRule(StrEnum):
    """The decision rules an auditor may try."""

    SIMPLE = "simple"
    """Simple majority of the votes cast; on a tie the chair's casting vote (elections: lot)."""
    SIMPLE_NO_CASTING_VOTE = "simple-no-casting-vote"
    """Simple majority of the votes cast; a tie rejects the proposal (elections: lot)."""
    TWO_THIRDS_OF_CAST = "two-thirds-of-cast"
    """At least two thirds of the votes cast (yes and no; abstentions not counted)."""
    TWO_THIRDS_OF_PRESENT = "two-thirds-of-present"
    """At least two thirds of those present and entitled to vote in the paragraph."""

    @property
    def swedish(self) -> str:
        return {
            RecountRule.SIMPLE: "enkel majoritet med ordförandens utslagsröst",
            RecountRule.SIMPLE_NO_CASTING_VOTE: "enkel majoritet utan utslagsröst",
            RecountRule.TWO_THIRDS_OF_CAST: "två tredjedelar av avgivna röster",
            RecountRule.TWO_THIRDS_OF_PRESENT: "två tredjedelar av de närvarande röstberättigade",
        }[self]


@dataclass(frozen=True)
class Recount:
    """A recorded vote and the same ballots counted under ``rule``."""

    org_nr: str
    meeting: str
    paragraph: int
    proposal: str
    tally: Tally
    voters: int
    recorded_rule: str
    recorded: VoteResult
    rule: RecountRule
    recounted: VoteResult

    @property
    def differs(self) -> bool:
        return self.recorded.outcome != self.recounted.outcome


def _parse_rule(rule: RecountRule | str) -> RecountRule:
    try:
        return RecountRule(rule)
    except ValueError:
        names = ", ".join(r.value for r in RecountRule)
        raise InvalidInput(f"Regeln {rule!r} finns inte; välj en av {names}.") from None


def recount(meeting: Meeting, number: int, rule: RecountRule | str, vote: int = -1) -> Recount:
    """Count vote ``vote`` (default: the last) of paragraph ``number`` again under ``rule``."""
    rule = _parse_rule(rule)
    paragraph = meeting.paragraphs.get(number)
    if paragraph is None:
        raise NotFound(f"Protokollet {meeting.reference} har ingen § {number}.")
    if not paragraph.votes:
        raise NotFound(f"I § {number} i protokollet {meeting.reference} hölls ingen omröstning.")
    try:
        record = paragraph.votes[vote]
    except IndexError:
        raise NotFound(f"§ {number} har {len(paragraph.votes)} omröstning(ar), inte nummer {vote}.") from None
    tally = Tally.of([cast.ballot for cast in record.ballots])
    voters = len(meeting.voters_at(number))
    chair = meeting.chair
    chair_ballot: Ballot | None = next(
        (cast.ballot for cast in record.ballots if chair and same_person(cast.name, chair)), None
    )
    by_lot = record.matter == MatterKind.ELECTION
    if rule is RecountRule.TWO_THIRDS_OF_CAST:
        result = count_qualified(tally, at_least=_TWO_THIRDS, voters=tally.cast)
    elif rule is RecountRule.TWO_THIRDS_OF_PRESENT:
        result = count_qualified(tally, at_least=_TWO_THIRDS, voters=voters)
    else:
        casting = rule is RecountRule.SIMPLE
        result = count_simple(tally, chair_ballot=chair_ballot, chair_has_casting_vote=casting, tie_by_lot=by_lot)
    return Recount(
        org_nr=meeting.org_nr,
        meeting=meeting.reference,
        paragraph=number,
        proposal=record.proposal,
        tally=tally,
        voters=voters,
        recorded_rule=record.rule,
        recorded=VoteResult(record.outcome, record.explanation),
        rule=rule,
        recounted=result,
    )


def recount_text(found: Recount) -> str:
    """Both outcomes side by side, in Swedish, for the terminal."""
    verdict = "Utfallet blir ett annat." if found.differs else "Utfallet blir detsamma."
    return "\n".join(
        [
            f"Omräkning av § {found.paragraph} i protokollet {found.meeting} ({found.org_nr}); inget registreras.",
            f"Förslag: {found.proposal}",
            f"Röster: {found.tally.yes} ja, {found.tally.no} nej, {found.tally.abstain} avstår; "
            f"{found.voters} röstberättigade närvarande",
            f"Som registrerat ({found.recorded_rule}): {found.recorded.outcome.value}. {found.recorded.explanation}",
            f"Med {found.rule.swedish}: {found.recounted.outcome.value}. {found.recounted.explanation}",
            verdict,
        ]
    )
