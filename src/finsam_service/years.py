"""The range of years the service accepts in paths and queries (a year outside it is 400, not 500)."""

from __future__ import annotations

from finsam_core.errors import InvalidInput

__all__ = ["FIRST_YEAR", "LAST_YEAR", "valid_year"]

FIRST_YEAR, LAST_YEAR = 2004, 2200
"""Finsam (2003:1210) took effect in 2004; the network's fee policies accept the same range."""


def valid_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"{year} är inget rimligt år; ange ett år mellan {FIRST_YEAR} och {LAST_YEAR}.")
    return year
