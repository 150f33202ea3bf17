"""Quorum: may the board decide with those present?"""

from __future__ import annotations

from finsam_core.values import Ratio

__all__ = ["is_quorate", "quorum_needed"]


def is_quorate(voting_present: int, board_seats: int, more_than: Ratio) -> bool:
    """True when more than ``more_than`` of the board's ledamot seats are filled by voters present.

    Serving deputies count for the ledamot they replace; a member with a conflict of interest in a
    paragraph is not counted for that paragraph (the caller leaves them out of ``voting_present``).
    """
    return voting_present * more_than.denominator > more_than.numerator * board_seats


def quorum_needed(board_seats: int, more_than: Ratio) -> int:
    """The smallest number of voters present that makes the board quorate."""
    return (more_than.numerator * board_seats) // more_than.denominator + 1
