"""finsam_core: the records of a samordningsförbund kept as immutable events.

The domain library: values and errors in :mod:`finsam_core.values` and :mod:`finsam_core.errors`, the
law's arithmetic in :mod:`finsam_core.rules`, aggregates in :mod:`finsam_core.domain`, the eventsourcing
application in :mod:`finsam_core.application`.
"""

from finsam_core import topics as _topics  # noqa: F401  (old stored topics resolve from any entry point)

__version__ = "0.1.0"
