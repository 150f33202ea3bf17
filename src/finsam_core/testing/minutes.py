"""The Örnsköldsvik minutes of 2024-05-30 (`002_*`), paragraph by paragraph, as the seed records them."""

from __future__ import annotations

from datetime import date, datetime, time

from finsam_core.application import Finsam
from finsam_core.domain.meeting import Attendee, Capacity
from finsam_core.rules.spending import AmountPeriod
from finsam_core.testing.governance import ORNSKOLDSVIK, STOCKHOLM_SUMMER
from finsam_core.values import Ballot

__all__ = ["ORNSKOLDSVIK_RESERVATION", "record_ornskoldsvik_2024_05_30"]


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


def record_ornskoldsvik_2024_05_30(app: Finsam, *, sign: bool = True, amount: bool = False) -> str:
    """The meeting of 2024-05-30, §§ 37–45 (`002_*`), adjusted and posted; returns its reference.

    ``amount``: § 43 carries its cap of 50 000 kr a year, as the seed file does (off by default: the
    tests that count this meeting's events were written before decisions carried amounts)."""
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
        if amount:  # "en gräns på 50 000 kronor per år"
            tx.attach_decision_amount(org, ref, n, 50_000, AmountPeriod.YEAR)
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
