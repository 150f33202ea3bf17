"""Reading a file of the format: TOML in, a typed document out, or an error a secretary can act on.

Every error names the file, the field (as a path such as ``$.paragraf[3].nummer``), the line where
the format allows finding it, and what was expected.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from datetime import date
from pathlib import Path

import msgspec

from finsam_core.errors import InvalidInput
from finsam_core.formats.delegation_schema import Delegationsordning, PerCapsulam
from finsam_core.formats.discharge_schema import Ansvarsfrihetssteg, Revisorer
from finsam_core.formats.money_schema import Insatser, Nns
from finsam_core.formats.plan_schema import Verksamhetsplan
from finsam_core.formats.schema import Document, Forbund, Sammantrade

__all__ = ["KINDS", "SUPPORTED_KINDS", "FormatError", "LoadedFile", "load_file", "locate_line"]

KINDS = (
    "forbund",
    "sammantrade",
    "tilldelning",
    "budget",
    "nns",
    "revisorer",
    "arsredovisning",
    "insatser",
    "ansvarsfrihet",
    "verksamhetsplan",
    "betalningar",
    "delegationsordning",
    "delegationsbeslut",
    "per_capsulam",
)
"""Every kind the format names, in the order an import records them."""
SUPPORTED_KINDS = KINDS
"""The kinds this version can record."""


class FormatError(InvalidInput):
    """A file does not follow the format, or its content was refused; says where and why."""

    def __init__(self, file: str, message: str, path: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.path = path
        self.line = line
        self.message = message
        where = file + (f", rad {line}" if line else "") + (f", fält {path}" if path else "")
        super().__init__(f"{where}: {message}")


class LoadedFile(msgspec.Struct, frozen=True):
    path: Path
    text: str
    sha256: str
    document: Document

    @property
    def kind(self) -> str:
        return str(type(self.document).__struct_config__.tag)

    @property
    def identity(self) -> str:
        """What the document is about: a förbund's org nr, a meeting, a year's figures, or NNS."""
        doc = self.document
        if isinstance(doc, Forbund):
            return doc.org_nr
        if isinstance(doc, Sammantrade):
            return f"{doc.forbund}/{doc.beteckning}"
        if isinstance(doc, Nns):
            return "NNS"
        if isinstance(doc, Insatser):
            return doc.forbund
        if isinstance(doc, Verksamhetsplan):
            return f"{doc.forbund}/{doc.beteckning}"
        if isinstance(doc, Revisorer):  # one file per term: the förbund and the first day
            return f"{doc.forbund}/{min(r.fran for r in doc.revisor).isoformat()}"
        if isinstance(doc, Ansvarsfrihetssteg):
            return f"{doc.medlem}/{doc.ar}/{doc.steg}/{doc.beteckning}/{doc.datum.isoformat()}"
        if isinstance(doc, Delegationsordning):
            return f"{doc.forbund}/{doc.galler_fran.isoformat()}"
        if isinstance(doc, PerCapsulam):
            return f"{doc.forbund}/{doc.beteckning}"
        return f"{doc.forbund}/{doc.ar}"


# --- locating a field path in the TOML text ---------------------------------------------------

_SEGMENT = re.compile(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]|\[\"((?:[^\"\\]|\\.)*)\"\]|\[`([^`]*)`\]")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")


def _segments(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index, quoted, backtick in _SEGMENT.findall(path.removeprefix("$")):
        out.append(int(index) if index else (name or quoted or backtick))
    return out


def locate_line(text: str, path: str) -> int | None:
    """The 1-based line of the field at ``path`` (``$.paragraf[3].nummer``), found as well as a
    plain reading of the TOML allows; ``None`` if it cannot be placed."""
    lines = text.splitlines()
    segments = _segments(path)
    start, end = 0, len(lines)
    table = ""  # the full name of the table we are inside
    found: int | None = None
    i = 0
    while i < len(segments):
        seg = segments[i]
        if isinstance(seg, int):
            i += 1
            continue
        name = f"{table}.{seg}" if table else seg
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        header_lines = [
            n for n in range(start, end) if (m := _HEADER.match(lines[n])) and m.group(2).replace(" ", "") == name
        ]
        if header_lines:
            pick = header_lines[nxt] if isinstance(nxt, int) and nxt < len(header_lines) else header_lines[0]
            found = pick + 1
            start = pick + 1
            stop = end
            for n in range(start, end):
                m = _HEADER.match(lines[n])
                if m and not m.group(2).replace(" ", "").startswith(name + "."):
                    stop = n
                    break
            end = stop
            table = name
            i += 2 if isinstance(nxt, int) else 1
            continue
        key = re.compile(rf"^\s*\"?{re.escape(seg)}\"?\s*=")
        for n in range(start, end):
            if _HEADER.match(lines[n]):
                break
            if key.match(lines[n]):
                return n + 1
        # The key may sit in an inline table on one line ({ key = ... }).
        inline = re.compile(rf"[{{,]\s*\"?{re.escape(seg)}\"?\s*=")
        for n in range(start, end):
            if inline.search(lines[n]):
                return n + 1
        return found
    return found


# --- translating msgspec's messages -------------------------------------------------------------

_ALLOWED = {
    "kind": ", ".join(KINDS),
    "typ": "forsakringskassan, arbetsformedlingen, region, kommun",
    "roll": "ledamot, ersattare",
    "post": "ordforande, vice_ordforande",
    "som": "ledamot, tjanstgorande_ersattare, ersattare, ovrig",
    "arendetyp": "allmant, val, budget, forbundsordning, bordlaggning",
    "slag": (
        "individuell_insats, strukturell_insats, kansli, styrelse, revision, ovrigt (budgetrad); "
        "individuell, strukturell (insats); auktoriserad, fortroendevald (revisor)"
    ),
    "till": "arbete, subventionerat_arbete, studier, arbetssokande, fortsatt_rehabilitering, vard",
    "finansiering": "finsam, esf, ovrigt",
    "roster": "ja, nej, avstar",
    "matt": (
        "sus_egen_forsorjning, sus_stegforflyttning, indikator_stod_inflytande, indikator_mer_redo, "
        "indikator_samverkan, lokalt"
    ),
    "riktning": "minst, hogst",
    "bedomning": "Mycket väl uppfyllt, Väl uppfyllt, Uppfyllt, Ej uppfyllt",
    "organtyp": "utskott, styrelse, fullmaktige, myndighet",
    "steg": "forslag, beslut",
}

_TYPE_WORDS = {
    "int": "ett heltal",
    "float": 'ett decimaltal (belopp skrivs som heltal eller som text, t.ex. "3.5")',
    "str": "en text inom citattecken",
    "array": "en lista [ ... ]",
    "object": "en tabell",
    "bool": "true eller false",
    "date": "ett datum (ÅÅÅÅ-MM-DD, utan citattecken)",
    "datetime": "en tidpunkt (ÅÅÅÅ-MM-DDTtt:mm:ss, utan citattecken)",
    "time": "ett klockslag (tt:mm:ss, utan citattecken)",
    "null": "inget värde",
}


def _words(types: str) -> str:
    parts = [p.strip() for p in types.split("|")]
    return " eller ".join(_TYPE_WORDS.get(p, p) for p in parts)


def _translate(message: str, path: str) -> str:
    last = next((s for s in reversed(_segments(path)) if isinstance(s, str)), "")
    if m := re.match(r"Expected `(.+?)`, got `(.+?)`", message):
        return f"väntade {_words(m.group(1))}, men fick {_words(m.group(2))}."
    if m := re.match(r"Object missing required field `(.+?)`", message):
        return f"fältet {m.group(1)} saknas och måste anges."
    if m := re.match(r"Object contains unknown field `(.+?)`", message):
        return f"fältet {m.group(1)} finns inte i formatet (stavfel?); se docs/file-format.md."
    if m := re.match(r"Invalid enum value (.+)", message):
        allowed = _ALLOWED.get(last) or _ALLOWED.get(str(_segments(path)[-2]) if len(_segments(path)) > 1 else "", "")
        return f"ogiltigt värde {m.group(1)}" + (f"; tillåtna värden: {allowed}." if allowed else ".")
    if m := re.match(r"Invalid value (.+)", message):
        allowed = _ALLOWED.get(last, "")
        return f"ogiltigt värde {m.group(1)}" + (f"; tillåtna värden: {allowed}." if allowed else ".")
    if m := re.match(r"Expected `str` matching regex `(.+?)`", message):
        return f"värdet har fel form (mönster {m.group(1)})."
    if "matching regex" in message and last == "org_nr":
        return "organisationsnumret ska skrivas NNNNNN-NNNN, till exempel 222000-2279."
    if m := re.match(r"Expected `(.+?)` (>=|<=|of length >=) (\d+)", message):
        return {
            ">=": f"värdet måste vara minst {m.group(3)}.",
            "<=": f"värdet får vara högst {m.group(3)}.",
            "of length >=": f"minst {m.group(3)} behövs (tomt är inte tillåtet).",
        }[m.group(2)]
    return message


# --- loading -----------------------------------------------------------------------------------


def load_file(path: Path) -> LoadedFile:
    """Read, parse and validate one file; raises :class:`FormatError` if it does not follow the format."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(name, f"filen går inte att läsa ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(name, "filen är inte UTF-8; spara den som UTF-8 och försök igen.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)).strip()
        raise FormatError(name, f"filen är inte giltig TOML: {reason}.", line=line) from None
    kind = data.get("kind")
    if kind not in SUPPORTED_KINDS:
        line = locate_line(text, "$.kind")
        if kind is None:
            raise FormatError(name, f"fältet kind saknas; ange ett av: {', '.join(KINDS)}.", "$.kind", line)
        if kind in KINDS:
            raise FormatError(
                name,
                f"slaget {kind!r} kan inte läsas in ännu (stöds nu: {', '.join(SUPPORTED_KINDS)}).",
                "$.kind",
                line,
            )
        raise FormatError(name, f"okänt slag {kind!r}; ange ett av: {', '.join(KINDS)}.", "$.kind", line)
    try:
        document: Document = msgspec.convert(data, Document)
    except msgspec.ValidationError as exc:
        message, _, at = str(exc).partition(" - at `")
        field_path = at.rstrip("`") or "$"
        raise FormatError(name, _translate(message, field_path), field_path, locate_line(text, field_path)) from None
    _check(name, text, document)
    return LoadedFile(path=path, text=text, sha256=hashlib.sha256(raw).hexdigest(), document=document)


def _fail(name: str, text: str, path: str, message: str) -> FormatError:
    return FormatError(name, message, path, locate_line(text, path))


def _check(name: str, text: str, doc: Document) -> None:
    """Rules the types alone cannot say: dates in order, numbers unique, one time per signature."""
    if not isinstance(doc, (Forbund, Sammantrade)):
        return
    if isinstance(doc, Forbund):
        for i, seat in enumerate(doc.styrelse):
            if (seat.fran is None or seat.till is None) and doc.mandatperiod is None:
                raise _fail(
                    name,
                    text,
                    f"$.styrelse[{i}]",
                    f"ange fran och till för {seat.namn}, eller en mandatperiod för hela förbundet.",
                )
        return
    assert isinstance(doc, Sammantrade)
    if doc.justeras is not None and doc.justeras < doc.datum:
        raise _fail(
            name,
            text,
            "$.justeras",
            f"protokollet kan inte justeras {doc.justeras.isoformat()}, före sammanträdet {doc.datum.isoformat()}. "
            "Kontrollera datumen i protokollets huvud (sammanträdesdatum och justering).",
        )
    if doc.borjar and doc.slutar and doc.slutar <= doc.borjar:
        raise _fail(
            name,
            text,
            "$.slutar",
            f"sammanträdet kan inte sluta {doc.slutar:%H:%M}, före eller när det börjar {doc.borjar:%H:%M}.",
        )
    seen: set[int] = set()
    for i, p in enumerate(doc.paragraf):
        if p.nummer in seen:
            raise _fail(
                name,
                text,
                f"$.paragraf[{i}].nummer",
                f"§ {p.nummer} står två gånger; varje paragraf har ett eget nummer.",
            )
        seen.add(p.nummer)
        if p.reservationer and p.omrostning is None:
            raise _fail(
                name,
                text,
                f"$.paragraf[{i}].reservationer",
                f"en reservation i § {p.nummer} förutsätter en omröstning; ange omrostning med varje ledamots röst.",
            )
        if p.omrostning is not None and not p.beslut:
            raise _fail(
                name,
                text,
                f"$.paragraf[{i}].beslut",
                f'§ {p.nummer} har en omröstning men inget beslut; skriv beslutet (beslut = ["att ..."]).',
            )
    for i, s in enumerate(doc.underskrift):
        if (s.tid is None) == (s.datum is None):
            raise _fail(
                name,
                text,
                f"$.underskrift[{i}]",
                f"ange antingen tid (med klockslag) eller datum för {s.namn}s underskrift.",
            )
        day: date = s.tid.date() if s.tid is not None else s.datum  # type: ignore[assignment]
        if day < doc.datum:
            raise _fail(
                name,
                text,
                f"$.underskrift[{i}].{'tid' if s.tid else 'datum'}",
                f"{s.namn} kan inte ha justerat protokollet {day.isoformat()}, "
                f"före sammanträdet {doc.datum.isoformat()}. "
                "Kontrollera datumen.",
            )
