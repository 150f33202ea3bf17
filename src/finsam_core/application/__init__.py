"""The finsam application: the commands that record a förbund's board work and money, and its reads.

One eventsourcing Application, :class:`Finsam`, composed of its areas, each a module here:

- :mod:`~finsam_core.application.base`: the store, and running commands in a unit of work;
- :mod:`~finsam_core.application.governance`: förbund, charter, members, board, meetings, minutes;
- :mod:`~finsam_core.application.money`: allocation, budget, annual report and discharge;
- :mod:`~finsam_core.application.network`: NNS membership, fee policy and fees;
- :mod:`~finsam_core.application.participants`: interventions and participant figures;
- :mod:`~finsam_core.application.plans`: verksamhetsplaner and their yearly follow-up;
- :mod:`~finsam_core.application.discharge`: auditors, the audit report, each member's discharge chain;
- :mod:`~finsam_core.application.payments`: decisions' amounts and spending, members' payments;
- :mod:`~finsam_core.application.delegation`: delegation order, delegated and per capsulam decisions.

Each area builds on the one before (money checks decisions in the minutes, the network's fee is
computed from the allocation, the network's participant figures sum the förbunds'). Every command
runs in one :class:`~finsam_core.application.unit_of_work.UnitOfWork` and records all of its
events or none; :meth:`Finsam.run` returns a call's result with the log position it reached, and
:meth:`Finsam.batch` widens a unit to many commands (a whole imported meeting)::

    app = Finsam(store_url="sqlite:///finsam.sqlite")
    record, position = app.run(lambda app: app.vote(org_nr, "2024-3", 12, "att anta planen", ballots), actor=who)
    with app.batch(actor=who) as tx:
        tx.convene_meeting(org_nr, "2024-4", date(2024, 5, 30), "Kansliet")
        tx.add_paragraph(org_nr, "2024-4", "Mötets öppnande")
"""

from __future__ import annotations

from finsam_core.application.base import DEFAULT_SETTINGS, command
from finsam_core.application.delegation import DelegationCommands
from finsam_core.application.discharge import DischargeCommands
from finsam_core.application.governance import GovernanceCommands
from finsam_core.application.money import MoneyCommands
from finsam_core.application.network import NetworkCommands
from finsam_core.application.participants import ParticipantCommands
from finsam_core.application.payments import PaymentCommands
from finsam_core.application.plans import PlanCommands
from finsam_core.application.unit_of_work import UnitOfWork

__all__ = ["DEFAULT_SETTINGS", "Finsam", "UnitOfWork", "command"]


class Finsam(
    DelegationCommands,
    PlanCommands,
    DischargeCommands,
    PaymentCommands,
    ParticipantCommands,
    NetworkCommands,
    MoneyCommands,
    GovernanceCommands,
):
    """Records and reads the board work of any number of förbund in one event store."""

    name = "finsam"
