"""The few HTML pages the server shows a person: consent, device code entry, errors.

Every value is HTML-escaped; pages are never framed (``X-Frame-Options: DENY`` and
``frame-ancestors 'none'``, against clickjacking the Approve button) and never cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from starlette.responses import HTMLResponse

__all__ = ["consent_page", "device_page", "error_page", "message_page"]

_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "frame-ancestors 'none'; default-src 'self'; style-src 'unsafe-inline'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}

_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}}
.card{{border:1px solid #ddd;border-radius:.5rem;padding:1.5rem}}
ul{{padding-left:1.2rem}} li{{margin:.3rem 0}} .error{{color:#a00}}
button{{padding:.5rem 1.2rem;margin-right:.5rem;font-size:1rem}}
input[type=text]{{font-size:1.2rem;padding:.4rem;letter-spacing:.2rem;text-transform:uppercase}}
</style></head>
<body><main class="card">
{body}
</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = _LAYOUT.format(title=escape(title), body=body)
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def _hidden(fields: Mapping[str, str]) -> str:
    return "\n".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items()
    )


def _scope_list(scopes: Iterable[tuple[str, str]]) -> str:
    items = "".join(
        f"<li><strong>{escape(name)}</strong>: {escape(text)}</li>" for name, text in scopes
    )
    return f"<ul>{items}</ul>" if items else "<p>No special permissions.</p>"


def consent_page(
    *,
    action: str,
    client_name: str,
    user_email: str,
    scopes: Iterable[tuple[str, str]],
    fields: Mapping[str, str],
) -> HTMLResponse:
    """The consent form: the request's fields hidden, ``_token``, Approve / Deny."""
    body = f"""<h1>Authorize {escape(client_name)}</h1>
<p><strong>{escape(client_name)}</strong> asks to access your account
(<em>{escape(user_email)}</em>). It will be able to:</p>
{_scope_list(scopes)}
<form method="post" action="{escape(action)}">
{_hidden(fields)}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>"""
    return _page(f"Authorize {client_name}", body)


def device_page(
    *,
    action: str,
    user_code: str = "",
    error: str | None = None,
    client_name: str | None = None,
    scopes: Iterable[tuple[str, str]] = (),
    token: str = "",
    status: int = 200,
) -> HTMLResponse:
    """Code entry (GET form) or, once a valid code is given, the device consent form."""
    problem = f'<p class="error">{escape(error)}</p>' if error else ""
    if client_name is None:
        body = f"""<h1>Connect a device</h1>
<p>Enter the code shown on your device.</p>{problem}
<form method="get" action="{escape(action)}">
<input type="text" name="user_code" value="{escape(user_code)}" autocomplete="off"
 autofocus required maxlength="12">
<button type="submit">Continue</button>
</form>"""
        return _page("Connect a device", body, status)
    body = f"""<h1>Connect {escape(client_name)}</h1>{problem}
<p>The device showing <strong>{escape(user_code)}</strong> asks to access your account.
It will be able to:</p>
{_scope_list(scopes)}
<form method="post" action="{escape(action)}">
{_hidden({"user_code": user_code, "_token": token})}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>"""
    return _page(f"Connect {client_name}", body, status)


def message_page(title: str, message: str, status: int = 200) -> HTMLResponse:
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(message)}</p>", status)


def error_page(error: str, description: str, status: int = 400) -> HTMLResponse:
    """An authorization request that cannot be redirected back (unknown client, bad
    redirect URI): tell the person, never send them anywhere (RFC 6749 §4.1.2.1)."""
    body = (
        f'<h1>Authorization failed</h1><p class="error"><code>{escape(error)}</code></p>'
        f"<p>{escape(description)}</p>"
    )
    return _page("Authorization failed", body, status)
