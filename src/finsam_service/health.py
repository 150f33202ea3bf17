"""Liveness and readiness.

``/ready`` answers 503 when the database does not answer or the views lag too far behind. Failed
positions (events the views could not apply, :mod:`finsam_core.projections.failures`) do not
make it fail: every service process shares the one database, so a 503 for them would take every
process out of the load balancer for one förbund's bad event. It answers 200 with
``status: "degraded"`` and their number instead; ``finsam-serve project --list-failed`` shows them.
"""

from __future__ import annotations

import anyio
import anyio.to_thread
import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException

from finsam_service.lifespan import Services, count_failed_positions, projected_position
from finsam_service.openapi import problems
from finsam_service.replica import replica_lag_bytes

__all__ = ["HealthController"]


class Health(msgspec.Struct, frozen=True):
    status: str


class Readiness(msgspec.Struct, frozen=True, omit_defaults=True):
    """``projected_position`` and ``lag`` are those of the views that reads see (the replica's, with one).

    ``replica_lag_bytes``: bytes of the primary's WAL the read replica has not replayed yet; absent without one.
    """

    status: str
    """``ready``, or ``degraded`` when some events could not be applied to the views."""
    log_position: int
    projected_position: int
    lag: int
    failed_positions: int
    """How many events the views could not apply (``finsam-serve project --list-failed``)."""
    replica_lag_bytes: int | None = None


class HealthController(Controller):
    tags = ("drift",)

    @get("/health", operation_id="Health", summary="The process is up")
    async def health(self) -> Health:
        return Health("ok")

    @get(
        "/ready",
        operation_id="Ready",
        summary="Database reachable and views not too far behind; degraded when events could not be applied",
        responses=problems(503),
    )
    async def ready(self, services: NamedDependency[Services]) -> Readiness:
        bound = services.settings.ready_timeout_seconds
        try:
            with anyio.fail_after(bound):
                last_id: int | None = await anyio.to_thread.run_sync(
                    services.app.recorder.max_notification_id, abandon_on_cancel=True
                )
                log_position = last_id or 0
                projected = await projected_position(services.read_pool)
                failed = await count_failed_positions(services.pool, "records")
                replica_lag = None
                if services.reads_from_replica:
                    replica_lag = await replica_lag_bytes(services.pool, services.read_pool)
        except TimeoutError as exc:
            raise ServiceUnavailableException(
                f"Databasen svarade inte inom {bound:g} s.", headers={"Retry-After": "5"}
            ) from exc
        except Exception as exc:
            raise ServiceUnavailableException(
                f"Databasen svarar inte: {type(exc).__name__}", headers={"Retry-After": "5"}
            ) from exc
        lag = log_position - projected
        if lag > services.settings.ready_max_lag:
            raise ServiceUnavailableException(f"Vyerna ligger {lag} händelser efter.")
        return Readiness("degraded" if failed else "ready", log_position, projected, lag, failed, replica_lag)
