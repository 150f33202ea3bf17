"""Builders for tests, benchmarks and the demo: förbund and meetings from the seed documents.

The figures and names come from ``shared/seeds``. Where a seed does not say something the
software needs (an org nr, a board member's term), the value is marked ``FICTITIOUS``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from finsam_core.application import Finsam
from finsam_core.domain.association import Office
from finsam_core.domain.charter import Charter, KommunShare, SeatAllocation
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.values import Ballot, BoardRole, MemberKind, MemberOrganisation, Ratio

__all__ = [
    "KARLSKOGA_DEGERFORS",
    "KRAMFORS",
    "ORNSKOLDSVIK",
    "STOCKHOLM_SUMMER",
    "events_recorded",
    "record_ornskoldsvik_2024_05_30",
    "register_karlskoga_degerfors",
    "register_kramfors",
    "register_ornskoldsvik",
]

STOCKHOLM_SUMMER = timezone(timedelta(hours=2), "CEST")

KARLSKOGA_DEGERFORS = "222000-2279"
"""Samordningsförbundet Karlskoga/Degerfors Örebro län (`000_*`, `004_*`)."""
ORNSKOLDSVIK = "222000-1883"
"""Samordningsförbundet i Örnsköldsvik: FICTITIOUS org nr (`002_*` does not give one)."""
KRAMFORS = "222000-1586"
"""Samordningsförbundet Kramfors: FICTITIOUS org nr (`003_*` does not give one)."""

TERM_2023 = (date(2023, 1, 1), date(2026, 12, 31))
"""The board term 2023–2026 (four years from 1 January after the 2022 election)."""


def events_recorded(app: Finsam) -> int:
    """How many events the store holds: a refused command must leave this unchanged."""
    return app.recorder.max_notification_id() or 0


def _four(region: tuple[str, str], kommuner: list[tuple[str, str]]) -> tuple[MemberOrganisation, ...]:
    return (
        MemberOrganisation("FK", "Försäkringskassan", MemberKind.FORSAKRINGSKASSAN),
        MemberOrganisation("AF", "Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN),
        MemberOrganisation(region[0], region[1], MemberKind.REGION),
        *(MemberOrganisation(key, name, MemberKind.KOMMUN) for key, name in kommuner),
    )


def register_ornskoldsvik(app: Finsam) -> None:
    """Örnsköldsvik: four members, one ledamot each, default rules (simple majority)."""
    members = _four(("RVN", "Region Västernorrland"), [("ÖK", "Örnsköldsviks kommun")])
    app.register_association(
        ORNSKOLDSVIK,
        "Samordningsförbundet i Örnsköldsvik",
        members,
        Charter(seats=tuple(SeatAllocation(m.key) for m in members)),
        founded_on=date(2008, 1, 1),  # FICTITIOUS
    )
    board = [
        ("Jan-Olov Häggström", "RVN", BoardRole.BOARD_MEMBER),
        ("Mats Helli", "RVN", BoardRole.DEPUTY),
        ("Fredrik Berglund", "AF", BoardRole.BOARD_MEMBER),
        ("Camilla Steen", "FK", BoardRole.BOARD_MEMBER),
        ("Zenitha Nordfjell", "ÖK", BoardRole.BOARD_MEMBER),
    ]
    for person, key, role in board:
        app.appoint(ORNSKOLDSVIK, person, key, role, *TERM_2023)
    app.elect_officer(ORNSKOLDSVIK, "Jan-Olov Häggström", Office.CHAIR, *TERM_2023)


def register_karlskoga_degerfors(app: Finsam) -> None:
    """Karlskoga/Degerfors: five members, 5 ledamöter + 5 ersättare, two-thirds for every decision (`004_*` §2.1)."""
    members = _four(("RÖL", "Region Örebro län"), [("KK", "Karlskoga kommun"), ("DK", "Degerfors kommun")])
    app.register_association(
        KARLSKOGA_DEGERFORS,
        "Samordningsförbundet Karlskoga/Degerfors Örebro län",
        members,
        Charter(
            seats=tuple(SeatAllocation(m.key) for m in members),
            qualified_majority=Ratio(2, 3),
            qualified_for_all=True,
            kommun_key=(KommunShare("DK", Decimal(25)), KommunShare("KK", Decimal(75))),
        ),
        founded_on=date(2006, 1, 1),  # FICTITIOUS
    )
    for index, member in enumerate(members, 1):
        app.appoint(
            KARLSKOGA_DEGERFORS,
            f"Ledamot {index} {member.key}",
            member.key,
            BoardRole.BOARD_MEMBER,
            *TERM_2023,
        )
        app.appoint(
            KARLSKOGA_DEGERFORS,
            f"Ersättare {index} {member.key}",
            member.key,
            BoardRole.DEPUTY,
            *TERM_2023,
        )


def register_kramfors(app: Finsam) -> None:
    """Kramfors: four members, one ledamot and one ersättare each, as the roll call of `003_*` lists them."""
    members = _four(("RVN", "Region Västernorrland"), [("KRK", "Kramfors kommun")])
    app.register_association(
        KRAMFORS,
        "Samordningsförbundet Kramfors",
        members,
        Charter(seats=tuple(SeatAllocation(m.key) for m in members)),
        founded_on=date(2009, 1, 1),  # FICTITIOUS
    )
    for person, key, role in [
        ("Thomas Näsholm", "KRK", BoardRole.BOARD_MEMBER),
        ("Johanna Zidén", "RVN", BoardRole.BOARD_MEMBER),
        ("Stefan Hedenström", "FK", BoardRole.BOARD_MEMBER),
        ("Cecilia Sparf", "AF", BoardRole.BOARD_MEMBER),
        ("Anders Åkerman", "KRK", BoardRole.DEPUTY),
        ("Bengt Sörlin", "RVN", BoardRole.DEPUTY),
        ("Henrik Viberg Forsgren", "FK", BoardRole.DEPUTY),
        ("Fredrik Berglund", "AF", BoardRole.DEPUTY),
    ]:
        app.appoint(KRAMFORS, person, key, role, *TERM_2023)
    app.elect_officer(KRAMFORS, "Thomas Näsholm", Office.CHAIR, *TERM_2023)
    app.elect_officer(KRAMFORS, "Cecilia Sparf", Office.VICE_CHAIR, *TERM_2023)


ORNSKOLDSVIK_RESERVATION = (
    "Initiativet är bra och forskningen är viktig. FK ser dock inte att Finsammedel kan användas för en "
    "doktorandtjänst för följeforskning av metoder på nationell nivå under fem års tid. Det ryms inte inom "
    "parternas ordinarie uppdrag (AF, FK, Kommunen och Regionen). För att finansiering ska kunna ske krävs "
    "A) enligt 2§ att den finansiella samordningen skall avse individer som är i behov av samordnade "
    "rehabiliteringsinsatser och skall syfta till att dessa uppnår eller förbättrar sin förmåga att utföra "
    "förvärvsarbete, och enligt 7§ B) att insatsen ryms inom parternas samlade ansvarsområden. Så är inte "
    "fallet med en doktorandtjänst vid Linköpings Universitet. Förbundet förväntas visserligen enligt "
    "Finsamlagen följa upp de insatser förbundet har pågående eller som avslutats. Det hade utifrån denna "
    "skrivning varit annat om förbundet hade beställt en extern granskning och finansierat en utvärdering av "
    "en redan befintlig insats som förbundet har pågående."
)


def record_ornskoldsvik_2024_05_30(app: Finsam, *, sign: bool = True) -> str:
    """The meeting of 2024-05-30, §§ 37–45 (`002_*`), adjusted and posted; returns its reference."""
    org, ref = ORNSKOLDSVIK, "2024-05-30"
    with app.batch() as tx:
        tx.convene_meeting(
            org,
            ref,
            date(2024, 5, 30),
            "Trolltjärn stadshuset Kronan",
            opens_at=time(8, 30),
            closes_at=time(11, 0),
        )
        tx.record_attendance(
            org,
            ref,
            (
                Attendee("Jan-Olov Häggström", Capacity.BOARD_MEMBER),
                Attendee("Fredrik Berglund", Capacity.BOARD_MEMBER),
                Attendee("Camilla Steen", Capacity.BOARD_MEMBER),
                Attendee("Zenitha Nordfjell", Capacity.BOARD_MEMBER),
                Attendee("Mats Helli", Capacity.DEPUTY),
                Attendee("Emmelie Carlsson", Capacity.OTHER, title="utvecklingsstrateg"),
                Attendee("Pär Eriksson", Capacity.OTHER, title="förbundschef"),
                Attendee("Peter Vigren", Capacity.OTHER, title="NNS", paragraphs=(42,)),
            ),
            chair="Jan-Olov Häggström",
            secretary="Pär Eriksson",
        )
        n = tx.add_paragraph(
            org,
            ref,
            "Sammanträdet öppnas",
            "Ordförande Jan-Olov öppnande sammanträdet med att hälsa alla hjärtligt välkomna.",
            number=37,
        )
        n = tx.add_paragraph(
            org,
            ref,
            "Registrering av närvaro samt beslutande ledamöter",
            "Närvaro och beslutande ledamöter registrerades.",
        )
        n = tx.add_paragraph(
            org,
            ref,
            "Val av justerare",
            "Förbundsstyrelsen har att välja justerare till dagens protokoll.",
        )
        tx.elect_adjusters(org, ref, ("Fredrik Berglund",))
        tx.decide(org, ref, n, ("Fredrik Berglund valdes att jämte ordförande justera dagens protokoll.",))
        n = tx.add_paragraph(org, ref, "Föregående protokoll 2024-04-19", "Styrelseprotokoll 2024-04-19 avhandlades.")
        tx.decide(org, ref, n, ("Att lägga protokollet till handlingarna utan anmärkning.",))
        n = tx.add_paragraph(org, ref, "Informationsärenden")
        tx.note_information(
            org,
            ref,
            n,
            "Ekonomisk rapport. Förbundschef Pär Eriksson lämnade en aktuell ekonomisk rapport.",
        )
        tx.note_information(org, ref, n, "Rapport Finsamkonferensen 16 maj. Årets Finsamkonferens hölls digitalt.")
        tx.note_information(org, ref, n, "Rapport ordförandeträffen tillsammans med riksdagsbanken Västernorrland.")
        tx.note_information(
            org,
            ref,
            n,
            "Rapport Jämställt Örnsköldsvik Fritt Från Våld (JÖFFV). Utvecklingsstrateg Emmelie Carlsson rapporterade.",
        )
        tx.table(
            org,
            ref,
            n,
            "Rapport dialogmöte Arbetsförmedlingen och Örnsköldsviks kommun",
            "Annica Jonsson har anmält förhinder till dagens sammanträde.",
        )
        tx.decide(org, ref, n, ("Att den tagit del av dagens informationsärenden.",))
        n = tx.add_paragraph(
            org,
            ref,
            "Dialog med NNS kontaktperson Peter Vigren",
            "Vi fick besök av Peter Vigren ordförande i Umeåregionens samordningsförbund och styrelseledamot i NNS. "
            "Peter är NNS kontaktperson för vårt förbund nu.",
        )
        n = tx.add_paragraph(
            org,
            ref,
            "Beslut om deltagande i följeforskningsprojekt Innovativ arbetsmarknadsinkludering",
            "Styrelsen satte vid sammanträdet den 16 februari en gräns på 50 000 kronor per år. "
            "Camilla har också meddelat att hon fått svar om Försäkringskassans hållning i frågan och det är att "
            "inte ställa sig bakom beslut om medel till projektet.",
        )
        proposal = "att säga ja till att delta i följeforskningprojektet"
        tx.vote(
            org,
            ref,
            n,
            proposal,
            {
                "Jan-Olov Häggström": Ballot.YES,
                "Fredrik Berglund": Ballot.YES,
                "Zenitha Nordfjell": Ballot.YES,
                "Camilla Steen": Ballot.NO,
            },
        )
        tx.decide(org, ref, n, (proposal,))
        tx.enter_reservation(org, ref, n, "Camilla Steen", ORNSKOLDSVIK_RESERVATION, on_behalf_of="Försäkringskassan")
        n = tx.add_paragraph(
            org,
            ref,
            "Övriga frågor",
            "Eventuella inspel till översynen av behov av ändringar i Finsamlagen. De samordningsförbund som vill "
            "lämna inspel ska göra det till Försäkringskassan senast den 19 juli.",
        )
        tx.decide(
            org,
            ref,
            n,
            (
                "Förbundschefen får i uppdrag att skriva ihop ett förslag till inspel vårt förbund som han stämmer av "
                "mailledes med styrelsen innan den 19 juli.",
            ),
        )
        tx.assign(
            org,
            ref,
            n,
            "Förbundschefen",
            "Skriva ihop ett förslag till inspel om Finsamlagen",
            date(2024, 7, 19),
        )
        tx.add_paragraph(
            org,
            ref,
            "Avslutning",
            "Ordförande Jan-Olov tackade för visat engagemang och avslutade sammanträdet med att önska alla en skön "
            "och härlig sommar.",
        )
        if sign:
            document_hash = "7850D48A86EC644EC503C9EF11913DE377ED968D5543A37FE309511486ACBF26"
            for name, at in [
                ("FREDRIK BERGLUND", time(14, 51)),
                ("Pär Eriksson", time(14, 54)),
                ("JAN OLOV HÄGGSTRÖM", time(15, 0)),
            ]:
                tx.sign_minutes(
                    org,
                    ref,
                    name,
                    datetime.combine(date(2024, 6, 10), at, STOCKHOLM_SUMMER),
                    document_sha256=document_hash,
                )
            tx.post_notice(org, ref, date(2024, 6, 11), "anslag hos respektive medlem")
    return ref


# --- money and membership (issue 3) ---------------------------------------------------------


from finsam_core.domain.budget import BudgetLine, IncomeLine, LineKind  # noqa: E402
from finsam_core.domain.charter import DecisionRef  # noqa: E402

__all__ += [
    "KARLSKOGA_ALLOCATION",
    "KRAMFORS_ALLOCATION",
    "TERM_2019",
    "adjust_minutes",
    "appoint_board",
    "fictitious_org_nr",
    "karlskoga_budget_2022",
    "karlskoga_october_2023",
    "record_board_decision",
    "record_karlskoga_allocation",
    "record_kramfors_allocation",
    "register_fictitious_network",
    "register_nns",
]

TERM_2019 = (date(2019, 1, 1), date(2022, 12, 31))
"""The board term 2019–2022 (four years from 1 January after the 2018 election)."""

KARLSKOGA_ALLOCATION = {"FK": 2_787_000, "RÖL": 1_393_500, "DK": 348_375, "KK": 1_045_125}
"""Allocation 2020 and 2022 of Karlskoga/Degerfors (`004_*` §5.1, `001_*` §1.2.5): 5 574 000 in all."""
KARLSKOGA_KOMMUN_KEY = {"DK": 25, "KK": 75}

KRAMFORS_ALLOCATION = {"FK": 1_293_000, "RVN": 646_500, "KRK": 646_500}
"""Kramfors's allocation of 2 586 000 kr (`003_*`: 2024, the same level as 2023); the split is the statutory one."""


