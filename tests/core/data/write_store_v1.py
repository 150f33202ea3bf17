# mypy: ignore-errors
# ruff: noqa
# (This script runs against the source of commit d225017, whose module paths have moved since.)
"""Write ``store-v1.sqlite``: a store as the code of commit d225017 recorded it (before issue 10 moved things).

Run once against that commit's source, not against today's (the API has changed since):

    git worktree add /tmp/finsam-v1 d225017
    PYTHONPATH=/tmp/finsam-v1/src python tests/core/data/write_store_v1.py tests/core/data/store-v1.sqlite

The heads are signed with the key in ``$FINSAM_SIGNING_KEY`` (or the user's default); its public key
goes in ``store-v1.pub``. It imports the seeds (examples/seeds) and then records the kinds of events
the seeds do not hold, so that ``tests/core/test_old_store.py`` can read every stored topic and shape with the new code.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

from finsam_core.application import Finsam
from finsam_core.domain.charter import Charter, DecisionRef
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.formats import import_paths
from finsam_core.domain.values import BoardRole, MemberKind, MemberOrganisation
from finsam_core.testing import KARLSKOGA_DEGERFORS, KRAMFORS, ORNSKOLDSVIK

SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
BOARD = DecisionRef("Förbundsstyrelsen", "FICTITIOUS § 1", date(2024, 11, 1))


def write(path: Path) -> None:
    app = Finsam(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    import_paths(app, [SEEDS])
    ovik = app.association(ORNSKOLDSVIK)
    amended = Charter(seats=ovik.charter_on(date(2024, 1, 1)).seats, qualified_majority=None)
    app.amend_charter(ORNSKOLDSVIK, amended, date(2025, 1, 1), BOARD)
    # Karlskoga/Degerfors: a budget revised, a member's notice, an appointment ended.
    app.end_appointment(KARLSKOGA_DEGERFORS, ovik_person(app, KARLSKOGA_DEGERFORS), "DFS", date(2022, 6, 30))
    app.give_member_notice(KARLSKOGA_DEGERFORS, "DFS", date(2024, 3, 1), BOARD)
    # Örnsköldsvik: a new meeting with a conflict, a document, an assignment completed, late adjustment.
    ref = "2024-09-12"
    app.convene_meeting(ORNSKOLDSVIK, ref, date(2024, 9, 12), "Trolltjärn stadshuset Kronan")
    board = [a for a in app.association(ORNSKOLDSVIK).board_on(date(2024, 9, 12)) if a.role is BoardRole.BOARD_MEMBER]
    app.record_attendance(
        ORNSKOLDSVIK,
        ref,
        tuple(Attendee(a.person, Capacity.BOARD_MEMBER) for a in board),
        chair=board[0].person,
        secretary="Förbundschefen",
    )
    n = app.add_paragraph(ORNSKOLDSVIK, ref, "Inkomna handlingar")
    app.receive_document(ORNSKOLDSVIK, ref, n, "Dnr 2024/17", "Försäkringskassan", "Skrivelse", date(2024, 9, 1))
    app.declare_conflict(ORNSKOLDSVIK, ref, n, board[-1].person)
    app.decide(ORNSKOLDSVIK, ref, n, ("Att lägga handlingarna till handlingarna.",))
    app.elect_adjusters(ORNSKOLDSVIK, ref, (board[1].person,))
    signed = datetime.combine(date(2024, 10, 30), time(12), tzinfo=UTC)
    app.sign_minutes(ORNSKOLDSVIK, ref, board[0].person, signed)
    app.sign_minutes(ORNSKOLDSVIK, ref, board[1].person, signed)
    app.complete_assignment(ORNSKOLDSVIK, "2024-05-30", 44, "Förbundschefen", date(2024, 7, 15))
    app.correct(ORNSKOLDSVIK, "2024-05-30", 43, "Ska vara: följeforskningsprojektet.", "Stavfel.", date(2024, 6, 20))
    app.take_down_notice(ORNSKOLDSVIK, "2024-05-30", date(2024, 7, 3))
    # NNS: a withdrawal notice given and revoked.
    app.give_network_withdrawal_notice(KRAMFORS, date(2024, 9, 13))
    app.revoke_network_withdrawal(KRAMFORS, date(2024, 12, 1))
    # Money: the 2023 year closed; a member admitted to Kramfors.
    app.close_year(KARLSKOGA_DEGERFORS, 2023, -928_000, date(2024, 2, 15))
    app.admit_member(KRAMFORS, MemberOrganisation("SK", "Sollefteå kommun", MemberKind.KOMMUN), date(2025, 1, 1), BOARD)


def ovik_person(app: Finsam, org_nr: str) -> str:
    return next(a.person for a in app.association(org_nr).board_on(date(2022, 6, 1)) if a.member_key == "DFS")


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.unlink(missing_ok=True)
    write(target)
    print(f"wrote {target}")
