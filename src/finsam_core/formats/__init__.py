"""The file format for minutes and the rest of a förbund's records, and its importer.

One document per TOML file, its ``kind`` saying what it is (``forbund``, ``sammantrade``, ...).
:func:`load_file` reads and validates a file; :func:`import_paths` records files in a store, all or
nothing per file and idempotently. The reference is ``docs/file-format.md``.
"""

from finsam_core.formats.importer import FileResult, Status, import_file, import_paths
from finsam_core.formats.load import FormatError, LoadedFile, load_file

__all__ = ["FileResult", "FormatError", "LoadedFile", "Status", "import_file", "import_paths", "load_file"]
