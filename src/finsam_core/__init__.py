"""finsam_core: the records of a samordningsförbund kept as immutable events.

The domain library: aggregates in :mod:`finsam_core.domain`, the law's arithmetic in
:mod:`finsam_core.rules`, the eventsourcing applications in :mod:`finsam_core.application`.
"""

__version__ = "0.1.0"
