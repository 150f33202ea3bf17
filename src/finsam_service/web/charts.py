"""Charts as inline SVG, drawn on the server: horizontal bars with an optional reference line.

Hand-written rather than a charting library: the pages need one chart shape (bars against a
benchmark), the SVG must carry an accessible name and must not load scripts or fonts from anywhere,
and forty lines of markup are easier to keep than a dependency with its own styles and JavaScript.
Every chart stands beside a table holding the same figures (the text alternative).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import count

from markupsafe import Markup, escape

__all__ = ["Bar", "bar_chart"]

Bar = tuple[str, Decimal | int | None]
"""A label and its value (``None``: not reported, drawn as no bar)."""

_WIDTH, _LABEL, _VALUE, _ROW = 720, 260, 130, 26
_ids = count(1)


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    label: Callable[[Decimal], str],
    *,
    reference: Decimal | None = None,
    reference_label: str = "",
    scale_max: Decimal | None = None,
) -> Markup:
    """An SVG bar chart named ``title``; ``label`` writes a value; ``reference`` draws a dashed line.

    Without any value to draw the chart is empty markup (the page then shows only its table)."""
    if all(value is None for _, value in bars):
        return Markup("")
    values = [Decimal(v) for _, v in bars if v is not None]
    top = max([*values, reference or Decimal(0), scale_max or Decimal(0), Decimal(1)])
    span = _WIDTH - _LABEL - _VALUE
    height = _ROW * len(bars) + (30 if reference is not None else 10)
    ident = f"diagram-{next(_ids)}"
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{ident}" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}">{escape(title)}</title>',
    ]
    for row, (name, value) in enumerate(bars):
        y = 5 + row * _ROW
        parts.append(f'<text x="{_LABEL - 8}" y="{y + 17}" text-anchor="end">{escape(_short(name))}</text>')
        if value is None:
            parts.append(f'<text x="{_LABEL + 4}" y="{y + 17}">uppgift saknas</text>')
            continue
        width = float(Decimal(value) / top) * span
        parts.append(f'<rect class="bar" x="{_LABEL}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 8}"/>')
        parts.append(f'<text x="{_LABEL + width + 6:.1f}" y="{y + 17}">{escape(label(Decimal(value)))}</text>')
    if reference is not None:
        x = _LABEL + float(reference / top) * span
        bottom = 5 + _ROW * len(bars)
        parts.append(f'<line class="reference" x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{bottom}"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">{escape(reference_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(name: str) -> str:
    """A label that fits its column: the förbund's name without the word every name starts with."""
    name = name.removeprefix("Samordningsförbundet ").removeprefix("i ")
    return name if len(name) <= 32 else name[:31] + "…"
