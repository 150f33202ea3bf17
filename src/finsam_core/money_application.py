"""Commands and queries for money and membership: allocations, budgets, NNS, annual reports.

A mixin of :class:`finsam_core.application.Finsam`; it uses the application's unit-of-work helpers
(``_get``, ``_has``, ``_stage``) so that every command records all of its events or none.
"""

from __future__ import annotations

__all__ = ["MoneyCommands"]


class MoneyCommands:
    """Filled in by the money-and-membership work (issue 3)."""
