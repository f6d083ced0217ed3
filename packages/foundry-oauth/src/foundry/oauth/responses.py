"""Answers of the social login routes: redirects, and errors as a page or the envelope.

Browsers get a small HTML page that says what went wrong and offers to start again; API
clients (``Accept: application/json`` without ``text/html``) get Foundry's error envelope
``{"error": {"code", "message", "status"}}``. Either way the flow cookie is cleared.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from foundry.domain.errors import FoundryError

__all__ = ["error_response", "redirect_response", "wants_json"]

log = logging.getLogger("foundry.oauth")

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto;
       padding: 0 1rem; color: #1f2328; }}
h1 {{ font-size: 1.4rem; }}
p.code {{ color: #59636e; font-size: .85rem; }}
a {{ color: #0969da; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{message}</p>
<p class="code">{code}</p>
<p><a href="{retry}">Try again</a> · <a href="/">Home</a></p>
</main>
</body>
</html>
"""

_TITLES = {
    400: "Sign-in could not be completed",
    403: "Sign-in cancelled",
    404: "Unknown sign-in provider",
    409: "This account cannot be linked",
    422: "Sign-in could not be completed",
    502: "The sign-in provider did not answer properly",
    503: "Social sign-in is not configured",
}


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


def redirect_response(url: str, cookies: Iterable[str] = ()) -> Response:
    response = RedirectResponse(url, status_code=302)
    response.headers["Cache-Control"] = "no-store"
    for cookie in cookies:
        response.headers.append("set-cookie", cookie)
    return response


def error_response(
    request: Request, error: FoundryError, *, retry: str, cookies: Iterable[str] = ()
) -> Response:
    """The error as a page or an envelope, logged without secrets."""
    log.warning("social sign-in failed: %s %s", error.code, error.message)
    response: Response
    if wants_json(request):
        response = JSONResponse({"error": _envelope(error)}, status_code=error.status)
    else:
        page = _PAGE.format(
            title=html.escape(_TITLES.get(error.status, "Sign-in failed")),
            message=html.escape(error.message),
            code=html.escape(error.code),
            retry=html.escape(retry, quote=True),
        )
        response = HTMLResponse(page, status_code=error.status)
    response.headers["Cache-Control"] = "no-store"
    for cookie in cookies:
        response.headers.append("set-cookie", cookie)
    return response


def _envelope(error: FoundryError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message, "status": error.status}
    fields = getattr(error, "fields", None)
    if fields:
        body["fields"] = fields
    return body
