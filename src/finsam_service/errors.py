"""finsam's error tree mapped to HTTP statuses, in one table, rendered as problem+json (RFC 9457).

Every problem has one shape: ``type`` (``urn:finsam:error:<Kind>``), ``title`` (the kind), ``detail``
(a Swedish sentence a secretary can act on) and ``status``. Litestar's own exceptions (a guard's
401, a validation 400, a rate limit's 429) are brought to the same shape here; a validation 400
names each field and says in Swedish what is wrong with it (``errors``).
"""

from __future__ import annotations

import re
import time
from http import HTTPStatus
from typing import Any

import asyncpg
import eventsourcing.persistence
import psycopg
import structlog
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin

from finsam_core.errors import Conflict, FinsamError, InvalidInput, NotFound, RuleViolation, StoreUnavailable
from finsam_core.limits import LINE_PATTERN, TEXT_PATTERN

__all__ = ["STATUS_OF", "problem_details_plugin", "request_instance", "status_of"]

STATUS_OF: dict[type[FinsamError], int] = {
    InvalidInput: 400,
    NotFound: 404,
    Conflict: 409,
    RuleViolation: 422,
    StoreUnavailable: 503,
}
"""The one table: the most specific entry along an error's class hierarchy wins."""


def request_instance() -> str | None:
    """The problem's ``instance``: the request id (``X-Request-ID``) that the logs carry too."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    return f"urn:finsam:request:{request_id}" if request_id else None


def status_of(exc: FinsamError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 422


WRITE_RETRY_AFTER_SECONDS = 1
"""What a write refused at its bound (StoreUnavailable) asks the client to wait: it may well pass a moment later."""


def _to_problem(exc: Exception) -> ProblemDetailsException:
    assert isinstance(exc, FinsamError)
    status = status_of(exc)
    return ProblemDetailsException(
        instance=request_instance(),
        status_code=status,
        title=type(exc).__name__,
        type_=f"urn:finsam:error:{type(exc).__name__}",
        detail=str(exc),
        headers={"Retry-After": str(WRITE_RETRY_AFTER_SECONDS)} if status == 503 else None,
    )


def _too_deep(exc: Exception) -> ProblemDetailsException:
    """msgspec gives up on JSON nested deeper than it recurses (about a thousand levels): the client's fault."""
    return ProblemDetailsException(
        instance=request_instance(),
        status_code=400,
        title="InvalidInput",
        type_="urn:finsam:error:InvalidInput",
        detail="Begärans JSON är nästlad i för många nivåer; inget fält i finsam är djupare än ett fåtal nivåer.",
    )


_KINDS = {
    400: "InvalidInput",
    401: "NotAuthorized",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "RequestTooLarge",
    422: "RuleViolation",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
}
_DEFAULT_DETAILS = {
    400: "Begäran har fel form.",
    401: "Den här åtgärden kräver en giltig API-nyckel (Authorization: Bearer).",
    403: "API-nyckeln får inte göra detta.",
    404: "Det finns ingen sådan adress i finsam.",
    405: "Adressen tar inte emot den metoden.",
    413: "Begäran är för stor.",
    429: "För många förfrågningar; vänta en stund och försök igen.",
    500: "Ett oväntat fel inträffade i finsam; felet är loggat.",
    503: "Tjänsten är inte tillgänglig just nu; försök igen om en stund.",
}


def _field_message(message: str) -> str:
    """msgspec's English validation message as a Swedish phrase about the field."""
    if match := re.match(r"Expected `str` matching regex '(.*)'", message):
        pattern = match.group(1).replace("\\\\", "\\")
        if pattern in (LINE_PATTERN, TEXT_PATTERN):
            return "innehåller ett styrtecken (till exempel NUL eller en radbrytning i en rad), som inte är tillåtet"
        return f"har fel form (ska följa mönstret {pattern})"
    if match := re.match(r"Expected `str` of length <= (\d+)", message):
        return f"är för långt (högst {match.group(1)} tecken)"
    if match := re.match(r"Expected `(array|object)` of length <= (\d+)", message):
        return f"har för många poster (högst {match.group(2)})"
    if match := re.match(r"Expected `int` (<=|>=|<|>) (-?\d+)", message):
        return f"ska vara ett heltal {match.group(1)} {match.group(2)}"
    if match := re.match(r"Object missing required field `(.+?)`", message):
        return f"saknar fältet {match.group(1)}"
    if match := re.match(r"Object contains unknown field `(.+?)`", message):
        return f"har ett okänt fält, {match.group(1)}"
    if match := re.match(r"Expected `(.+?)`, got `(.+?)`", message):
        return f"har fel typ (väntade {match.group(1)}, fick {match.group(2)})"
    if message.startswith("Invalid enum value"):
        return f"har ett värde som inte finns bland de tillåtna ({message.removeprefix('Invalid enum value ')})"
    if message.startswith("Invalid RFC3339"):
        return "är inget giltigt datum eller klockslag (skriv ÅÅÅÅ-MM-DD)"
    return message.split(" - at `")[0]


