"""Refusals are always FinsamErrors (issue 15): a float in any amount is refused with the Swedish rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from finsam_core.application import Finsam
from finsam_core.domain.budget import BudgetLine, IncomeLine
from finsam_core.domain.charter import DecisionRef, KommunShare
from finsam_core.domain.interventions import Funding, FundingSource, InterventionKind
from finsam_core.errors import InvalidInput
from finsam_core.testing import (
    KARLSKOGA_DEGERFORS as KD,
)
from finsam_core.testing import (
    TERM_2019,
    appoint_board,
    record_board_decision,
    refused,
    register_karlskoga_degerfors,
)

FLOAT_RULE = "aldrig som flyttal"
LINES = (BudgetLine("coaching", "Coachingteamet", Decimal(4_407_000)),)
INCOME = (IncomeLine("Medlemsbidrag", Decimal(4_407_000)),)
BAD: Any = 1000.5


@pytest.fixture
def adopted(app: Finsam) -> tuple[Finsam, DecisionRef]:
    register_karlskoga_degerfors(app)
    appoint_board(app, KD, TERM_2019)
    ref = record_board_decision(app, KD, "2021-6", date(2021, 11, 22), "Budget", ("att anta budgeten",))
    app.adopt_budget(KD, 2022, LINES, INCOME, ref)
    return app, ref


COMMANDS: dict[str, Callable[[Finsam, DecisionRef], object]] = {
    "a budget line": lambda app, ref: app.adopt_budget(
        KD, 2023, (BudgetLine("coaching", "Coachingteamet", BAD),), INCOME, ref
    ),
    "an income line": lambda app, ref: app.adopt_budget(KD, 2023, LINES, (IncomeLine("Medlemsbidrag", BAD),), ref),
    "a budget total": lambda app, ref: app.adopt_budget(KD, 2023, LINES, INCOME, ref, total=BAD),
    "a revised budget line": lambda app, ref: app.revise_budget(
        KD, 2022, (BudgetLine("coaching", "Coachingteamet", BAD),), INCOME, ref
    ),
    "an outcome": lambda app, ref: app.record_outcome(KD, 2022, date(2022, 1, 1), {"coaching": BAD}),
    "a forecast": lambda app, ref: app.record_forecast(KD, 2022, {"coaching": BAD}, date(2022, 3, 1)),
    "an opening equity": lambda app, ref: app.record_opening_equity(KD, 2022, BAD),
    "an allocation": lambda app, ref: app.record_allocation(
        KD, 2023, {"FK": BAD}, total=5_574_000, recorded_on=date(2022, 11, 1)
    ),
    "a closing result": lambda app, ref: app.close_year(KD, 2022, BAD, date(2023, 2, 1)),
    "an intervention's funding": lambda app, ref: app.register_intervention(
        KD,
        "Coachingteamet",
        InterventionKind.INDIVIDUAL,
        "Karlskoga kommun",
        date(2022, 1, 1),
        funding=(Funding(FundingSource.FINSAM, BAD),),
    ),
    "a share of the kommun key": lambda app, ref: app.amend_charter(
        KD,
        msgspec.structs.replace(
            app.forbund(KD).charter_on(date(2022, 1, 1)),
            kommun_key=(KommunShare("DK", BAD), KommunShare("KK", Decimal(75))),
        ),
        date(2022, 1, 1),
        ref,
    ),
}


@pytest.mark.parametrize("what", sorted(COMMANDS))
def test_a_float_amount_is_refused_with_the_swedish_rule(adopted: tuple[Finsam, DecisionRef], what: str) -> None:
    app, ref = adopted
    refused(app, InvalidInput, FLOAT_RULE, lambda: COMMANDS[what](app, ref))