def appoint_board(app: Finsam, org_nr: str, term: tuple[date, date]) -> None:
    """Appoint one FICTITIOUS ledamot per member seat for ``term`` (for years the seeds do not cover)."""
    association = app.association(org_nr)
    for member in association.members_on(term[0]):
        app.appoint(org_nr, f"Ledamot {member.key} {term[0].year}", member.key, BoardRole.BOARD_MEMBER, *term)


def record_board_decision(
    app: Finsam, org_nr: str, reference: str, held_on: date, title: str, clauses: tuple[str, ...]
) -> DecisionRef:
    """Convene a meeting (or reuse it) with every ledamot present and record one decision; returns its reference."""
    association = app.association(org_nr)
    if not any(m.reference == reference for m in association.meetings):
        app.convene_meeting(org_nr, reference, held_on, "Förbundets lokaler")  # FICTITIOUS place
        ledamots = [a for a in association.board_on(held_on) if a.role is BoardRole.BOARD_MEMBER]
        if not ledamots:
            raise ValueError(f"No board on {held_on}: appoint one first (appoint_board).")
        app.record_attendance(
            org_nr,
            reference,
            tuple(Attendee(a.person, Capacity.BOARD_MEMBER) for a in ledamots),
            chair=ledamots[0].person,
            secretary="Förbundschefen",
        )
    number = app.add_paragraph(org_nr, reference, title)
    app.decide(org_nr, reference, number, clauses)
    return DecisionRef(
        body="Förbundsstyrelsen",
        reference=f"{reference} § {number}",
        decided_on=held_on,
        meeting=reference,
        paragraph=number,
    )


