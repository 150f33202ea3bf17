"""Participants broken down by kommun, age, gender, income source, outcome and time in the intervention:
the seed's own figures (`001_*`, Karlskoga/Degerfors 2020), the refusals, and that no read shows 1–4."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from finsam_core.application import Finsam
from finsam_core.domain.participant_breakdowns import Dimension, Population
from finsam_core.errors import InvalidInput, PrivacyViolation
from finsam_core.formats import import_paths
from finsam_core.projections.published_participants import ShownFigures
from finsam_core.testing import (
    KARLSKOGA_BREAKDOWNS_2020,
    KARLSKOGA_DEGERFORS,
    KARLSKOGA_PARTICIPANTS_2020,
    KRAMFORS,
    record_karlskoga_participants_2020,
    refused,
    register_karlskoga_degerfors,
    register_kramfors,
    register_nns,
)

SEEDS = Path(__file__).parents[3] / "examples" / "seeds"


@pytest.fixture
def karlskoga(app: Finsam) -> Finsam:
    register_karlskoga_degerfors(app)
    return app


def _cells(app: Finsam, dimension: str, population: str) -> dict[str, int]:
    for b in app.participant_breakdowns(KARLSKOGA_DEGERFORS, 2020):
        if (b.dimension.value, b.population.value) == (dimension, population):
            return {c.category: c.count for c in b.cells}
    raise AssertionError(f"no breakdown {dimension}/{population}")


def test_the_seeds_kommun_figures_add_up_to_its_totals(karlskoga: Finsam) -> None:
    record_karlskoga_participants_2020(karlskoga)
    assert _cells(karlskoga, "kommun", "deltagare") == {"Karlskoga kommun": 162, "Degerfors kommun": 41}
    assert sum(_cells(karlskoga, "kommun", "deltagare").values()) == 203
    assert sum(_cells(karlskoga, "kommun", "nya").values()) == 66
    assert sum(_cells(karlskoga, "kommun", "avslutade").values()) == 73
    assert _cells(karlskoga, "kon", "avslutade") == {"kvinnor": 40, "man": 33}


def test_the_seeds_exits_by_outcome_sum_to_the_73_exited(karlskoga: Finsam) -> None:
    record_karlskoga_participants_2020(karlskoga)
    counts = karlskoga.participant_figures(KARLSKOGA_DEGERFORS, 2020)
    assert sum(e.count for e in counts.exits) == counts.exited == 73
    # "47 % av de avslutade": job seeking, work, subsidised work and studies.
    to_work_or_studies = sum(
        KARLSKOGA_PARTICIPANTS_2020["exits"][k] for k in ("arbetssokande", "arbete", "subventionerat_arbete", "studier")
    )
    assert round(100 * to_work_or_studies / 73) == 47


def test_the_seeds_small_outcomes_are_shown_as_under_five(karlskoga: Finsam) -> None:
    register_nns(karlskoga)
    karlskoga.join_network(KARLSKOGA_DEGERFORS, date(2010, 1, 1))
    record_karlskoga_participants_2020(karlskoga)
    [entry] = karlskoga.network_participant_figures(2020).entries
    assert entry.cell(Dimension.OUTCOME, Population.EXITED, "subventionerat_arbete") == "<5"  # 1
    assert entry.cell(Dimension.OUTCOME, Population.EXITED, "annat") == "<5"  # 2 ("Utan mätning")
    assert entry.cell(Dimension.OUTCOME, Population.EXITED, "studier") == 21
    assert entry.cell(Dimension.KOMMUN, Population.PARTICIPANTS, "Degerfors kommun") == 41


def test_the_imported_age_and_income_counts_give_back_the_seeds_percentages() -> None:
    app = Finsam(store_url="memory:")
    results = import_paths(app, [SEEDS / "karlskoga-degerfors"])
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    breakdowns = {
        (b.dimension.value, b.population.value): b for b in app.participant_breakdowns(KARLSKOGA_DEGERFORS, 2020)
    }
    age = {c.category: round(100 * c.count / 203) for c in breakdowns["alder", "deltagare"].cells}
    assert age == {"16-29": 61, "30-50": 30, "50-65": 9}
    income = {c.category: round(100 * c.count / 203) for c in breakdowns["forsorjning", "deltagare"].cells}
    assert income == {"forsorjningsstod": 29, "sjukpenning_rehabersattning": 28, "ingen_offentlig": 31}
    assert breakdowns["alder", "nya"].count("16-29") == 10 + 30  # Degerfors 10, Karlskoga 30 under 30 år


def test_a_kommun_breakdown_must_sum_to_its_total(karlskoga: Finsam) -> None:
    karlskoga.report_participants(KARLSKOGA_DEGERFORS, 2020, KARLSKOGA_PARTICIPANTS_2020)
    refused(
        karlskoga,
        InvalidInput,
        "summerar till 202 men ska vara lika med 203",
        lambda: karlskoga.report_participant_breakdowns(
            KARLSKOGA_DEGERFORS,
            2020,
            [
                {
                    "dimension": "kommun",
                    "population": "deltagare",
                    "cells": {"Karlskoga kommun": 161, "Degerfors kommun": 41},
                }
            ],
        ),
    )


def test_a_kommun_that_is_not_a_member_is_an_unknown_category(karlskoga: Finsam) -> None:
    karlskoga.report_participants(KARLSKOGA_DEGERFORS, 2020, KARLSKOGA_PARTICIPANTS_2020)
    refused(
        karlskoga,
        InvalidInput,
        "Okänd kategori 'Örebro kommun'.*tillåtna är Karlskoga kommun, Degerfors kommun",
        lambda: karlskoga.report_participant_breakdowns(
            KARLSKOGA_DEGERFORS,
            2020,
            [{"dimension": "kommun", "population": "deltagare", "cells": {"Örebro kommun": 203}}],
        ),
    )


@pytest.mark.parametrize(
    ("breakdown", "message"),
    [
        ({"dimension": "alder", "population": "deltagare", "cells": {"16-29": -1}}, "kan inte vara negativt"),
        ({"dimension": "alder", "population": "deltagare", "cells": {"65-": 3}}, "Okänd kategori '65-'"),
        ({"dimension": "ogonfarg", "population": "deltagare", "cells": {}}, "Okänd fördelning 'ogonfarg'"),
        ({"dimension": "alder", "population": "alla", "cells": {}}, "Okänd grupp 'alla'"),
        (
            {"dimension": "alder", "population": "nya", "cells": {"16-29": 50, "30-50": 20}},
            "summerar till 70, fler än 66",
        ),
        ({"dimension": "kon", "population": "nya", "cells": {"kvinnor": 37, "man": 30}}, "ska vara lika med 66"),
        ({"dimension": "forsorjning", "population": "deltagare", "cells": {"forsorjningsstod": 204}}, "fler än 203"),
        ({"dimension": "kon", "population": "deltagare", "cells": {"kvinnor": 106}}, "anges i deltagarsiffrorna"),
        ({"dimension": "utfall", "population": "avslutade", "cells": {"arbete": 5}}, "anges i deltagarsiffrorna"),
        ({"dimension": "tid_i_insats", "population": "deltagare", "cells": {"0-3": "två"}}, "ska vara ett heltal"),
        ({"dimension": "alder", "population": "deltagare", "cells": {}, "namn": "x"}, "Okända fält i en fördelning"),
    ],
)
def test_a_breakdown_that_does_not_fit_is_refused_in_swedish(
    karlskoga: Finsam, breakdown: dict[str, Any], message: str
) -> None:
    karlskoga.report_participants(KARLSKOGA_DEGERFORS, 2020, KARLSKOGA_PARTICIPANTS_2020)
    refused(
        karlskoga,
        InvalidInput,
        message,
        lambda: karlskoga.report_participant_breakdowns(KARLSKOGA_DEGERFORS, 2020, [breakdown]),
    )


def test_income_sources_may_overlap_as_the_seeds_degerfors_figures_do(karlskoga: Finsam) -> None:
    # Degerfors: 37 % + 39 % + 34 % = 110 % of 41: a person may have more than one source.
    karlskoga.report_participants(KARLSKOGA_DEGERFORS, 2020, {"participants": 41, "exited": 14})
    karlskoga.report_participant_breakdowns(
        KARLSKOGA_DEGERFORS,
        2020,
        [
            {
                "dimension": "forsorjning",
                "population": "deltagare",
                "cells": {"forsorjningsstod": 15, "sjukpenning_rehabersattning": 16, "ingen_offentlig": 14},
            }
        ],
    )
    assert sum(_cells(karlskoga, "forsorjning", "deltagare").values()) == 45


def test_breakdowns_of_new_participants_need_the_number_of_new(karlskoga: Finsam) -> None:
    karlskoga.report_participants(KARLSKOGA_DEGERFORS, 2020, {"participants": 203, "exited": 73})
    refused(
        karlskoga,
        InvalidInput,
        "Ange antalet nya deltagare",
        lambda: karlskoga.report_participant_breakdowns(KARLSKOGA_DEGERFORS, 2020, KARLSKOGA_BREAKDOWNS_2020),
    )


def test_breakdowns_come_after_the_years_counts(karlskoga: Finsam) -> None:
    refused(
        karlskoga,
        InvalidInput,
        "Rapportera deltagarsiffrorna för 2020 innan fördelningarna",
        lambda: karlskoga.report_participant_breakdowns(KARLSKOGA_DEGERFORS, 2020, KARLSKOGA_BREAKDOWNS_2020),
    )


def test_new_counts_must_fit_the_breakdowns_already_reported(karlskoga: Finsam) -> None:
    record_karlskoga_participants_2020(karlskoga)
    refused(
        karlskoga,
        InvalidInput,
        "summerar till 203 men ska vara lika med 204",
        lambda: karlskoga.report_participants(
            KARLSKOGA_DEGERFORS, 2020, {**KARLSKOGA_PARTICIPANTS_2020, "participants": 204, "women": 107}
        ),
    )


def test_women_and_men_given_together_must_be_all_the_participants(karlskoga: Finsam) -> None:
    refused(
        karlskoga,
        InvalidInput,
        r"Kvinnor och män \(106 \+ 96 = 202\) ska tillsammans vara lika många som deltagarna \(203\)",
        lambda: karlskoga.report_participants(KARLSKOGA_DEGERFORS, 2020, {**KARLSKOGA_PARTICIPANTS_2020, "men": 96}),
    )


def test_a_comment_that_looks_like_a_personnummer_is_still_refused(karlskoga: Finsam) -> None:
    refused(
        karlskoga,
        PrivacyViolation,
        "personnummer",
        lambda: karlskoga.report_participants(
            KARLSKOGA_DEGERFORS,
            2020,
            KARLSKOGA_PARTICIPANTS_2020,
            comment="Gäller 19800101-1234",
            breakdowns=KARLSKOGA_BREAKDOWNS_2020,
        ),
    )


def test_the_network_sums_per_category_before_it_suppresses(app: Finsam) -> None:
    register_nns(app)
    register_kramfors(app)
    register_karlskoga_degerfors(app)
    app.join_network(KRAMFORS, date(2010, 1, 1))
    app.join_network(KARLSKOGA_DEGERFORS, date(2010, 1, 1))
    app.report_participants(KRAMFORS, 2021, {"participants": 90, "exited": 35, "exits": {"studier": 3, "arbete": 11}})
    app.report_participants(
        KARLSKOGA_DEGERFORS, 2021, {"participants": 80, "exited": 30, "exits": {"studier": 4, "arbete": 9}}
    )
    network = app.network_participant_figures(2021)
    assert network.total.cell(Dimension.OUTCOME, Population.EXITED, "studier") == 7  # 3 + 4, each "<5" on its own
    assert {e.cell(Dimension.OUTCOME, Population.EXITED, "studier") for e in network.entries} == {"<5"}
    assert network.total.cell(Dimension.OUTCOME, Population.EXITED, "arbete") == 20


def _shown_numbers(figures: ShownFigures) -> list[object]:
    numbers: list[object] = [figures.participants, figures.exited, figures.new]
    for b in figures.breakdowns:
        numbers.append(b.total)
        numbers.extend(c.count for c in b.cells)
    return numbers


def test_no_published_figure_of_the_seeds_is_between_one_and_four() -> None:
    app = Finsam(store_url="memory:")
    results = import_paths(app, [SEEDS])
    assert all(r.ok for r in results), [r.line() for r in results if not r.ok]
    checked = 0
    for year in range(2019, 2025):
        network = app.network_participant_figures(year)
        for figures in (*network.entries, network.total):
            for n in _shown_numbers(figures):
                assert not (isinstance(n, int) and 1 <= n <= 4), (year, figures.name, n)
                checked += 1
    assert checked > 50


def test_a_breakdown_that_is_not_categories_and_counts_is_refused(karlskoga: Finsam) -> None:
    karlskoga.report_participants(KARLSKOGA_DEGERFORS, 2020, KARLSKOGA_PARTICIPANTS_2020)
    refused(
        karlskoga,
        InvalidInput,
        "En fördelning anges som dimension, population och cells",
        lambda: karlskoga.report_participant_breakdowns(
            KARLSKOGA_DEGERFORS, 2020, [{"dimension": "kommun", "population": "deltagare", "cells": [162, 41]}]
        ),
    )