def _validation_errors(extra: Any) -> list[dict[str, str]]:
    if not isinstance(extra, list):
        return []
    errors = []
    for item in extra:
        if not isinstance(item, dict):
            continue
        message = _field_message(str(item.get("message", ""))).rstrip(".")
        if message.startswith("Fältet "):  # our own sentence (a bounded amount): part of the one below
            message = "f" + message[1:]
        errors.append({"field": str(item.get("key", "")), "message": message})
    return errors


def _http_problem(exc: Exception) -> ProblemDetailsException:
    """Litestar's HTTP exceptions in finsam's problem shape, with the Swedish sentence in ``detail``."""
    assert isinstance(exc, HTTPException)
    if isinstance(exc, ProblemDetailsException):
        return exc
    status = exc.status_code
    kind = _KINDS.get(status) or HTTPStatus(status).phrase.replace(" ", "")
    detail = exc.detail
    extra: dict[str, Any] | None = None
    if isinstance(exc, ValidationException) and (errors := _validation_errors(exc.extra)):
        extra = {"errors": errors}
        detail = (
            "Begäran har fel form: "
            + "; ".join(
                f"fältet {e['field']} {e['message']}" if e["field"] not in ("", "data") else e["message"]
                for e in errors
            )
            + "."
        )
    elif not detail or detail == HTTPStatus(status).phrase or detail.startswith("Validation failed for"):
        detail = _DEFAULT_DETAILS.get(status, HTTPStatus(status).phrase)
    return ProblemDetailsException(
        instance=request_instance(),
        status_code=status,
        title=kind,
        type_=f"urn:finsam:error:{kind}",
        detail=detail,
        extra=extra,
        headers=exc.headers,
    )


_UNAVAILABLE: tuple[type[Exception], ...] = (
    ConnectionError,
    FileNotFoundError,  # asyncpg's connect over a Unix socket whose server is gone
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # a pooled connection the server dropped mid-operation
    asyncpg.exceptions.OperatorInterventionError,
    psycopg.OperationalError,
    eventsourcing.persistence.OperationalError,
    eventsourcing.persistence.InterfaceError,
)
"""What the database's absence looks like from asyncpg, psycopg and eventsourcing: a 503, not a 500."""

RETRY_AFTER_SECONDS = 5
_LOG_EVERY_SECONDS = 30.0
_last_logged: dict[str, float] = {}


def _log_once(kind: str, exc: BaseException) -> None:
    """Log ``exc`` with its cause, once per kind of failure and :data:`_LOG_EVERY_SECONDS` (an outage, not a flood)."""
    now = time.monotonic()
    if now - _last_logged.get(kind, -_LOG_EVERY_SECONDS) < _LOG_EVERY_SECONDS:
        return
    _last_logged[kind] = now
    structlog.get_logger("finsam.errors").error(kind, error=f"{type(exc).__name__}: {exc}", exc_info=exc)


def _unexpected(exc: Exception) -> ProblemDetailsException:
    """Anything else: 503 when the database is away, else a 500; logged once with its cause, never shown."""
    if isinstance(exc, _UNAVAILABLE):
        _log_once("database unavailable", exc)
        return ProblemDetailsException(
            instance=request_instance(),
            status_code=503,
            title="ServiceUnavailable",
            type_="urn:finsam:error:ServiceUnavailable",
            detail="Databasen svarar inte just nu; inget har registrerats. Försök igen om en stund.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    _log_once(f"unexpected {type(exc).__name__}", exc)
    return ProblemDetailsException(
        instance=request_instance(),
        status_code=500,
        title="InternalError",
        type_="urn:finsam:error:InternalError",
        detail=_DEFAULT_DETAILS[500],
    )


def problem_details_plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            enable_for_all_http_exceptions=True,
            exception_to_problem_detail_map={
                FinsamError: _to_problem,
                RecursionError: _too_deep,
                HTTPException: _http_problem,
                Exception: _unexpected,
            },
        )
    )
