"""Counting an open vote under a charter's decision rule.

Simple majority (the default): more than half of the votes cast, abstentions not counted; on a
tie the chair's vote decides when the charter gives the chair a casting vote, except for elections
and appointments, which are decided by lot. A qualified majority (such as 2/3) is "at least that
share" of a base the charter states: of the voters taking part in the paragraph (present,
entitled to vote, not disqualified), where abstaining does not lower the bar (with five voters 2/3
needs four yes), or of the votes cast, where an abstention is left out (3 yes, 1 no: 3 of 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from finsam_core.values import Ballot, MajorityBase, Ratio

__all__ = ["Tally", "VoteOutcome", "VoteResult", "count_qualified", "count_simple"]


class VoteOutcome(StrEnum):
    ADOPTED = "bifall"
    REJECTED = "avslag"
    BY_LOT = "lottning"


@dataclass(frozen=True, slots=True)
class Tally:
    yes: int
    no: int
    abstain: int

    @classmethod
    def of(cls, ballots: list[Ballot] | tuple[Ballot, ...]) -> Tally:
        return cls(
            yes=sum(1 for b in ballots if b == Ballot.YES),
            no=sum(1 for b in ballots if b == Ballot.NO),
            abstain=sum(1 for b in ballots if b == Ballot.ABSTAIN),
        )

    @property
    def cast(self) -> int:
        return self.yes + self.no


@dataclass(frozen=True, slots=True)
class VoteResult:
    outcome: VoteOutcome
    explanation: str
    """In Swedish, for the minutes: how the outcome follows from the rule."""


def count_simple(
    tally: Tally,
    *,
    chair_ballot: Ballot | None,
    chair_has_casting_vote: bool,
    tie_by_lot: bool,
) -> VoteResult:
    """Simple majority of the votes cast, with the tie-break the charter and the matter call for."""
    counts = f"{tally.yes} ja, {tally.no} nej, {tally.abstain} avstår"
    if tally.yes > tally.no:
        return VoteResult(VoteOutcome.ADOPTED, f"{counts}: enkel majoritet för förslaget.")
    if tally.no > tally.yes:
        return VoteResult(VoteOutcome.REJECTED, f"{counts}: förslaget fick inte majoritet.")
    if tally.cast == 0:
        return VoteResult(VoteOutcome.REJECTED, f"{counts}: inga röster för förslaget.")
    if tie_by_lot:
        return VoteResult(VoteOutcome.BY_LOT, f"{counts}: lika röstetal i ett val avgörs genom lottning.")
    if chair_has_casting_vote and chair_ballot == Ballot.YES:
        return VoteResult(VoteOutcome.ADOPTED, f"{counts}: lika röstetal, ordförandens utslagsröst avgör.")
    if chair_has_casting_vote and chair_ballot == Ballot.NO:
        return VoteResult(VoteOutcome.REJECTED, f"{counts}: lika röstetal, ordförandens utslagsröst avgör.")
    return VoteResult(
        VoteOutcome.REJECTED,
        f"{counts}: lika röstetal utan utslagsröst; förslaget fick inte majoritet.",
    )


def count_qualified(
    tally: Tally, *, at_least: Ratio, voters: int, base: MajorityBase = MajorityBase.PRESENT_VOTERS
) -> VoteResult:
    """A qualified majority: at least ``at_least`` of the base must vote yes.

    The base is the ``voters`` taking part (present and entitled to vote) or, with
    ``MajorityBase.VOTES_CAST``, the yes and no votes of the tally.
    """
    counts = f"{tally.yes} ja, {tally.no} nej, {tally.abstain} avstår"
    if base is MajorityBase.VOTES_CAST:
        voters = tally.cast
        at_least_text = f"{at_least} av avgivna röster"
    else:
        at_least_text = str(at_least)
    needed = -(-at_least.numerator * voters // at_least.denominator)
    if voters > 0 and tally.yes >= needed:
        return VoteResult(
            VoteOutcome.ADOPTED,
            f"{counts}: kvalificerad majoritet ({at_least_text}) uppnådd, {needed} av {voters} krävs.",
        )
    return VoteResult(
        VoteOutcome.REJECTED,
        f"{counts}: kvalificerad majoritet ({at_least_text}) krävs, det vill säga {needed} av {voters} röster.",
    )
