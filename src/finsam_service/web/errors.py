"""What a page answers when it cannot be shown: the same status and Swedish sentence as the API's
problem+json (:mod:`finsam_service.errors`), as a page a person can read."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template
from litestar.types import ExceptionHandlersMap

from finsam_core.errors import FinsamError
from finsam_service.errors import status_of

__all__ = ["PAGE_ERRORS"]

_TITLES = {400: "Felaktig adress", 404: "Sidan finns inte", 503: "Försök igen om en stund"}


def _page(status: int, detail: str) -> Template:
    title = _TITLES.get(status, "Sidan kan inte visas")
    return Template("fel.html", context={"reader": None, "title": title, "detail": detail}, status_code=status)


def _finsam_error(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, FinsamError)
    return _page(status_of(exc), str(exc))


def _http_error(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    detail = "Adressen eller formulärets värden går inte att läsa." if exc.status_code == 400 else exc.detail
    return _page(exc.status_code, detail)


PAGE_ERRORS: ExceptionHandlersMap = {FinsamError: _finsam_error, HTTPException: _http_error}
"""The pages' exception handlers (set on each page controller; the API keeps problem+json)."""
