"""``finsam import``: record files of the format in the store, all or nothing per file, idempotently.

Each file is recorded in one :meth:`~finsam_core.application.Finsam.batch`: a file with any error
records nothing. Each imported document leaves an :class:`~finsam_core.domain.imported_file.ImportedFile`
with the SHA-256 of its bytes, in the same atomic write. Importing the same bytes again records
nothing and says so; different bytes for a document already recorded are refused (for adjusted
minutes: a change must be written as a correction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from finsam_core.application import Finsam
from finsam_core.audit.actor import Actor
from finsam_core.domain.charter import Charter, KommunShare, SeatAllocation
from finsam_core.domain.forbund import Office
from finsam_core.domain.meeting import Attendee, BallotCast, Capacity
from finsam_core.errors import FinsamError
from finsam_core.formats.delegation_import import record_delegation
from finsam_core.formats.delegation_schema import Delegationsbeslut, Delegationsordning, PerCapsulam
from finsam_core.formats.discharge_schema import Ansvarsfrihetssteg, Revisorer
from finsam_core.formats.load import KINDS, FormatError, LoadedFile, load_file, locate_line
from finsam_core.formats.money_import import record_money
from finsam_core.formats.money_schema import Insatser, Nns
from finsam_core.formats.plan_import import record_plan
from finsam_core.formats.plan_schema import Verksamhetsplan
from finsam_core.formats.schema import Arendetyp, Document, Forbund, Sammantrade
from finsam_core.rules.spending import AmountPeriod
from finsam_core.values import BoardRole, MajorityBase, MatterKind, MemberKind, MemberOrganisation, Ratio, money

__all__ = ["FileResult", "Status", "collect_paths", "import_file", "import_paths"]

_NOTHING = "Inget från filen registrerades."

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
"""A signature time written without an offset is Swedish local time."""


class Status(StrEnum):
    IMPORTED = "importerad"
    ALREADY = "redan importerad"
    REFUSED = "fel"


@dataclass(frozen=True)
class FileResult:
    path: Path
    status: Status
    summary: str

    @property
    def ok(self) -> bool:
        return self.status is not Status.REFUSED

    def line(self) -> str:
        return f"{self.path}: {self.status.value}: {self.summary}"


def collect_paths(paths: Iterable[Path]) -> list[Path]:
    """The files named, with every ``*.toml`` under the directories named (sorted by name)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.toml") if p.is_file()))
        else:
            out.append(path)
    return out


def import_paths(app: Finsam, paths: Iterable[Path], *, actor: str | None = None) -> list[FileResult]:
    """Import files and directories: a förbund before its meetings, each file on its own.

    Each file's write is recorded as made by an import actor: the file's name and SHA-256, and
    ``actor`` (the person, e.g. ``finsam import --actor``) or the operating-system user.
    """
    loaded: list[LoadedFile | FileResult] = []
    for path in collect_paths(paths):
        try:
            loaded.append(load_file(path))
        except FormatError as exc:
            loaded.append(FileResult(path, Status.REFUSED, f"{exc} {_NOTHING}"))

    def order(index: int) -> int:
        item = loaded[index]
        return KINDS.index(item.kind) if isinstance(item, LoadedFile) else len(KINDS)

    results: dict[int, FileResult] = {}
    for index in sorted(range(len(loaded)), key=order):  # stable: the given order within a kind
        item = loaded[index]
        results[index] = item if isinstance(item, FileResult) else import_loaded(app, item, actor=actor)
    return [results[index] for index in range(len(loaded))]


def import_file(app: Finsam, path: Path, *, actor: str | None = None) -> FileResult:
    try:
        loaded = load_file(path)
    except FormatError as exc:
        return FileResult(path, Status.REFUSED, f"{exc} {_NOTHING}")
    return import_loaded(app, loaded, actor=actor)


