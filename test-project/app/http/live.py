"""``/live``: a page that shows product changes as they happen.

It speaks the Pusher Channels protocol over a plain WebSocket (the same protocol
pusher-js and Laravel Echo use against ``/app/{key}``), subscribed to the public
``products`` channel the product API announces changes on.
"""

from __future__ import annotations

import html
import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from foundry.domain.http import APP_STATE_KEY

router = APIRouter(tags=["pages"])

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Live products — {title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 42rem;
          color: #1f2937; }}
  #status {{ font-size: .9rem; color: #6b7280; }}
  #status.connected {{ color: #047857; }}
  li {{ padding: .4rem 0; border-bottom: 1px solid #e5e7eb; }}
  code {{ background: #f3f4f6; padding: 0 .25rem; }}
</style>
</head>
<body>
<h1>Live products</h1>
<p id="status">connecting…</p>
<ul id="events"></ul>
<script>
const KEY = {key};
const CHANNEL = "products";
const statusLine = document.getElementById("status");
const list = document.getElementById("events");

function show(event, data) {{
  const item = document.createElement("li");
  item.dataset.event = event;
  const what = data.name ? `${{data.name}} (${{data.sku}})` : `#${{data.id}}`;
  item.innerHTML = `<code></code> `;
  item.querySelector("code").textContent = event;
  item.append(what);
  list.prepend(item);
}}

function connect(delay) {{
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${{scheme}}://${{location.host}}/app/${{KEY}}?protocol=7&client=foundry-live&version=1`);
  socket.onmessage = (message) => {{
    const frame = JSON.parse(message.data);
    const raw = frame.data || "{{}}";
    const data = typeof raw === "string" ? JSON.parse(raw) : raw;
    if (frame.event === "pusher:connection_established") {{
      socket.send(JSON.stringify({{event: "pusher:subscribe", data: {{channel: CHANNEL}}}}));
    }} else if (frame.event === "pusher_internal:subscription_succeeded") {{
      statusLine.textContent = "connected";
      statusLine.className = "connected";
      delay = 500;
    }} else if (frame.event === "pusher:ping") {{
      socket.send(JSON.stringify({{event: "pusher:pong", data: {{}}}}));
    }} else if (frame.channel === CHANNEL) {{
      show(frame.event, data);
    }}
  }};
  socket.onclose = () => {{
    statusLine.textContent = "reconnecting…";
    statusLine.className = "";
    setTimeout(() => connect(Math.min(delay * 2, 10000)), delay);
  }};
}}
connect(500);
</script>
</body>
</html>
"""


@router.get("/live", response_class=HTMLResponse, summary="Live product changes")
async def live(request: Request) -> HTMLResponse:
    app = getattr(request.app.state, APP_STATE_KEY)
    key = str(app.config.get("broadcast.key") or "foundry")
    title = html.escape(str(app.config.get("app.name") or "Foundry"))
    return HTMLResponse(PAGE.format(key=json.dumps(key), title=title))
