"""The 503 middleware through create_app() and httpx."""

from __future__ import annotations

import pytest

from foundry.domain.clock import FrozenClock
from foundry.maintenance import MaintenanceMode
from foundry.maintenance.bypass import COOKIE_NAME

JSON = {"accept": "application/json"}
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def down(app, **terms):
    return await app.make(MaintenanceMode).down(**terms)


def bypass_cookie(response) -> str:
    header = response.headers["set-cookie"]
    name, _, rest = header.partition("=")
    assert name == COOKIE_NAME
    return rest.split(";", 1)[0]


async def test_requests_pass_while_the_app_is_up(site):
    async with site() as http:
        response = await http.get("/", headers=JSON)
    assert (response.status_code, response.json()) == (200, {"page": "home"})


async def test_json_clients_get_the_error_envelope_with_retry_after(site):
    async with site() as http:
        await down(http.foundry, message="Upgrading the database", retry=120)
        response = await http.get("/", headers=JSON)
    assert response.status_code == 503
    assert response.json() == {
        "error": {"code": "MAINTENANCE", "message": "Upgrading the database", "status": 503}
    }
    assert response.headers["retry-after"] == "120"
    assert "refresh" not in response.headers
    assert response.headers["cache-control"] == "no-store"


async def test_api_looking_requests_get_json_without_asking(site):
    async with site() as http:
        await down(http.foundry)
        response = await http.get("/api/orders")
        xhr = await http.get("/", headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "MAINTENANCE"
    assert xhr.headers["content-type"] == "application/json"


async def test_browsers_get_the_built_in_page_with_the_message_escaped(site):
    async with site() as http:
        await down(http.foundry, message="<b>Back</b> at 10:00", retry=60, refresh=30)
        response = await http.get("/", headers=HTML)
    assert response.status_code == 503
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "&lt;b&gt;Back&lt;/b&gt; at 10:00" in response.text
    assert "<b>Back</b>" not in response.text
    assert response.headers["retry-after"] == "60"
    assert response.headers["refresh"] == "30"


async def test_head_requests_get_headers_without_a_body(site):
    async with site() as http:
        await down(http.foundry)
        response = await http.head("/", headers=HTML)
    assert response.status_code == 503
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


async def test_the_render_template_is_used_for_html(site, base):
    views = base / "resources" / "views" / "errors"
    views.mkdir(parents=True)
    (views / "503.html").write_text("<p class=custom>{{ message }} (retry {{ retry }}s)</p>")
    async with site() as http:
        await down(http.foundry, message="a & b", template="errors/503.html")
        response = await http.get("/", headers=HTML)
        api = await http.get("/", headers=JSON)
    assert response.status_code == 503
    assert response.text == "<p class=custom>a &amp; b (retry 60s)</p>"
    assert api.json()["error"]["message"] == "a & b"


async def test_a_template_deleted_after_down_falls_back_to_the_built_in_page(site):
    async with site() as http:
        await down(http.foundry, message="still down", template="gone.html")
        response = await http.get("/", headers=HTML)
    assert response.status_code == 503
    assert "still down" in response.text


async def test_health_routes_always_pass(site):
    async with site() as http:
        await down(http.foundry)
        live = await http.get("/health")
        ready = await http.get("/health/ready")
    assert (live.status_code, ready.status_code) == (200, 200)


async def test_maintenance_except_lets_configured_paths_through(site, monkeypatch):
    monkeypatch.setenv("MAINTENANCE_EXCEPT", "/webhooks/*")
    async with site() as http:
        await down(http.foundry)
        hook = await http.get("/webhooks/stripe")
        home = await http.get("/", headers=JSON)
    assert (hook.status_code, home.status_code) == (200, 503)


@pytest.mark.parametrize(
    ("client", "status"),
    [
        ("10.1.2.3", 200),
        ("192.0.2.7", 200),
        ("192.0.2.8", 503),
        ("2001:db8::1", 200),
        ("198.51.100.20", 503),
    ],
)
async def test_allowed_ips_and_ranges_pass(site, client, status):
    async with site(client=(client, 40000)) as http:
        await down(http.foundry, allowed=["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"])
        response = await http.get("/", headers=JSON)
    assert response.status_code == status


async def test_secret_bypass_sets_a_cookie_that_lets_the_holder_in(site):
    async with site() as http:
        await down(http.foundry, secret="open-sesame")
        blocked = await http.get("/", headers=JSON)
        granted = await http.get("/open-sesame")
        cookie = bypass_cookie(granted)
        inside = await http.get("/", headers={**JSON, "cookie": f"{COOKIE_NAME}={cookie}"})
    assert blocked.status_code == 503
    assert granted.status_code == 302
    assert granted.headers["location"] == "/"
    attributes = [a.strip().lower() for a in granted.headers["set-cookie"].split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert "secure" not in attributes
    assert "open-sesame" not in granted.headers["set-cookie"]
    assert (inside.status_code, inside.json()) == (200, {"page": "home"})


async def test_the_bypass_cookie_is_secure_over_https(site):
    async with site(https=True) as http:
        await down(http.foundry, secret="open-sesame")
        granted = await http.get("/open-sesame")
    assert "secure" in [a.strip().lower() for a in granted.headers["set-cookie"].split(";")]


async def test_a_wrong_secret_is_just_another_blocked_page(site):
    async with site() as http:
        await down(http.foundry, secret="open-sesame")
        response = await http.get("/open-sesame-please", headers=JSON)
        nothing = await http.get("/", headers=JSON)
    assert response.status_code == 503
    assert "set-cookie" not in response.headers
    assert nothing.status_code == 503


@pytest.mark.parametrize(
    "forge",
    [
        lambda value: value[:-1] + ("0" if value[-1] != "0" else "1"),  # altered MAC
        lambda value: str(int(value.split(".")[0]) + 3600) + "." + value.split(".")[1],
        lambda value: "9999999999.deadbeef",
        lambda value: "garbage",
    ],
)
async def test_a_forged_cookie_is_rejected(site, forge):
    async with site() as http:
        await down(http.foundry, secret="open-sesame")
        cookie = bypass_cookie(await http.get("/open-sesame"))
        response = await http.get("/", headers={**JSON, "cookie": f"{COOKIE_NAME}={forge(cookie)}"})
    assert response.status_code == 503


async def test_a_new_secret_invalidates_cookies_of_the_old_one(site, kit):
    clock = FrozenClock()
    async with site(kit.Bind(clock=clock)) as http:
        await down(http.foundry, secret="first-secret")
        cookie = bypass_cookie(await http.get("/first-secret"))
        headers = {**JSON, "cookie": f"{COOKIE_NAME}={cookie}"}
        assert (await http.get("/", headers=headers)).status_code == 200
        await down(http.foundry, secret="second-secret")
        clock.advance(1.0)
        response = await http.get("/", headers=headers)
    assert response.status_code == 503


async def test_the_bypass_cookie_expires_after_twelve_hours(site, kit):
    clock = FrozenClock()
    async with site(kit.Bind(clock=clock)) as http:
        await down(http.foundry, secret="open-sesame")
        cookie = bypass_cookie(await http.get("/open-sesame"))
        headers = {**JSON, "cookie": f"{COOKIE_NAME}={cookie}"}
        clock.advance(12 * 3600 - 1)
        assert (await http.get("/", headers=headers)).status_code == 200
        clock.advance(1)
        assert (await http.get("/", headers=headers)).status_code == 503


async def test_the_cookie_is_tied_to_the_app_key(make_app, serve, kit, base, monkeypatch):
    cache = kit.CacheFake()
    monkeypatch.setenv("APP_KEY", "base64:" + "A" * 43 + "=")
    first = make_app(kit.Pages, kit.Bind(cache=cache), root=base)
    async with serve(first) as http:
        await down(first, secret="open-sesame")
        cookie = bypass_cookie(await http.get("/open-sesame"))
        headers = {**JSON, "cookie": f"{COOKIE_NAME}={cookie}"}
        assert (await http.get("/", headers=headers)).status_code == 200
    monkeypatch.setenv("APP_KEY", "base64:" + "B" * 43 + "=")
    other_root = base.parent / "other"
    other_root.mkdir()
    second = make_app(kit.Pages, kit.Bind(cache=cache), root=other_root)
    async with serve(second) as http:
        assert (await http.get("/", headers=headers)).status_code == 503


async def test_websockets_are_refused_with_try_again_later_and_lifespan_passes(make_app, kit):
    from foundry.maintenance import MaintenanceMiddleware

    app = make_app(kit.Bind(cache=kit.CacheFake()))
    await down(app)
    reached: list[str] = []
    sent: list[dict] = []

    async def inner(scope, receive, send):
        reached.append(scope["type"])

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    middleware = MaintenanceMiddleware(inner, application=app)
    scope = {"type": "websocket", "path": "/ws", "headers": [], "client": ("203.0.113.9", 1)}
    await middleware(scope, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1013, "reason": "maintenance"}]
    assert reached == []
    await middleware({"type": "lifespan"}, receive, send)
    assert reached == ["lifespan"]