def import_loaded(app: Finsam, loaded: LoadedFile, *, actor: str | None = None) -> FileResult:
    """Record one loaded document, or nothing; never raises a :class:`FinsamError`.

    The write is recorded as made by the file (name and SHA-256) and ``actor`` or the OS user.
    """
    doc = loaded.document
    try:
        record = app.imported_file(loaded.kind, loaded.identity)
        if record is not None:
            if record.sha256 == loaded.sha256:
                return FileResult(
                    loaded.path, Status.ALREADY, f"{_describe(doc)} finns redan; inget nytt registrerades."
                )
            raise FormatError(str(loaded.path), _changed_message(app, doc, record.file_name))
        made_by = Actor.file_import(file_name=loaded.path.name, file_sha256=loaded.sha256, user=actor)
        with app.batch(actor=made_by) as tx:
            recorder = _Recorder(tx, loaded)
            recorder.record()
            tx.record_imported_file(loaded.kind, loaded.identity, loaded.sha256, loaded.path.name)
            summary = recorder.summary()
    except FinsamError as exc:
        message = str(exc) if isinstance(exc, FormatError) else f"{loaded.path}: {exc}"
        return FileResult(loaded.path, Status.REFUSED, f"{message} {_NOTHING}")
    return FileResult(loaded.path, Status.IMPORTED, summary)


def _describe(doc: Document) -> str:
    if isinstance(doc, Forbund):
        return f"förbundet {doc.namn} ({doc.org_nr})"
    if isinstance(doc, Sammantrade):
        return f"sammanträdet {doc.beteckning} för {doc.forbund}"
    if isinstance(doc, Nns):
        return "nätverket NNS"
    if isinstance(doc, Insatser):
        return f"insatserna för {doc.forbund}"
    if isinstance(doc, Verksamhetsplan):
        return f"verksamhetsplanen {doc.beteckning} för {doc.forbund}"
    if isinstance(doc, Revisorer):
        return f"revisorerna för {doc.forbund}"
    if isinstance(doc, Ansvarsfrihetssteg):
        step = "förslag" if doc.steg == "forslag" else "beslut"
        return f"{doc.medlem}s {step} {doc.beteckning} om ansvarsfrihet {doc.ar}"
    if isinstance(doc, Delegationsordning):
        return f"delegationsordningen från {doc.galler_fran.isoformat()} för {doc.forbund}"
    if isinstance(doc, PerCapsulam):
        return f"beslutet per capsulam {doc.beteckning} för {doc.forbund}"
    words = {
        "tilldelning": "tilldelningen",
        "budget": "budgeten",
        "arsredovisning": "årsredovisningen",
        "betalningar": "medlemmarnas inbetalningar",
        "delegationsbeslut": "delegationsbesluten",
    }
    kind = str(type(doc).__struct_config__.tag)
    return f"{words[kind]} {doc.ar} för {doc.forbund}"


def _changed_message(app: Finsam, doc: Document, earlier: str) -> str:
    if isinstance(doc, Sammantrade):
        meeting = app.meeting(doc.forbund, doc.beteckning)
        if meeting.is_final:
            return (
                f"protokollet från sammanträdet {doc.beteckning} är justerat och importerades redan från en "
                f"annan version av filen ({earlier}). Ett justerat protokoll ändras inte: en ändring måste "
                "skrivas som en rättelse (a correction must be written as a correction)."
            )
        return (
            f"sammanträdet {doc.beteckning} importerades redan från en annan version av filen ({earlier}); "
            "ett registrerat utkast ersätts inte genom import. Gör ändringen i finsam."
        )
    if isinstance(doc, Forbund):
        return (
            f"förbundet {doc.org_nr} importerades redan från en annan version av filen ({earlier}); "
            "ändringar i förbundsordning, medlemmar och styrelse registreras som egna beslut, inte genom ny import."
        )
    return (
        f"{_describe(doc)} importerades redan från en annan version av filen ({earlier}); en ändring "
        "registreras som en egen handling (en revidering, ett nytt beslut), inte genom att filen läses in igen."
    )


_MATTER = {
    Arendetyp.ALLMANT: MatterKind.GENERAL,
    Arendetyp.VAL: MatterKind.ELECTION,
    Arendetyp.BUDGET: MatterKind.BUDGET,
    Arendetyp.FORBUNDSORDNING: MatterKind.CHARTER,
    Arendetyp.BORDLAGGNING: MatterKind.TABLING,
}
_MATTER_BY_WORD = {k.value: v for k, v in _MATTER.items()}


def _ratio(text: str) -> Ratio:
    numerator, denominator = text.split("/")
    return Ratio(int(numerator), int(denominator))


