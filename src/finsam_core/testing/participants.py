"""Participant figures of the seeds: Karlskoga/Degerfors 2020 (`001_*`, "Statistik från Coachingteamets
verksamhet 2020, via SUS"), counts only."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from finsam_core.application import Finsam
from finsam_core.testing.governance import KARLSKOGA_DEGERFORS

__all__ = ["KARLSKOGA_BREAKDOWNS_2020", "KARLSKOGA_PARTICIPANTS_2020", "record_karlskoga_participants_2020"]

KARLSKOGA_PARTICIPANTS_2020: Final[dict[str, Any]] = {
    "participants": 203,
    "exited": 73,
    "new": 66,
    "women": 106,
    "men": 97,
    # The table "Avslutade deltagare": Totalt 7, 5, 1, 21, 18, 19, 2.
    "exits": {
        "arbetssokande": 7,
        "arbete": 5,
        "subventionerat_arbete": 1,
        "studier": 21,
        "vard": 18,
        "fortsatt_rehabilitering": 19,
        "annat": 2,
    },
}
"""203 participants (106 women, 97 men), 66 new, 73 exited by outcome."""

KARLSKOGA_BREAKDOWNS_2020: Final[list[dict[str, Any]]] = [
    {"dimension": "kommun", "population": "deltagare", "cells": {"Karlskoga kommun": 162, "Degerfors kommun": 41}},
    {"dimension": "kommun", "population": "nya", "cells": {"Karlskoga kommun": 50, "Degerfors kommun": 16}},
    {"dimension": "kommun", "population": "avslutade", "cells": {"Karlskoga kommun": 59, "Degerfors kommun": 14}},
    {"dimension": "kon", "population": "nya", "cells": {"kvinnor": 37, "man": 29}},
    {"dimension": "kon", "population": "avslutade", "cells": {"kvinnor": 40, "man": 33}},
]
"""The breakdowns the seed gives as counts ("Jämförelse Degerfors/Karlskoga" and the gender lines)."""


def record_karlskoga_participants_2020(app: Finsam) -> None:
    """Karlskoga/Degerfors's 2020 figures with the breakdowns the seed gives as counts."""
    app.report_participants(
        KARLSKOGA_DEGERFORS,
        2020,
        KARLSKOGA_PARTICIPANTS_2020,
        reported_on=date(2021, 2, 8),  # FICTITIOUS (the annual report's approval)
        breakdowns=KARLSKOGA_BREAKDOWNS_2020,
    )
