"""The NNS reads over the views, for the library: the roster on a date and the fee list of a year.

Each selects and filters the rows the money projection stored (:mod:`~finsam_core.projections.money`)
and assembles the library's own read models from them, so a script with :class:`~.memory.MemoryViews`
or :class:`~.postgres.PostgresViews` gets what :meth:`Finsam.network_roster` and
:meth:`Finsam.fee_list` answer, without loading an aggregate. No rule is computed here: the entries
are the domain's, stored; the list's totals are :func:`~.fee_list.fee_list_of`'s.
"""

from __future__ import annotations

from datetime import date

from finsam_core.domain.network import FeePolicy
from finsam_core.errors import NotFound
from finsam_core.projections.fee_list import FeeEntry, FeeList, fee_entry, fee_list_of
from finsam_core.projections.roster import Roster, RosterEntry
from finsam_core.projections.rows import MembershipRow
from finsam_core.projections.views import Views

__all__ = ["fee_list_from", "roster_from"]


def roster_from(views: Views, as_of: date) -> Roster:
    """Every förbund NNS knows, and whether it is a member on ``as_of``."""
    return Roster(
        as_of=as_of,
        entries=tuple(
            RosterEntry(r.org_nr, r.name, r.member, r.joined_on, r.withdrawal_notice, r.leaves_after)
            for r in views.roster(as_of)
        ),
    )


def fee_list_from(views: Views, year: int) -> FeeList:
    """Every förbund that is a member of NNS during ``year``: allocation, rate, fee, capped."""
    row = views.fee_policy(year)
    if row is None:
        raise NotFound(f"NNS har ingen avgiftsmodell som gäller {year}.")
    policy = FeePolicy(row.effective_year, row.per_mille, row.cap, row.decided_by)
    latest: dict[str, MembershipRow] = {}
    for period in views.memberships(year):  # By org nr and period: the last one wins.
        latest[period.org_nr] = period
    fees = {fee.org_nr: fee for fee in views.fees(year)}
    entries = []
    for org_nr, period in latest.items():
        fee = fees.get(org_nr)
        if fee is None:
            entries.append(fee_entry(org_nr, period.name, None, policy))
        else:
            entries.append(FeeEntry(org_nr, period.name, fee.allocation, fee.per_mille, fee.cap, fee.fee, fee.capped))
    return fee_list_of(year, policy, entries)