class _Recorder:
    """Turns one document into commands; remembers where it is so refusals can say so."""

    def __init__(self, app: Finsam, loaded: LoadedFile) -> None:
        self.app = app
        self.loaded = loaded
        self.money_summary: str | None = None

    def _at(self, path: str, label: str = "") -> _Context:
        return _Context(self, path, label)

    def record(self) -> None:
        doc = self.loaded.document
        if isinstance(doc, Forbund):
            self._forbund(doc)
        elif isinstance(doc, Sammantrade):
            self._sammantrade(doc)
        elif isinstance(doc, Verksamhetsplan):
            self.money_summary = record_plan(self.app, doc, self._at)
        elif isinstance(doc, (Delegationsordning, Delegationsbeslut, PerCapsulam)):
            self.money_summary = record_delegation(self.app, doc, self._at)
        else:
            self.money_summary = record_money(self.app, doc, self._at)

    def summary(self) -> str:
        doc = self.loaded.document
        if self.money_summary is not None:
            return self.money_summary
        if isinstance(doc, Forbund):
            return (
                f"registrerade {_describe(doc)} med {len(doc.medlem)} medlemmar och "
                f"{len(doc.styrelse)} förordnanden i styrelsen."
            )
        assert isinstance(doc, Sammantrade)
        meeting = self.app.meeting(doc.forbund, doc.beteckning)
        numbers = sorted(meeting.paragraphs)
        span = (
            f"§§ {numbers[0]}–{numbers[-1]}"
            if len(numbers) > 1
            else (f"§ {numbers[0]}" if numbers else "inga paragrafer")
        )
        state = "justerat" if meeting.is_final else "ej justerat"
        return f"registrerade {_describe(doc)} ({doc.datum.isoformat()}, {span}, {state})."

    # --- förbund ---------------------------------------------------------------------------

    def _forbund(self, doc: Forbund) -> None:
        app = self.app
        members = tuple(MemberOrganisation(m.kortnamn, m.namn, MemberKind(m.typ.value)) for m in doc.medlem)
        o = doc.forbundsordning
        seats = tuple(SeatAllocation(p.medlem, p.ledamoter, p.ersattare) for p in o.platser) or tuple(
            SeatAllocation(m.key) for m in members
        )
        with self._at("$.forbundsordning"):
            charter = Charter(
                seats=seats,
                quorum_more_than=_ratio(o.beslutsfor_mer_an),
                qualified_majority=_ratio(o.kvalificerad_majoritet) if o.kvalificerad_majoritet else None,
                qualified_for_all=o.kvalificerad_for_alla,
                qualified_matters=tuple(_MATTER_BY_WORD[w] for w in o.kvalificerad_for),
                qualified_base=MajorityBase(o.kvalificerad_bas),
                chair_casting_vote=o.ordforande_utslagsrost,
                term_start_month=o.mandatperiod_startmanad,
                term_start_day=o.mandatperiod_startdag,
                term_years=o.mandatperiod_ar,
                member_notice_years=o.uppsagningstid_ar,
                kommun_key=tuple(KommunShare(key, money(weight)) for key, weight in o.kommunnyckel.items()),
                per_capsulam=o.per_capsulam,
            )
        with self._at("$"):
            if app.is_registered(doc.org_nr):
                raise FinsamError(f"förbundet {doc.org_nr} finns redan i registret men inte från en importerad fil.")
            app.register_forbund(doc.org_nr, doc.namn, members, charter, founded_on=doc.bildat)
        for i, s in enumerate(doc.styrelse):
            with self._at(f"$.styrelse[{i}]", s.namn):
                term_from, term_to = self._term(doc, s.fran, s.till)
                role = BoardRole.BOARD_MEMBER if s.roll.value == "ledamot" else BoardRole.DEPUTY
                app.appoint(doc.org_nr, s.namn, s.medlem, role, term_from, term_to)
        for i, p in enumerate(doc.presidium):
            with self._at(f"$.presidium[{i}]", p.namn):
                term_from, term_to = self._term(doc, p.fran, p.till)
                app.elect_officer(doc.org_nr, p.namn, Office(p.post.value), term_from, term_to)

    @staticmethod
    def _term(doc: Forbund, fran: date | None, till: date | None) -> tuple[date, date]:
        period = doc.mandatperiod
        start = fran or (period.fran if period else None)
        end = till or (period.till if period else None)
        assert start is not None and end is not None  # checked when the file was loaded
        return start, end

    # --- sammanträde -----------------------------------------------------------------------

    def _sammantrade(self, doc: Sammantrade) -> None:
        app, org, ref = self.app, doc.forbund, doc.beteckning
        with self._at("$"):
            app.forbund(org)
            if app.has_meeting(org, ref):
                raise FinsamError(f"sammanträdet {ref} finns redan i registret men inte från en importerad fil.")
            app.convene_meeting(
                org, ref, doc.datum, doc.plats, opens_at=doc.borjar, closes_at=doc.slutar, agenda=tuple(doc.dagordning)
            )
        with self._at("$.narvaro"):
            attendees = tuple(
                Attendee(
                    name=a.namn,
                    capacity=Capacity(a.som.value),
                    member_key=a.medlem,
                    stands_in_for=a.ersatter,
                    title=a.titel,
                    paragraphs=tuple(a.paragrafer),
                )
                for a in doc.narvaro
            )
            app.record_attendance(org, ref, attendees, chair=doc.ordforande, secretary=doc.sekreterare)
        if doc.justerare:
            with self._at("$.justerare"):
                app.elect_adjusters(org, ref, tuple(doc.justerare))
        for i, p in enumerate(doc.paragraf):
            base = f"$.paragraf[{i}]"
            label = f"§ {p.nummer}"
            with self._at(f"{base}.nummer", label):
                app.add_paragraph(org, ref, p.rubrik, p.text, number=p.nummer)
            for j, name in enumerate(p.jav):
                with self._at(f"{base}.jav[{j}]", label):
                    app.declare_conflict(org, ref, p.nummer, name)
            for j, text in enumerate(p.information):
                with self._at(f"{base}.information[{j}]", label):
                    app.note_information(org, ref, p.nummer, text)
            for j, h in enumerate(p.handlingar):
                with self._at(f"{base}.handlingar[{j}]", label):
                    app.receive_document(org, ref, p.nummer, h.diarienummer, h.avsandare, h.rubrik, h.inkom)
            for j, b in enumerate(p.bordlagt):
                with self._at(f"{base}.bordlagt[{j}]", label):
                    app.table(org, ref, p.nummer, b.arende, b.skal, b.till_sammantrade)
            if p.omrostning is not None:
                v = p.omrostning
                with self._at(f"{base}.omrostning", label):
                    ballots = tuple(BallotCast(name=n, ballot=b) for n, b in v.roster.items())
                    app.vote(org, ref, p.nummer, v.forslag, ballots, _MATTER[v.arendetyp])
            if p.beslut:
                with self._at(f"{base}.beslut", label):
                    app.decide(org, ref, p.nummer, tuple(p.beslut), _MATTER[p.arendetyp])
            if p.belopp is not None:
                with self._at(f"{base}.belopp", label):
                    app.attach_decision_amount(org, ref, p.nummer, p.belopp, AmountPeriod(p.beloppsperiod))
            for j, r in enumerate(p.reservationer):
                with self._at(f"{base}.reservationer[{j}]", label):
                    app.enter_reservation(org, ref, p.nummer, r.namn, r.motivering, r.for_rakning)
            for j, u in enumerate(p.uppdrag):
                with self._at(f"{base}.uppdrag[{j}]", label):
                    app.assign(org, ref, p.nummer, u.till, u.uppgift, u.senast)
        for i, s in enumerate(doc.underskrift):
            with self._at(f"$.underskrift[{i}]", s.namn):
                app.sign_minutes(org, ref, s.namn, _signed_at(s.tid, s.datum), document_sha256=s.dokument_sha256)
        if doc.anslag is not None:
            with self._at("$.anslag.uppsatt"):
                app.post_notice(org, ref, doc.anslag.uppsatt, doc.anslag.plats)
            if doc.anslag.nedtaget is not None:
                with self._at("$.anslag.nedtaget"):
                    app.take_down_notice(org, ref, doc.anslag.nedtaget)


def _signed_at(tid: datetime | None, datum: date | None) -> datetime:
    if tid is not None:
        return tid if tid.tzinfo is not None else tid.replace(tzinfo=SWEDISH_TIME)
    assert datum is not None
    return datetime.combine(datum, time(0, 0), SWEDISH_TIME)


class _Context:
    """Turns a domain refusal inside the block into a :class:`FormatError` naming file, field and line."""

    def __init__(self, recorder: _Recorder, path: str, label: str) -> None:
        self.recorder = recorder
        self.path = path
        self.label = label

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, FinsamError) and not isinstance(exc, FormatError):
            loaded = self.recorder.loaded
            prefix = f"{self.label}: " if self.label else ""
            raise FormatError(
                str(loaded.path), f"{prefix}{exc}", self.path, locate_line(loaded.text, self.path)
            ) from exc
