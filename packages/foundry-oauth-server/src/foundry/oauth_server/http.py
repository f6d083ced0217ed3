"""What every OAuth route shares: the core, authlib's server, CSRF and small helpers."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from foundry.oauth_server.bridge import FoundryServer
from foundry.oauth_server.csrf import COOKIE, CsrfTokens
from foundry.oauth_server.service import OAuthServer

__all__ = ["OAuthHttp", "oauth_error"]

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def oauth_error(status: int, error: str, description: str, **headers: str) -> JSONResponse:
    """An RFC 6749 §5.2 error body (OAuth endpoints do not use the Foundry envelope)."""
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**NO_STORE, **headers},
    )


class OAuthHttp:
    """Per-application state of the HTTP endpoints."""

    def __init__(self, core: OAuthServer, server: FoundryServer) -> None:
        self.core = core
        self.server = server
        self._csrf: CsrfTokens | None = None

    @property
    def csrf(self) -> CsrfTokens:
        if self._csrf is None:
            self._csrf = CsrfTokens(self._csrf_key())
        return self._csrf

    def _csrf_key(self) -> bytes:
        if self.core.settings.app_key:
            return self.core.settings.app_key
        return self.core.keys.signing.key.as_pem(private=True)  # type: ignore[no-any-return]

    # --- transport ------------------------------------------------------------------------

    def insecure(self, request: Request) -> bool:
        """True when https is required and this request came over plain http from a host
        other than loopback (RFC 6749 §3.1 and §3.2 require TLS; RFC 8252 §7.3 allows
        loopback for native apps)."""
        if not self.core.settings.require_https or request.url.scheme == "https":
            return False
        host = request.url.hostname or ""
        if host == "localhost":
            return False
        try:
            return not ipaddress.ip_address(host).is_loopback
        except ValueError:
            return True

    # --- the person -----------------------------------------------------------------------

    async def user(self, request: Request) -> Any:
        return await self.core.authenticate(request)

    def login_redirect(self, request: Request, next_path: str | None = None) -> RedirectResponse:
        """Send a visitor to the login page, with ``next`` back here.

        ``next`` is always a path on this server (never a scheme or ``//host``), so the
        login page cannot be turned into an open redirect through it.
        """
        target = next_path or request.url.path + (
            f"?{request.url.query}" if request.url.query else ""
        )
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        login = self.core.settings.login_url
        glue = "&" if urlsplit(login).query else "?"
        response = RedirectResponse(f"{login}{glue}{urlencode({'next': target})}", status_code=302)
        response.headers["Cache-Control"] = "no-store"
        return response

    # --- CSRF cookie ----------------------------------------------------------------------

    def csrf_cookie(self, request: Request) -> tuple[str, bool]:
        """The request's CSRF cookie value, or a new one (and True: set it)."""
        found = request.cookies.get(COOKIE)
        if found and 20 <= len(found) <= 128:
            return found, False
        return self.csrf.new_cookie(), True

    def set_csrf_cookie(self, response: Response, request: Request, value: str) -> None:
        response.set_cookie(
            COOKIE,
            value,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/oauth",
        )
