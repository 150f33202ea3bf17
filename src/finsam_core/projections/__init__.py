"""Every read model of finsam, and the projections that keep them from the event log.

In the shape of eventsourcing's ``examples/ftsprojection``: the projections compute rows from the
domain's aggregates and rules and hand them to a views interface; implementations store them; a
follower applies the log in batches.

- :mod:`.views` — the interface (:class:`~.views.Views`, :class:`~.views.Projection`); :mod:`.rows`
  — the rows, one shape per read model.
- :mod:`.records`, :mod:`.money` — the projections: förbund, meetings, decisions, open assignments;
  NNS roster, memberships, fee policies and fees, allocations, budget status, annual reports,
  participant figures; :mod:`.drafts` marks what derives from minutes still in draft.
- :mod:`.postgres` (+ :mod:`.postgres_reads`, :mod:`.postgres_schema`) — the views in PostgreSQL,
  which the service reads; :mod:`.memory` — the same views in memory, with :func:`~.memory.follow`;
  :mod:`.network` — the roster and the fee list read from either.
- :mod:`.follower` — the batched PostgreSQL worker the service runs (``finsam-serve project``), with
  :mod:`.failures` (failed positions), :mod:`.batch` (aggregates rebuilt from a batch's events),
  :mod:`.view_text` (text PostgreSQL cannot hold) and :mod:`.topics` (an event's class from its topic).
- :mod:`.budget_status`, :mod:`.discharge_status`, :mod:`.fee_list`, :mod:`.roster`,
  :mod:`.registers`, :mod:`.participant_figures` — the domain's read computations, used by the
  projections and by the application's own queries alike.

Nothing here imports the service, Litestar or asyncio.
"""
