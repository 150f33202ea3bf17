"""The record of an imported file: which document was recorded, from which bytes.

One aggregate per document identity (the kind and what the document is about, such as a förbund's
org nr and a meeting's reference), holding the SHA-256 of the file that was imported. Importing
the same bytes again records nothing; importing different bytes for the same document is the
importer's decision to allow or refuse (final minutes are changed only by a correction).
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from finsam_core.domain.forbund import FINSAM_NAMESPACE

__all__ = ["ImportedFile", "imported_file_id"]


def imported_file_id(kind: str, identity: str) -> UUID:
    """The identity of the import record of document ``identity`` of ``kind``."""
    return uuid5(FINSAM_NAMESPACE, f"imported-file:{kind}:{identity}")


class ImportedFile(Aggregate):
    """A document recorded by ``finsam import``, with the SHA-256 of its file."""

    @staticmethod
    def create_id(kind: str, identity: str) -> UUID:
        return imported_file_id(kind, identity)

    @event("Imported")
    def __init__(self, kind: str, identity: str, sha256: str, file_name: str) -> None:
        self.kind = kind
        self.identity = identity
        self.sha256 = sha256
        self.file_name = file_name