def adjust_minutes(app: Finsam, org_nr: str, reference: str, signed_on: date) -> None:
    """Adjust the minutes: elect one attendee other than the chair as adjuster; chair and adjuster sign."""
    meeting = app.meeting(org_nr, reference)
    if meeting.chair is None:
        raise ValueError(f"The minutes {reference} have no chair: record the attendance first.")
    adjuster = next(a.name for a in meeting.attendees if a.name != meeting.chair)
    app.elect_adjusters(org_nr, reference, (adjuster,))
    signed_at = datetime.combine(signed_on, time(12), tzinfo=UTC)
    app.sign_minutes(org_nr, reference, meeting.chair, signed_at)
    if not app.sign_minutes(org_nr, reference, adjuster, signed_at):
        raise AssertionError(f"The minutes {reference} are not final after the chair and the adjuster signed.")


def record_karlskoga_allocation(app: Finsam, year: int) -> None:
    """2 787 000 / 1 393 500 / 348 375 / 1 045 125 (the kommun quarter split 25/75 by the charter's key)."""
    app.record_allocation(
        KARLSKOGA_DEGERFORS,
        year,
        KARLSKOGA_ALLOCATION,
        total=5_574_000,
        recorded_on=date(year - 1, 11, 1),  # FICTITIOUS
    )


