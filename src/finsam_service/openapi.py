"""OpenAPI helpers: the problem+json responses a route documents, and the decorator for write routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Litestar, post
from litestar.enums import ParamType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIResponse, OpenAPIType, Operation, Parameter, Schema
from litestar.types import Guard

from finsam_service.idempotency import MAX_KEY_LENGTH

__all__ = [
    "EDGE_PROBLEMS",
    "IDEMPOTENCY_KEY",
    "WRITE_PROBLEMS",
    "XLSX_MEDIA_TYPE",
    "IdempotentOperation",
    "Problem",
    "TableOperation",
    "document_edge_problems",
    "problems",
    "write_route",
]


class FieldProblem(msgspec.Struct, frozen=True):
    """What is wrong with one field of a request body (a validation 400)."""

    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    """An RFC 9457 problem document: ``title`` the kind, ``detail`` the Swedish sentence, ``instance`` the request."""

    status: int
    title: str | None = None
    detail: str | None = None
    type: str | None = None
    instance: str | None = None
    errors: list[FieldProblem] | None = None


_DESCRIPTIONS = {
    400: "Malformed input",
    401: "Missing or unknown API token",
    403: "The token's role or förbund does not allow this",
    404: "No such förbund, meeting or paragraph",
    409: "Somebody else recorded a change first (or the record exists)",
    422: "A rule of the law or the charter forbids the change",
    413: "The request body is larger than this route accepts",
    429: "Too many requests (or failed authentications) from this token or address; see Retry-After",
    503: "The views have not reached min_position within the wait bound",
}

WRITE_PROBLEMS = (400, 401, 403, 404, 409, 413, 422)
"""The statuses a write route can answer besides its success."""

EDGE_PROBLEMS = (400, 401, 429)
"""What :class:`~finsam_service.edge.EdgeMiddleware` and the rate limits may answer on any route."""

IDEMPOTENCY_KEY = Parameter(
    name="Idempotency-Key",
    param_in=ParamType.HEADER,
    required=False,
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=MAX_KEY_LENGTH),
    description=(
        "Makes a retried POST record once: a retry with the same key and request gets the stored answer "
        "(header Idempotent-Replayed: true); the same key with another request is a 422 (docs/operations.md)."
    ),
)
"""The header ``finsam_service.idempotency`` handles, as documented on every POST."""


def problems(*statuses: int) -> dict[int, Any]:
    """The problem+json responses for ``statuses``, for a route's ``responses``."""
    return {
        status: ResponseSpec(
            data_container=Problem, description=_DESCRIPTIONS[status], media_type="application/problem+json"
        )
        for status in statuses
    }


@dataclass
class IdempotentOperation(Operation):
    """An operation that documents the ``Idempotency-Key`` header.

    The header is read by the ASGI middleware before routing, not by the handler, so it is added to the
    schema here rather than as a handler parameter: Litestar does not parse or validate it a second time.
    """

    def __post_init__(self) -> None:
        self.parameters = [*(self.parameters or []), IDEMPOTENCY_KEY]


@dataclass
class TableOperation(Operation):
    """An export's operation: its 200 is CSV or, with ``format=xlsx``, XLSX (both documented)."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content:
            schema = next(iter(ok.content.values()))
            ok.content = {"text/csv": schema, XLSX_MEDIA_TYPE: schema}


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_route(
    path: str, *, operation_id: str, summary: str, guard: Guard, statuses: tuple[int, ...] = WRITE_PROBLEMS
) -> post:
    """A POST route for the callers ``guard`` lets through (:mod:`finsam_service.guards`): it needs a bearer
    token, documents ``statuses`` as problems and ``Idempotency-Key``."""
    return post(
        path,
        operation_id=operation_id,
        summary=summary,
        security=[{"bearer": []}],
        guards=[guard],
        responses=problems(*statuses),
        operation_class=IdempotentOperation,
    )


def document_edge_problems(app: Litestar) -> None:
    """Document :data:`EDGE_PROBLEMS` (and 413 on writes) on every route of ``app``, before its schema is built."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler) or not handler.include_in_schema:
                continue
            statuses = EDGE_PROBLEMS + ((413,) if handler.http_methods & {"POST", "PUT", "PATCH", "DELETE"} else ())
            handler.responses = {**problems(*statuses), **(handler.responses or {})}
