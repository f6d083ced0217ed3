"""The real pusher-js (from npm, in Node) against the server: what Laravel Echo runs on.

pusher-js is installed once into ``tests/.node`` (git-ignored, left out of the sdist).
Without npm or the registry the test is skipped, unless FOUNDRY_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pusher
import pytest

from foundry.broadcast import ChannelRegistry
from foundry.domain.auth import AccessToken, TokenVerifier
from foundry.testing.servers import require_service

from .conftest import (
    APP_ID,
    APP_KEY,
    APP_SECRET,
    build_app,
    eventually,
    instances,
    serve,
)

NODE_DIR = Path(__file__).parent / ".node"
PUSHER_JS = "pusher-js@8"

SCRIPT = r"""
const Pusher = require("pusher-js");
const [port, key] = process.argv.slice(2);
const say = (...words) => console.log(words.join(" "));
const pusher = new Pusher(key, {
  wsHost: "127.0.0.1",
  wsPort: Number(port),
  forceTLS: false,
  enabledTransports: ["ws"],
  cluster: "mt1",
  channelAuthorization: {
    endpoint: `http://127.0.0.1:${port}/broadcasting/auth`,
    transport: "ajax",
    headers: { Authorization: "Bearer node-token" },
  },
});
let received = 0;
const done = () => {
  if (++received === 2) { pusher.disconnect(); setTimeout(() => process.exit(0), 100); }
};
pusher.connection.bind("connected", () => say("CONNECTED", pusher.connection.socket_id));
pusher.connection.bind("error", (err) => say("ERROR", JSON.stringify(err)));
for (const name of ["orders", "private-user.1"]) {
  const channel = pusher.subscribe(name);
  channel.bind("pusher:subscription_succeeded", () => say("SUBSCRIBED", name));
  channel.bind("pusher:subscription_error", (e) => say("REFUSED", name, JSON.stringify(e)));
  channel.bind("order.shipped", (data) => { say("EVENT", name, JSON.stringify(data)); done(); });
}
const forbidden = pusher.subscribe("private-user.2");
forbidden.bind("pusher:subscription_error", (e) => say("REFUSED", "private-user.2", e.status));
setTimeout(() => { say("TIMEOUT"); process.exit(1); }, 20000);
"""


@pytest.fixture(scope="session")
def pusher_js() -> Path:
    """A folder holding pusher-js from npm (installed on first use)."""

    def unavailable(reason: str) -> None:
        require_service(f"pusher-js is not available: {reason}")

    if shutil.which("node") is None or shutil.which("npm") is None:
        unavailable("node and npm are not installed")
    if not (NODE_DIR / "node_modules" / "pusher-js").is_dir():
        NODE_DIR.mkdir(exist_ok=True)
        try:
            done = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), PUSHER_JS],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
        except subprocess.TimeoutExpired:
            unavailable("npm install pusher-js timed out (is the npm registry reachable?)")
        if done.returncode != 0:
            unavailable(f"npm could not install pusher-js: {done.stderr.strip()[-300:]}")
    return NODE_DIR


class NodeTokens:
    async def verify(self, token: str) -> AccessToken | None:
        return AccessToken("node", user_id="1") if token == "node-token" else None


async def test_pusher_js_subscribes_and_receives_events_triggered_from_python(base, pusher_js):
    app = build_app(base)
    app.instance(TokenVerifier, NodeTokens())
    script = pusher_js / "client.js"
    script.write_text(SCRIPT)
    async with serve(app) as running:
        app.make(ChannelRegistry).register("private-user.{id}", lambda user, id: user.user_id == id)
        node = await asyncio.create_subprocess_exec(
            "node",
            str(script),
            str(running.port),
            APP_KEY,
            cwd=str(pusher_js),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert node.stdout is not None
        lines: list[str] = []

        async def line() -> str:
            text = (await asyncio.wait_for(node.stdout.readline(), 20)).decode().strip()
            lines.append(text)
            return text

        try:
            subscribed: set[str] = set()
            refused: set[str] = set()
            while subscribed != {"orders", "private-user.1"} or not refused:
                words = (await line()).split(" ")
                assert words[0] in {"CONNECTED", "SUBSCRIBED", "REFUSED"}, lines
                if words[0] == "SUBSCRIBED":
                    subscribed.add(words[1])
                if words[0] == "REFUSED":
                    refused.add(f"{words[1]} {words[2]}")
            assert refused == {"private-user.2 403"}
            api = pusher.Pusher(
                APP_ID, APP_KEY, APP_SECRET, host="127.0.0.1", port=running.port, ssl=False
            )
            await asyncio.to_thread(
                api.trigger,
                ["orders", "private-user.1"],
                "order.shipped",
                {"id": 7, "by": "python"},
            )
            events = {await line(), await line()}
            assert await asyncio.wait_for(node.wait(), 10) == 0, lines
        finally:
            if node.returncode is None:
                node.kill()
                await node.wait()
        payload = json.dumps({"id": 7, "by": "python"}, separators=(",", ":"))
        assert events == {f"EVENT orders {payload}", f"EVENT private-user.1 {payload}"}
        assert lines[0].startswith("CONNECTED ")


RECONNECTING_SCRIPT = r"""
const Pusher = require("pusher-js");
const [port, key] = process.argv.slice(2);
const say = (...words) => console.log(words.join(" "));
const pusher = new Pusher(key, {
  wsHost: "127.0.0.1", wsPort: Number(port), forceTLS: false,
  enabledTransports: ["ws"], cluster: "mt1",
});
pusher.connection.bind("connected", () => say("CONNECTED", pusher.connection.socket_id));
pusher.connection.bind("error", (err) => {  // the pusher:error frame, then the close code
  const data = err.data || (err.error && err.error.data) || {};
  say("ERROR", data.code);
});
const orders = pusher.subscribe("orders");
orders.bind("pusher:subscription_succeeded", () => say("SUBSCRIBED orders"));
orders.bind("order.shipped", (data) => {
  say("EVENT", JSON.stringify(data)); pusher.disconnect(); setTimeout(() => process.exit(0), 100);
});
setTimeout(() => { say("TIMEOUT"); process.exit(1); }, 60000);
"""


async def test_pusher_js_is_told_of_a_redis_outage_and_reconnects_by_itself(
    base, pusher_js, redis_server, prefix, monkeypatch
):
    script = pusher_js / "reconnecting.js"
    script.write_text(RECONNECTING_SCRIPT)
    async with instances(base, redis_server.url, prefix, count=1) as (running,):
        hub = running.hub
        refusals: list[int] = []
        decide = hub.refusal

        def refusal(key: str, protocol: str | None) -> tuple[int, str] | None:
            outcome = decide(key, protocol)
            if outcome is not None:
                refusals.append(outcome[0])
            return outcome

        monkeypatch.setattr(hub, "refusal", refusal)  # watched, not changed
        node = await asyncio.create_subprocess_exec(
            "node",
            str(script),
            str(running.port),
            APP_KEY,
            cwd=str(pusher_js),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert node.stdout is not None
        lines: list[str] = []

        async def until(prefix: str) -> str:
            while True:
                text = (await asyncio.wait_for(node.stdout.readline(), 30)).decode().strip()
                lines.append(text)
                assert text, lines  # node exited
                assert text != "TIMEOUT", lines
                if text.startswith(prefix):
                    return text

        try:
            first = await until("CONNECTED ")
            await until("SUBSCRIBED orders")
            redis_server.kill()
            assert await until("ERROR ") == "ERROR 4101"  # told, with the backoff code

            async def retried_and_refused() -> bool:
                return bool(refusals)

            await eventually(retried_and_refused)  # pusher-js came back during the outage
            assert refusals[0] == 4101  # and was refused with the backoff code again
            redis_server.start()
            second = await until("CONNECTED ")  # pusher-js reconnected by itself ...
            assert second != first
            await until("SUBSCRIBED orders")  # ... and subscribed again by itself
            api = pusher.Pusher(
                APP_ID, APP_KEY, APP_SECRET, host="127.0.0.1", port=running.port, ssl=False
            )

            async def triggered() -> bool:
                try:
                    await asyncio.to_thread(api.trigger, "orders", "order.shipped", {"id": 8})
                except pusher.errors.PusherBadStatus:
                    return False
                return True

            await eventually(triggered)
            event = await until("EVENT ")
            assert await asyncio.wait_for(node.wait(), 10) == 0, lines
        finally:
            if node.returncode is None:
                node.kill()
                await node.wait()
        assert event == 'EVENT {"id":8}'
        errors = [line for line in lines if line.startswith("ERROR")]
        assert set(errors) == {"ERROR 4101"}, lines  # every error said "back off", none "give up"
