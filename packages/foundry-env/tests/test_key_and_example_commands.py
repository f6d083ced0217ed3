"""key:generate, key:show and env:example: files written atomically, nothing else touched."""

from __future__ import annotations

import base64
import json
import os
import stat

from foundry.env import format_value, parse_env, render_example


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _key_in(path) -> str:
    return parse_env(path.read_text()).values()["APP_KEY"]


async def test_key_generate_creates_env_from_example_with_mode_0600(base, write, make_app, run):
    app = make_app()
    write(base / ".env.example", "APP_NAME=Example\nAPP_KEY=\nCACHE_DRIVER=file\n")
    ran = await run(app, "key:generate", format="json")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    env = base / ".env"
    text = env.read_text()
    assert text.startswith("APP_NAME=Example\nAPP_KEY=base64:")
    assert text.endswith("\nCACHE_DRIVER=file\n")
    assert _mode(env) == 0o600
    key = _key_in(env)
    assert len(base64.b64decode(key.removeprefix("base64:"))) == 32
    assert ran.data["action"] == "created"
    assert ran.data["line"] == 2
    assert key not in ran.stdout + json.dumps(ran.data)


async def test_key_generate_creates_an_env_file_when_there_is_no_example(base, make_app, run):
    ran = await run(make_app(), "key:generate")
    assert ran.outcome.exit_code == 0
    env = base / ".env"
    assert env.read_text().startswith("APP_KEY=base64:")
    assert _mode(env) == 0o600


async def test_key_generate_replaces_an_empty_key_in_place_keeping_other_bytes(
    base, write, make_app, run
):
    before = (
        "# settings\r\nAPP_NAME='Quoted  App'\r\n\r\nexport APP_KEY=\r\nODD = spaced # note\r\n"
    )
    env = write(base / ".env", before)
    os.chmod(env, 0o640)
    app = make_app()
    ran = await run(app, "key:generate")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    after = env.read_bytes().decode()
    key = _key_in(env)
    assert after == before.replace("export APP_KEY=\r\n", f"export APP_KEY={key}\r\n")
    assert _mode(env) == 0o640
    assert ran.message == "Application key set in .env (line 4)."
    assert [p.name for p in base.iterdir() if p.name.startswith(".env.")] == []


async def test_key_generate_refuses_to_replace_a_key_without_force(base, write, make_app, run):
    old = "base64:" + base64.b64encode(b"x" * 32).decode()
    env = write(base / ".env", f"APP_NAME=App\nAPP_KEY={old}\n")
    app = make_app()
    ran = await run(app, "key:generate")
    assert ran.outcome.exit_code == 1
    assert "APP_KEY is already set in .env" in ran.outcome.error
    assert "--force" in ran.outcome.error
    assert env.read_text() == f"APP_NAME=App\nAPP_KEY={old}\n"


async def test_key_generate_with_force_replaces_the_key_and_updates_the_process(
    base, write, make_app, run
):
    old = "base64:" + base64.b64encode(b"x" * 32).decode()
    env = write(base / ".env", f"APP_NAME=App\nAPP_KEY={old}\nTAIL=1")
    app = make_app()
    ran = await run(app, "key:generate", force=True)
    assert ran.outcome.exit_code == 0, ran.outcome.error
    new = _key_in(env)
    assert new != old
    assert env.read_text() == f"APP_NAME=App\nAPP_KEY={new}\nTAIL=1"
    assert os.environ["APP_KEY"] == new
    assert app.config.get("app.key") == new


async def test_key_generate_appends_when_the_file_has_no_key(base, write, make_app, run):
    env = write(base / ".env", "APP_NAME=App")
    ran = await run(make_app(), "key:generate")
    assert ran.outcome.exit_code == 0
    lines = env.read_text().split("\n")
    assert lines[0] == "APP_NAME=App"
    assert lines[1].startswith("APP_KEY=base64:")
    assert ran.data["action"] == "appended"
    assert ran.data["line"] == 2