def record_kramfors_allocation(app: Finsam, year: int) -> None:
    app.record_allocation(KRAMFORS, year, KRAMFORS_ALLOCATION, total=2_586_000, recorded_on=date(year - 1, 11, 1))


def karlskoga_budget_2022(app: Finsam, adopted_on: date = date(2021, 11, 22)) -> DecisionRef:
    """Budget 2022 (`004_*` §5): 4 407 000 + 602 000 + 989 000 = 5 998 000, result −424 000 from earlier surplus.

    The meeting (``2021-6``, on ``adopted_on``) and its board are FICTITIOUS.
    """
    association = app.association(KARLSKOGA_DEGERFORS)
    if not association.board_on(adopted_on):
        appoint_board(app, KARLSKOGA_DEGERFORS, TERM_2019)
    decision = record_board_decision(
        app,
        KARLSKOGA_DEGERFORS,
        f"{adopted_on.year}-6",
        adopted_on,
        "Budget 2022",
        ("att anta budget för 2022",),
    )
    app.adopt_budget(
        KARLSKOGA_DEGERFORS,
        2022,
        KARLSKOGA_LINES_2022,
        (IncomeLine("Medlemsbidrag", Decimal(5_574_000)),),
        decision,
        total=5_998_000,
        planned_result=-424_000,
        surplus_used=424_000,
    )
    return decision


