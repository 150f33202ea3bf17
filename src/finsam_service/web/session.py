"""Signing in on the pages: a writer gives an existing API token once and gets a session cookie.

The cookie holds the token itself (HttpOnly, SameSite=Strict, Secure over https), so revoking the
token ends the session too and nothing else is stored. A page asks :func:`reader_of` who reads it;
whether that reader sees a förbund's drafts is :func:`finsam_service.access.may_read_drafts` alone.
A wrong token counts against the address as a wrong ``Authorization`` header does.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.middleware.rate_limit import get_remote_address
from litestar.params import Body
from litestar.response import Redirect, Template

from finsam_service.access import Caller, caller_with_token
from finsam_service.settings import Settings
from finsam_service.web.errors import PAGE_ERRORS

__all__ = ["COOKIE", "SessionPages", "reader_of"]

COOKIE = "finsam_session"
_FAILURES_STORE = "finsam_auth_failures"  # The edge's counter of unknown tokens per address.
_MAX_TOKEN = 200


async def reader_of(request: Request[Any, Any, Any]) -> Caller | None:
    """The signed-in reader of a page (by the session cookie), or None for the public."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > _MAX_TOKEN:
        return None
    return await caller_with_token(request.app.state.pool, token)


class SessionPages(Controller):
    path = "/"
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/logga-in", name="logga-in")
    async def form(self, request: Request[Any, Any, Any]) -> Template:
        reader = await reader_of(request)
        return Template("logga_in.html", context={"reader": reader, "error": None})

    @post("/logga-in", opt={"sign_in": True}, status_code=303, request_max_body_size=4096)
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        settings: Settings = request.app.state.settings
        store = request.app.stores.get(_FAILURES_STORE)
        address = get_remote_address(request)  # The edge counts unknown tokens per address the same way.
        failures = int(await store.get(address) or 0)
        token = data.get("token", "").strip()
        caller = None
        if settings.auth_failures_per_minute == 0 or failures < settings.auth_failures_per_minute:
            caller = await caller_with_token(request.app.state.pool, token) if 0 < len(token) <= _MAX_TOKEN else None
        if caller is None:
            await store.set(address, str(failures + 1).encode(), expires_in=60)
            error = "API-nyckeln är okänd, har gått ut eller är återkallad. Kontrollera den och försök igen."
            return Template("logga_in.html", context={"reader": None, "error": error}, status_code=401)
        target = f"/forbund/{caller.org_nr}" if caller.org_nr else "/"
        response = Redirect(target, status_code=303)
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            secure=request.url.scheme == "https",
            samesite="strict",
            path="/",
        )
        return response

    @post("/logga-ut", opt={"sign_in": True}, status_code=303, request_max_body_size=1024)
    async def sign_out(self) -> Redirect:
        response = Redirect("/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response
