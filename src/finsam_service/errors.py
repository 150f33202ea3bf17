"""finsam's error tree mapped to HTTP statuses, in one table, rendered as problem+json (RFC 9457)."""

from __future__ import annotations

from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin

from finsam_core.domain.errors import Conflict, FinsamError, InvalidInput, NotFound, RuleViolation

__all__ = ["STATUS_OF", "problem_details_plugin", "status_of"]

STATUS_OF: dict[type[FinsamError], int] = {
    InvalidInput: 400,
    NotFound: 404,
    Conflict: 409,
    RuleViolation: 422,
}
"""The one table: the most specific entry along an error's class hierarchy wins."""


def status_of(exc: FinsamError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 422


def _to_problem(exc: Exception) -> ProblemDetailsException:
    assert isinstance(exc, FinsamError)
    return ProblemDetailsException(
        status_code=status_of(exc),
        title=type(exc).__name__,
        type_=f"urn:finsam:error:{type(exc).__name__}",
        detail=str(exc),
    )


def _too_deep(exc: Exception) -> ProblemDetailsException:
    """msgspec gives up on JSON nested deeper than it recurses (about a thousand levels): the client's fault."""
    return ProblemDetailsException(
        status_code=400,
        title="InvalidInput",
        type_="urn:finsam:error:InvalidInput",
        detail="Begärans JSON är nästlad i för många nivåer; inget fält i finsam är djupare än ett fåtal nivåer.",
    )


def problem_details_plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            enable_for_all_http_exceptions=True,
            exception_to_problem_detail_map={FinsamError: _to_problem, RecursionError: _too_deep},
        )
    )
