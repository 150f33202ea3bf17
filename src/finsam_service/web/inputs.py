"""The pages' query values (``datum``, ``ar``) as the GET forms send them: an empty field is no value."""

from __future__ import annotations

from datetime import date

from finsam_core.errors import InvalidInput

__all__ = ["day_of", "year_of"]


def day_of(text: str | None) -> date | None:
    """The page's ``datum``: an empty field is no date (the form sends one)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"Datumet {text[:20]!r} går inte att läsa; skriv det som 2024-01-26.") from None


def year_of(text: str | None) -> int | None:
    if not text:
        return None
    if not text.isdigit() or len(text) != 4:
        raise InvalidInput(f"Året {text[:20]!r} går inte att läsa; skriv det som 2024.")
    return int(text)