async def test_key_generate_show_prints_a_key_and_writes_nothing(base, make_app, run):
    ran = await run(make_app(), "key:generate", "--show")
    assert ran.outcome.exit_code == 0
    key = ran.stdout.strip()
    assert key.startswith("base64:")
    assert len(base64.b64decode(key[7:])) == 32
    assert not (base / ".env").exists()
    json_ran = await run(make_app(), "key:generate", "--show", format="json")
    assert json_ran.data["key"].startswith("base64:")
    assert json_ran.data["written"] is False


async def test_key_generate_writes_the_environment_file_that_was_loaded(
    base, write, make_app, run, monkeypatch
):
    monkeypatch.setenv("APP_ENV", "testing")
    main = write(base / ".env", "APP_NAME=Main\n")
    testing = write(base / ".env.testing", "APP_NAME=Testing\n")
    ran = await run(make_app(), "key:generate")
    assert ran.message == "Application key set in .env.testing (line 2)."
    assert main.read_text() == "APP_NAME=Main\n"
    assert _key_in(testing).startswith("base64:")


async def test_key_generate_warns_when_the_process_sets_the_key(base, make_app, run, monkeypatch):
    monkeypatch.setenv("APP_KEY", "p" * 40)
    ran = await run(make_app(), "key:generate")
    assert ran.outcome.exit_code == 0
    assert "also set in the process environment" in ran.message
    assert os.environ["APP_KEY"] == "p" * 40


async def test_key_show_masks_unless_reveal(base, write, make_app, run):
    key = "base64:" + base64.b64encode(b"k" * 32).decode()
    write(base / ".env", f"APP_KEY={key}\n")
    app = make_app()
    masked = await run(app, "key:show", format="json")
    assert masked.data == {"key": key[:12] + "******", "masked": True, "source": ".env line 1"}
    human = await run(app, "key:show")
    assert human.stdout.strip() == key[:12] + "******"
    revealed = await run(app, "key:show", "--reveal")
    assert revealed.stdout.strip() == key


async def test_key_show_without_a_key_fails_and_says_what_to_run(make_app, run):
    ran = await run(make_app(), "key:show")
    assert ran.outcome.exit_code == 1
    assert "Run foundry key:generate" in ran.outcome.error


async def test_env_example_groups_variables_by_package(base, make_app, run):
    app = make_app()
    ran = await run(app, "env:example", format="json")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    text = (base / ".env.example").read_text()
    assert text == ran.data["content"]
    kernel = text.index("# --- foundry-application ---")
    sample = text.index("# --- foundry-sample ---")
    assert kernel < sample
    assert "# The application's name\nAPP_NAME=Foundry\n" in text
    assert "APP_DEBUG=false\n" in text
    assert "# Cache store (one of: memory, redis, file)\nCACHE_DRIVER=memory\n" in text
    assert "(also read as AUTH_SESSION_STORAGE)\nSESSION_DRIVER=database\n" in text
    assert "\nMAIL_PASSWORD=\n" in text
    assert "\nAPP_KEY=\n" in text
    assert "\n# MAIL_HOST=\n" in text
    assert parse_env(text).errors == ()


async def test_env_example_refuses_to_overwrite_without_force(base, write, make_app, run):
    example = write(base / ".env.example", "KEEP=me\n")
    app = make_app()
    ran = await run(app, "env:example")
    assert ran.outcome.exit_code == 1
    assert "--force" in ran.outcome.error
    assert example.read_text() == "KEEP=me\n"
    forced = await run(app, "env:example", force=True)
    assert forced.outcome.exit_code == 0
    assert "APP_NAME=Foundry" in example.read_text()


async def test_env_example_dry_run_prints_instead_of_writing(base, make_app, run):
    ran = await run(make_app(), "env:example", dry_run=True)
    assert ran.outcome.exit_code == 0
    assert "APP_NAME=Foundry" in ran.stdout
    assert not (base / ".env.example").exists()


def test_defaults_are_written_as_env_text():
    assert format_value(True) == "true"
    assert format_value(["a", "b"]) == "a,b"
    assert format_value("My App") == '"My App"'
    assert format_value("http://localhost:8000") == "http://localhost:8000"
    tricky = 'say "hi" # now'
    assert parse_env("X=" + format_value(tricky) + "\n").values()["X"] == tricky


def test_example_of_no_providers_is_only_the_header():
    assert render_example([]).startswith("# Environment variables")
