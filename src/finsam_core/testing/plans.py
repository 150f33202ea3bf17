"""The verksamhetsplan of Karlskoga/Degerfors from the seeds: the 2022 plan (``004_*`` § 4) and the
targets and results of 2020 (``001_*`` § 1.4), for tests and the demo.

Goal texts and targets are the seeds' own words (the OCR's lost diacritics restored). What the seeds do
not give is marked FICTITIOUS: the meetings that adopted the plans, and which goal the 2020 targets sit
under.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finsam_core.application import Finsam
from finsam_core.domain.activity_plan import Goal, Indicator, Measure
from finsam_core.domain.charter import DecisionRef
from finsam_core.domain.interventions import InterventionKind
from finsam_core.errors import NotFound
from finsam_core.rules.plans import PERCENT
from finsam_core.testing.governance import KARLSKOGA_DEGERFORS, TERM_2019, appoint_board, record_board_decision

__all__ = [
    "KARLSKOGA_PLAN_2022_GOALS",
    "karlskoga_plan_2020",
    "karlskoga_plan_2022",
    "register_coachingteamet",
]

COACHINGTEAMET = "Coachingteamet"

SELF_SUPPORT_2022 = Indicator(
    key="egen-forsorjning",
    text="40 % ska nå egen försörjning genom studier, arbete eller att stå arbetsmarknaden till förfogande",
    target=Decimal(40),
    unit=PERCENT,
    measure=Measure.SELF_SUPPORT,
    followed_up_by="SUS",
)
STEP_2022 = Indicator(
    key="stegforflyttning",
    text=(
        "30 % av deltagarna ska göra stegförflyttning mot egen försörjning via fortsatt rehabilitering hos "
        "någon av Finsams medlemmar"
    ),
    target=Decimal(30),
    unit=PERCENT,
    measure=Measure.CONTINUED_REHABILITATION,
    followed_up_by="SUS",
)
SUPPORT_2022 = Indicator(
    key="stod-inflytande",
    text="90 % av deltagarna ska uppleva stöd och inflytande i rehabiliteringsprocessen",
    target=Decimal(90),
    unit=PERCENT,
    measure=Measure.SUPPORT_AND_INFLUENCE,
    followed_up_by="indikatorerna 1,2,3,4",
)
READY_2022 = Indicator(
    key="mer-redo",
    text="70 % av deltagarna ska delvis uppleva sig vara mer redo för arbete eller studier",
    target=Decimal(70),
    unit=PERCENT,
    measure=Measure.MORE_READY,
    followed_up_by="indikatorerna 5,6,7",
)
COOPERATION_2022 = Indicator(
    key="samverkan",
    text=(
        "80 % av personer involverade i samverkan ska uppleva att samverkan genererar bättre förutsättningar "
        "för individen"
    ),
    target=Decimal(80),
    unit=PERCENT,
    measure=Measure.COOPERATION,
    followed_up_by="indikatorerna 7,8,9,10,12,13",
)

KARLSKOGA_PLAN_2022_GOALS = (
    Goal(
        key="1",
        title="Stimulera till starkt samverkanstruktur",
        description=(
            "En god samverkanskultur betonar partnerskap, nätverk, jämlika relationer, tillit och förtroende "
            "mellan parterna"
        ),
        subgoals=(
            "Stödja och arrangera gemensamma metod- och kompetensutvecklingsinsatser",
            "Arrangera/delta på regionala mässor, samverkanträffar, seminarier och konferenser där "
            "myndighetsföreträdare, politiker, ideell sektor och näringsliv",
            "Sprida information om identifierade förbättringsområden som kan förhindra ”krockar” i systemen",
            "Arrangera lokala samverkansträffar för medlemmar",
            "Omvärldsbevaka och samverka med andra samordningsförbund för att utveckla, stärka och öka samverkan",
            "Vidareutveckla former för att fånga upp och sprida brukarperspektivet",
            "Föra medlemsdialog med ägarrepresentanter",
            "Ingå i styrgrupper för ökad samverkan",
        ),
    ),
    Goal(
        key="2",
        title="Identifiera och utveckla nya arbets- och samverkansmetoder",
        description="Detta målområde handlar om behovsinventering, nya arbetssätt och metoder i samverkan",
        subgoals=(
            "Kartlägga och behovsanalyserna",
            "Våld i nära relationer - pilotverksamhet",
            "Stödja utvecklingen av en mer inkluderande arbetsmarknad, ökad samverkan med näringslivet och politiken",
            "Ingå i och medverka till flera ESF ansökningar mot vår målgrupp",
            "Bidra till ökat antal sociala företag",
            "Arbeta aktivt med jämställdhets-, jämlikhets- och genusperspektivet",
        ),
    ),
    Goal(
        key="3",
        title="Finansiera, utvärdera och implementera",
        subgoals=(
            "Stödja Mottagningsteamets och Coachingteamets samverkan",
            "Stödja uppföljnings- och utvärderingsarbetet",
            "Stödja teamprocessen i Coachingteamet",
            "Främja arbetet för implementering av framgångsrika arbetssätt och metoder i den ordinarie verksamheten",
            "Kommunicera Finsams uppdrag",
        ),
        interventions=(COACHINGTEAMET,),
    ),
    Goal(
        key="struktur",
        title="Mål på strukturell nivå",
        subgoals=("Ökad kunskap om Finsams arbete (följs upp med indikatorerna 12,14)",),
        indicators=(COOPERATION_2022,),
    ),
    Goal(
        key="individ",
        title="Mål på individnivå i Finsamfinansierade insatser",
        indicators=(SELF_SUPPORT_2022, STEP_2022, SUPPORT_2022, READY_2022),
        interventions=(COACHINGTEAMET,),
    ),
    Goal(
        key="ekonomi",
        title="Ekonomiska mål",
        subgoals=(
            "Undvika att sätta förbundet i skuld",
            "Ej överskrida 20% regeln",
            "Månadsvis följa upp budget för individinriktade insatser, strukturövergripande samt kansli",
            "Rapportera budgetutfall vid alla styrelsemöten",
        ),
    ),
)
"""``004_*`` § 4: Mål 1–3 with their delmål, the targets on structural and individual level, the financial goals."""


def register_coachingteamet(app: Finsam) -> None:
    """Coachingteamet (``001_*``: started June 2015; the day is FICTITIOUS), unless it is registered."""
    try:
        app.intervention(KARLSKOGA_DEGERFORS, COACHINGTEAMET)
    except NotFound:
        app.register_intervention(
            KARLSKOGA_DEGERFORS,
            COACHINGTEAMET,
            InterventionKind.INDIVIDUAL,
            "Kompetensförsörjningsenheten Karlskoga kommun",
            date(2015, 6, 1),
        )


def _decision(app: Finsam, reference: str, held_on: date, title: str) -> DecisionRef:
    if not app.forbund(KARLSKOGA_DEGERFORS).board_on(held_on):
        appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    return record_board_decision(app, KARLSKOGA_DEGERFORS, reference, held_on, title, (f"att anta {title}",))


def karlskoga_plan_2022(app: Finsam, *, last_year: int = 2024) -> DecisionRef:
    """ "Verksamhets- och budgetplan 2022", which "anger riktningen ... fram till 2024"; adopted at the
    FICTITIOUS meeting 2021-6 of 22 November 2021 (as the budget 2022 is)."""
    register_coachingteamet(app)
    decision = _decision(app, "2021-6", date(2021, 11, 22), "Verksamhets- och budgetplan 2022")
    app.adopt_activity_plan(
        KARLSKOGA_DEGERFORS,
        "2022",
        "Verksamhets- och budgetplan 2022",
        2022,
        last_year,
        KARLSKOGA_PLAN_2022_GOALS,
        decision,
    )
    return decision


def karlskoga_plan_2020(app: Finsam) -> DecisionRef:
    """The 2020 plan as the annual report 2020 (``001_*`` § 1.4) states its measurable targets: 30 % to
    self-support, 90 % support and influence, 70 % more ready, 80 % of those in cooperation. The meeting
    (2019-6, 18 November 2019) and the keys of the goals are FICTITIOUS."""
    register_coachingteamet(app)
    decision = _decision(app, "2019-6", date(2019, 11, 18), "Verksamhetsplan 2020")
    individual = (
        Indicator(
            key="egen-forsorjning",
            text=(
                "30 % ska nå egen försörjning genom studier, arbete eller att stå arbetsmarknaden till förfogande "
                "via den Finsamfinansierade insatsen Coachingteamet"
            ),
            target=Decimal(30),
            unit=PERCENT,
            measure=Measure.SELF_SUPPORT,
            followed_up_by="SUS",
        ),
        SUPPORT_2022,
        READY_2022,
    )
    app.adopt_activity_plan(
        KARLSKOGA_DEGERFORS,
        "2020",
        "Verksamhetsplan 2020",
        2020,
        2020,
        (
            Goal(key="1", title="Utveckla samverkanstrukturen", indicators=(COOPERATION_2022,)),
            Goal(
                key="individ",
                title="Resultatmål för individinriktade insatser",
                indicators=individual,
                interventions=(COACHINGTEAMET,),
            ),
        ),
        decision,
    )
    return decision
