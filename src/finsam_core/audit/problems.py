"""What a verification reports: the first thing found wrong, and a summary of what it saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from finsam_core.audit.chain import SignedHead

__all__ = ["Problem", "VerificationReport"]


@dataclass(frozen=True)
class Problem:
    """The first thing found wrong, and where."""

    what: str
    position: int | None = None
    stream: UUID | None = None
    version: int | None = None

    def __str__(self) -> str:
        where = []
        if self.position is not None:
            where.append(f"position {self.position}")
        if self.stream is not None:
            where.append(f"ström {self.stream}")
        if self.version is not None:
            where.append(f"version {self.version}")
        return (", ".join(where) + ": " if where else "") + self.what


@dataclass
class VerificationReport:
    """What a verification saw; ``ok`` when nothing is wrong."""

    events: int = 0
    streams: int = 0
    heads: int = 0
    last_head: SignedHead | None = None
    signatures_checked: int = 0
    minutes_signatures_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    pending: int = 0
    """Events written while the verification waited for the writers' signers: not yet signed, not checked."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line for the terminal (two with the first problem)."""
        if self.last_head is not None:
            head = (
                f"senaste kontrollpunkt {self.last_head.position}:{self.last_head.log_hash.hex()} "
                f"signerad {self.last_head.signed_at.isoformat(timespec='seconds')}"
            )
        else:
            head = "ingen kontrollpunkt"
        state = "OK" if self.ok else "FEL"
        text = (
            f"{state}: {self.events} händelser i {self.streams} strömmar, {self.heads} kontrollpunkter, "
            f"{head}; {self.signatures_checked} kontrollpunktssignaturer och "
            f"{self.minutes_signatures_checked} protokollsignaturer kontrollerade"
        )
        if self.pending:
            text += f"; {self.pending} nyare händelser väntar på sin signatur och är inte kontrollerade"
        if self.problems:
            text += f"\nFörsta fel: {self.problems[0]}"
        return text
