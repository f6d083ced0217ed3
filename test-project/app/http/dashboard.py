"""``/dashboard``: the signed-in account's home, with its notifications."""

from __future__ import annotations

import html

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from foundry.auth_scaffolding import CurrentUser
from foundry.infra.http import DbSession

from app.notifications import Member

router = APIRouter(tags=["pages"])

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dashboard</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 42rem;
          color: #1f2937; }}
  .notification {{ border: 1px solid #e5e7eb; border-radius: .5rem; padding: .75rem 1rem;
                   margin: .5rem 0; }}
  .unread {{ border-color: #2563eb; }}
  nav a {{ margin-right: 1rem; }}
</style>
</head>
<body>
<nav><a href="/live">Live products</a><a href="/auth/user">Account</a></nav>
<h1>Hello, {name}</h1>
<h2>Notifications ({unread} unread)</h2>
{items}
</body>
</html>
"""

ITEM = '<div class="notification{unread}"><strong>{title}</strong><p>{body}</p></div>'


@router.get("/dashboard", response_class=HTMLResponse, summary="The account's dashboard")
async def dashboard(user: CurrentUser, session: DbSession) -> HTMLResponse:
    member = Member(user)
    notifications = await member.notifications(session, limit=20)
    items = (
        "\n".join(
            ITEM.format(
                unread=" unread" if n.read_at is None else "",
                title=html.escape(str(n.data.get("title", n.type))),
                body=html.escape(str(n.data.get("body", ""))),
            )
            for n in notifications
        )
        or "<p>Nothing yet.</p>"
    )
    unread = sum(1 for n in notifications if n.read_at is None)
    return HTMLResponse(PAGE.format(name=html.escape(user.name), unread=unread, items=items))
