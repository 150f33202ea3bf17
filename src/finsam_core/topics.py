"""The stored names of classes that have moved: old stores name them by their old topics.

Stored events and snapshots name their classes by topic (``module:Class``). When a class or module
moves, its old topic is registered here, so a store written before the move loads and verifies as
before (``tests/core/test_old_store.py`` reads a store written by the code before each move).
"""

from __future__ import annotations

from eventsourcing.utils import register_topic

from finsam_core import values
from finsam_core.domain import forbund, meeting_parts, network

__all__ = ["MOVED"]

#: old topic → where it lives now (a module, or a class when the class itself was renamed).
MOVED: dict[str, object] = {
    # The value objects moved below the domain (issue 10), so rules/ can use them without domain/.
    "finsam_core.domain.values": values,
    # A meeting's parts moved out of the aggregate's module (issue 10), so the minutes can render a
    # meeting without importing the aggregate. Snapshots name these classes by topic.
    **{
        f"finsam_core.domain.meeting:{name}": getattr(meeting_parts, name)
        for name in ("Attendee", "BallotCast", "Capacity", "Paragraph", "Signature", "SignerRole", "VoteRecord")
    },
    # One vocabulary (issue 10): the core said "association" where the users, the URLs and the file
    # format say "förbund". The events that stored ``association_id`` are at class_version 2 with an
    # upcaster (finsam_core.domain.versions); the classes and the module are registered here.
    "finsam_core.domain.association": forbund,
    "finsam_core.domain.association:Association": forbund.Forbund,
    "finsam_core.domain.network:Network.AssociationListed": getattr(network.Network, "ForbundListed"),  # noqa: B009 (made by @event)
}

for _old, _new in MOVED.items():
    register_topic(_old, _new)  # type: ignore[arg-type]
