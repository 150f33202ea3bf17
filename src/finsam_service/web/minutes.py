"""The minutes' text (as the view keeps it, in the layout of the source documents) in blocks for the page.

Layout only: the text is the domain's rendering (:func:`finsam_core.domain.minutes.render_minutes`); this splits it at
blank lines and names the blocks that are headings (the title, each §, the signatures, the anslag
certificate), so the page shows the same document with headings a screen reader can jump between.
"""

from __future__ import annotations

import re

import msgspec

__all__ = ["Block", "minutes_blocks"]

_PARAGRAPH = re.compile(r"^§ \d+")
_SECTIONS = frozenset({"Signering", "BEVIS", "Förbundsstyrelsens beslut"})


class Block(msgspec.Struct, frozen=True):
    kind: str
    """``title``, ``paragraph`` (a § heading), ``section`` (a heading within), ``list`` or ``text``."""
    lines: tuple[str, ...]


def minutes_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = tuple(chunk.splitlines())
        first = lines[0]
        if not blocks and first == "PROTOKOLL":
            blocks.append(Block("title", lines))
        elif len(lines) == 1 and _PARAGRAPH.match(first):
            blocks.append(Block("paragraph", lines))
        elif first in _SECTIONS:
            blocks.append(Block("section", (first,)))
            if lines[1:]:
                blocks.append(Block("text", lines[1:]))
        elif all(line.startswith("- ") for line in lines):
            blocks.append(Block("list", tuple(line[2:] for line in lines)))
        else:
            blocks.append(Block("text", lines))
    return blocks
