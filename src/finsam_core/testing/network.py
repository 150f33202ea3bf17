"""NNS, the national network, with its fee policies and a roster of FICTITIOUS förbund."""

from __future__ import annotations

from datetime import date

from finsam_core.application import Finsam
from finsam_core.values import org_nr_check_digit, validate_org_nr

__all__ = ["fictitious_org_nr", "register_fictitious_network", "register_nns"]


def register_nns(app: Finsam) -> None:
    """NNS with its fee policy (`003_*`): 2 per mille up to 2023; 3.5 per mille capped at 30 000 kr from 2024."""
    app.found_network()
    app.set_fee_policy(2004, 2, None, "Serviceavgift före 2024")  # the start year is FICTITIOUS
    app.set_fee_policy(2024, "3.5", 30_000, "NNS medlemsmöte 24 november 2023")


def fictitious_org_nr(number: int) -> str:
    """A valid-looking but FICTITIOUS org nr ``9999NN-NNNC`` for förbund number ``number``."""
    digits = f"9999{number // 1000:02d}{number % 1000:03d}"
    return validate_org_nr(f"{digits[:6]}-{digits[6:]}{org_nr_check_digit(digits)}")


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
