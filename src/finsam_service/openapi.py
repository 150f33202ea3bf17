"""OpenAPI helpers: the problem+json responses a route documents."""

from __future__ import annotations

from typing import Any

from litestar.openapi.datastructures import ResponseSpec

__all__ = ["Problem", "problems"]

import msgspec


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    """An RFC 9457 problem document."""

    status: int
    title: str | None = None
    detail: str | None = None
    type: str | None = None


_DESCRIPTIONS = {
    400: "Malformed input",
    401: "Missing or unknown API token",
    403: "The token's role or förbund does not allow this",
    404: "No such förbund, meeting or paragraph",
    409: "Somebody else recorded a change first (or the record exists)",
    422: "A rule of the law or the charter forbids the change",
    503: "The views have not reached min_position within the wait bound",
}


def problems(*statuses: int) -> dict[int, Any]:
    return {
        status: ResponseSpec(data_container=Problem, description=_DESCRIPTIONS[status], media_type="application/problem+json")
        for status in statuses
    }
