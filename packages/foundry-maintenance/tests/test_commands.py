"""down and up through the kernel's command runner."""

from __future__ import annotations

import hashlib
import json

import pytest

from foundry.maintenance import CACHE_KEY, MaintenanceMode


def down_file(base):
    return base / "storage" / "framework" / "down"


async def test_down_writes_the_state_file_and_up_removes_it(make_app, run, base):
    app = make_app()
    ran = await run(app, "down", "--message", "Back soon", "--retry", "30", "--refresh", "15")
    assert ran.outcome.exit_code == 0
    assert ran.message == "Application is now in maintenance mode."
    stored = json.loads(down_file(base).read_text())
    assert (stored["message"], stored["retry"], stored["refresh"]) == ("Back soon", 30, 15)
    assert ran.data["updated"] is False
    assert ran.data["store"].startswith("file ")

    ran = await run(app, "up")
    assert (ran.outcome.exit_code, ran.message) == (0, "Application is now live.")
    assert not down_file(base).exists()


async def test_up_when_not_down_says_so_and_succeeds(make_app, run):
    ran = await run(make_app(), "up", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.message == "Application is not in maintenance mode."
    assert ran.data["was_down"] is False


async def test_down_when_already_down_updates_the_state(make_app, run, base):
    app = make_app()
    await run(app, "down", "--message", "first")
    since = json.loads(down_file(base).read_text())["since"]
    ran = await run(app, "down", "--message", "second", "--allow", "10.0.0.1")
    assert ran.outcome.exit_code == 0
    assert ran.message == "Application is already down; maintenance terms updated."
    stored = json.loads(down_file(base).read_text())
    assert (stored["message"], stored["allowed"], stored["since"]) == (
        "second",
        ["10.0.0.1"],
        since,
    )


async def test_with_a_cache_bound_the_state_goes_to_the_cache(make_app, run, kit, base):
    cache = kit.CacheFake()
    app = make_app(kit.Bind(cache=cache))
    ran = await run(app, "down", "--secret", "open-sesame")
    assert ran.data["store"] == "cache key foundry:maintenance"
    stored = json.loads(cache.data[CACHE_KEY])
    assert stored["secret_hash"] == hashlib.sha256(b"open-sesame").hexdigest()
    assert not down_file(base).exists()
    assert (await run(app, "up")).message == "Application is now live."
    assert CACHE_KEY not in cache.data


async def test_the_secret_is_stored_hashed_and_never_reported(make_app, run, base):
    ran = await run(make_app(), "down", "--secret", "open-sesame", format="json")
    assert "open-sesame" not in down_file(base).read_text()
    assert "open-sesame" not in json.dumps(ran.data)
    assert ran.data["secret"] is True


async def test_with_secret_generates_one_and_prints_the_bypass_url(make_app, run, monkeypatch):
    monkeypatch.setenv("APP_URL", "https://shop.example")
    app = make_app()
    ran = await run(app, "down", "--with-secret")
    secret = ran.data["generated_secret"]
    assert len(secret) >= 32
    assert f"Bypass: open https://shop.example/{secret}" in ran.stdout
    state = await app.make(MaintenanceMode).state()
    assert state.secret_matches(secret)


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--allow", "10.0.0.300"], '--allow: "10.0.0.300" is not an IP address or CIDR range'),
        (["--allow", "10.0.0.1,not-an-ip"], '--allow: "not-an-ip" is not an IP address'),
        (["--secret", "a/b"], "--secret must be one URL path segment"),
        (["--secret", "x", "--with-secret"], "use either --secret or --with-secret, not both"),
        (["--retry", "0"], "--retry must be a number of seconds of 1 or more"),
        (["--refresh", "-5"], "--refresh must be a number of seconds of 1 or more"),
        (["--render", "errors/503.html"], '--render: no template "errors/503.html"'),
        (["--render", "../../etc/passwd"], '--render: no template "../../etc/passwd"'),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_written(make_app, run, base, argv, error):
    ran = await run(make_app(), "down", *argv)
    assert ran.outcome.exit_code == 2
    assert error in ran.outcome.error
    assert not down_file(base).exists()


async def test_render_accepts_a_template_under_resources_views(make_app, run, base):
    views = base / "resources" / "views" / "errors"
    views.mkdir(parents=True)
    (views / "503.html").write_text("<h1>{{ message }}</h1>")
    ran = await run(make_app(), "down", "--render", "errors/503.html")
    assert ran.outcome.exit_code == 0
    assert json.loads(down_file(base).read_text())["template"] == "errors/503.html"
