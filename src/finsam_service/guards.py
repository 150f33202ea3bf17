"""Who may call a route: one Litestar guard per role, named on the routes that need it.

A guard runs after routing and before the request's body is read or parsed, so a caller without the
right role learns nothing about its body. Every guard answers 401 when the request carries no token
(:class:`~finsam_service.edge.EdgeMiddleware` has already refused an unknown one) and 403 when the
token's role, or its förbund, does not allow the route. Every write route names its guard
(:func:`finsam_service.openapi.write_route`); reads of final records need none, and who reads drafts
is :func:`finsam_service.access.may_read_drafts` (injected as ``drafts``, :mod:`finsam_service.deps`).

Roles (:class:`~finsam_service.access.Role`): ``forbund-writer`` writes for its own förbund,
``network-admin`` keeps NNS's records, ``admin`` may do everything, ``metrics`` reads ``/metrics``.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from finsam_core.values import validate_org_nr
from finsam_service.access import Caller, Role, caller_of

__all__ = ["admin", "forbund_writer", "metrics_reader", "network_writer"]

Connection = ASGIConnection[Any, Any, Any, Any]


def _authenticated(caller: Caller | None, needs: str = "Den här åtgärden kräver en API-nyckel") -> Caller:
    if caller is None:
        raise NotAuthorizedException(f"{needs} (Authorization: Bearer).")
    return caller


async def forbund_writer(connection: Connection, _: BaseRouteHandler) -> None:
    """A writer of the förbund named in the path (``{org_nr}``), or an admin."""
    caller = _authenticated(await caller_of(connection))
    if caller.role is Role.ADMIN:
        return
    org_nr = connection.path_params["org_nr"]
    if caller.role is Role.FORBUND_WRITER and caller.org_nr == validate_org_nr(org_nr):
        return
    raise PermissionDeniedException(f"API-nyckeln får inte registrera något för förbundet {org_nr}.")


async def network_writer(connection: Connection, _: BaseRouteHandler) -> None:
    """A network admin (or an admin): NNS's own records, its fee policy and the förbund's memberships."""
    caller = _authenticated(await caller_of(connection))
    if caller.role not in (Role.NETWORK_ADMIN, Role.ADMIN):
        raise PermissionDeniedException("Bara nätverkets administratör får registrera avgifter och medlemskap i NNS.")


async def admin(connection: Connection, _: BaseRouteHandler) -> None:
    """An admin: registering a förbund."""
    caller = _authenticated(await caller_of(connection))
    if caller.role is not Role.ADMIN:
        raise PermissionDeniedException("Bara en administratör får göra detta.")


async def metrics_reader(connection: Connection, _: BaseRouteHandler) -> None:
    """A ``metrics`` or ``admin`` token: ``/metrics`` (route names and rates are not for everyone)."""
    caller = _authenticated(await caller_of(connection), "Mätvärdena kräver en API-nyckel med rollen metrics")
    if caller.role not in (Role.METRICS, Role.ADMIN):
        raise PermissionDeniedException("Bara en nyckel med rollen metrics eller admin får läsa mätvärdena.")