KARLSKOGA_LINES_2022 = (
    BudgetLine("coaching", "Coachingteamet", Decimal(4_407_000), LineKind.INDIVIDUAL),
    BudgetLine("strukturella", "Strukturella insatser", Decimal(602_000), LineKind.STRUCTURAL),
    BudgetLine("kansli", "Förbundets kostnader inkl. kansli", Decimal(989_000), LineKind.OFFICE),
)

KARLSKOGA_LINES_2023 = (
    # `000_*` gives the year budget (6 088 tkr) but not its lines: the split is FICTITIOUS.
    BudgetLine("coaching", "Coachingteamet", Decimal(4_400_000), LineKind.INDIVIDUAL),
    BudgetLine("strukturella", "Strukturella insatser", Decimal(600_000), LineKind.STRUCTURAL),
    BudgetLine("kansli", "Kansliet", Decimal(1_088_000), LineKind.OFFICE),
)
KARLSKOGA_OUTCOME_OCTOBER_2023 = {
    # Outcome January–October per line, FICTITIOUS except the total 5 418 000 (`000_*` § 51).
    "coaching": Decimal(4_010_667),
    "strukturella": Decimal(405_000),
    "kansli": Decimal(1_002_333),
}


def karlskoga_october_2023(app: Finsam) -> None:
    """The October 2023 report (`000_*` § 51): budget 6 088 tkr with a planned deficit of 528 tkr,
    5 418 tkr used after October, forecasts −500/+50/+50 tkr, equity 1 518 tkr at the start of the year.
    """
    decision = record_board_decision(
        app, KARLSKOGA_DEGERFORS, "2022-6", date(2022, 11, 21), "Budget 2023", ("att anta budget för 2023",)
    )  # FICTITIOUS meeting
    app.adopt_budget(
        KARLSKOGA_DEGERFORS,
        2023,
        KARLSKOGA_LINES_2023,
        (IncomeLine("Medlemsbidrag", Decimal(5_560_000)),),
        decision,
        total=6_088_000,
        planned_result=-528_000,
        surplus_used=528_000,
    )
    app.record_opening_equity(KARLSKOGA_DEGERFORS, 2023, 1_518_000)
    for month in range(1, 11):
        amounts = {}
        for key, total in KARLSKOGA_OUTCOME_OCTOBER_2023.items():
            share = (total / 10).quantize(Decimal(1))
            amounts[key] = share if month < 10 else total - 9 * share
        app.record_outcome(KARLSKOGA_DEGERFORS, 2023, date(2023, month, 1), amounts)
    app.record_forecast(
        KARLSKOGA_DEGERFORS, 2023, {"coaching": -500_000, "strukturella": 50_000, "kansli": 50_000}, date(2023, 11, 20)
    )


def register_nns(app: Finsam) -> None:
    """NNS with its fee policy (`003_*`): 2 per mille up to 2023; 3.5 per mille capped at 30 000 kr from 2024."""
    app.found_network()
    app.set_fee_policy(2004, 2, None, "Serviceavgift före 2024")  # the start year is FICTITIOUS
    app.set_fee_policy(2024, "3.5", 30_000, "NNS medlemsmöte 24 november 2023")


def _luhn_digit(nine: str) -> str:
    total = 0
    for index, char in enumerate(reversed(nine)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def fictitious_org_nr(number: int) -> str:
    """A valid-looking but FICTITIOUS org nr ``9999NN-NNNC`` for förbund number ``number``."""
    digits = f"9999{number // 1000:02d}{number % 1000:03d}"
    return f"{digits[:6]}-{digits[6:]}{_luhn_digit(digits)}"


def register_fictitious_network(
    app: Finsam, *, known: int = 72, members: int = 68, joined_on: date = date(2015, 1, 1)
) -> list[str]:
    """NNS knows ``known`` FICTITIOUS förbund ("Fiktivt förbund 01", ...); the first ``members`` join.

    With the defaults this is the roster of `003_*`: 68 of 72 förbund are members. Returns the org nrs.
    """
    org_nrs = []
    with app.batch() as tx:
        for number in range(1, known + 1):
            org_nr = fictitious_org_nr(number)
            name = f"Fiktivt förbund {number:02d}"
            if number <= members:
                tx.join_network(org_nr, joined_on, name=name)
            else:
                tx.list_in_network(org_nr, name)
            org_nrs.append(org_nr)
    return org_nrs
