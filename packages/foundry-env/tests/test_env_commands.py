"""env, env:validate and env:reload, through the kernel's command runner."""

from __future__ import annotations

import json
import os


async def test_env_lists_declared_variables_with_value_and_source(
    base, write, make_app, run, monkeypatch
):
    monkeypatch.setenv("APP_NAME", "From Process")
    write(base / ".env", "CACHE_DRIVER=redis\nMAIL_PASSWORD=hunter2\nAUTH_SESSION_STORAGE=redis\n")
    app = make_app()
    ran = await run(app, "env", format="json")
    assert ran.outcome.exit_code == 0
    rows = {row["name"]: row for row in ran.data["variables"]}
    assert ran.data["file"] == ".env"
    assert ran.data["loaded"] is True
    assert rows["CACHE_DRIVER"]["value"] == "redis"
    assert rows["CACHE_DRIVER"]["source"] == ".env line 1"
    assert rows["APP_NAME"] == {
        **rows["APP_NAME"],
        "value": "From Process",
        "source": "process",
    }
    assert rows["CACHE_TTL"]["value"] == "3600"
    assert rows["CACHE_TTL"]["source"] == "default"
    assert rows["MAIL_PASSWORD"]["value"] == "******"
    assert rows["SESSION_DRIVER"]["set_as"] == "AUTH_SESSION_STORAGE"
    assert "hunter2" not in json.dumps(ran.data)


async def test_env_human_output_is_a_table_without_secrets(base, write, make_app, run):
    write(base / ".env", "MAIL_PASSWORD=hunter2\nCACHE_DRIVER=file\n")
    ran = await run(make_app(), "env")
    assert ran.outcome.exit_code == 0
    assert "Loaded file" in ran.stdout
    assert ".env" in ran.stdout
    line = next(line for line in ran.stdout.splitlines() if line.startswith("CACHE_DRIVER"))
    assert "file" in line
    assert ".env line 2" in line
    assert "hunter2" not in ran.stdout
    assert "******" in ran.stdout


async def test_env_says_when_no_file_was_loaded(make_app, run):
    ran = await run(make_app(), "env")
    assert "none (.env not found)" in ran.stdout


async def test_validate_reports_malformed_values_with_their_line(base, write, make_app, run):
    app = make_app()
    write(base / ".env", "APP_NAME=x\n\nAPP_DEBUG=maybe\nCACHE_TTL=soon\n")
    ran = await run(app, "env:validate", format="json")
    assert ran.outcome.exit_code == 1
    messages = [e["message"] for e in ran.data["errors"]]
    assert messages == [
        ".env line 3: APP_DEBUG=maybe is not a boolean (true/false)",
        ".env line 4: CACHE_TTL=soon is not an integer",
    ]
    assert ran.data["valid"] is False
    assert ran.message == ".env has 2 errors."


async def test_validate_never_prints_a_secret(base, write, make_app, run):
    app = make_app()
    write(base / ".env", "APP_KEY=short-secret\n")
    ran = await run(app, "env:validate")
    assert ran.outcome.exit_code == 1
    assert ".env line 1: APP_KEY=****** must be at least 32 characters" in ran.stderr
    assert "; run foundry key:generate" in ran.stderr
    assert "short-secret" not in ran.stdout + ran.stderr + json.dumps(ran.data)


async def test_validate_warns_about_unknown_names_with_a_suggestion(base, write, make_app, run):
    app = make_app()
    write(base / ".env", "CACHE_DRIVER=redis\nCACHE_DRIVR=redis\nSOMETHING_ELSE=1\n")
    ran = await run(app, "env:validate", format="json")
    assert ran.outcome.exit_code == 0
    unknown = {u["name"]: u for u in ran.data["unknown"]}
    assert unknown["CACHE_DRIVR"]["suggestion"] == "CACHE_DRIVER"
    assert unknown["CACHE_DRIVR"]["message"] == (
        ".env line 2: CACHE_DRIVR is not declared by any installed package; "
        "did you mean CACHE_DRIVER?"
    )
    assert unknown["SOMETHING_ELSE"]["suggestion"] is None
    assert ran.message == ".env is valid: 3 variables checked (2 unknown variables)."


async def test_validate_strict_fails_on_unknown_names(base, write, make_app, run):
    app = make_app()
    write(base / ".env", "CACHE_DRIVR=redis\n")
    ran = await run(app, "env:validate", "--strict")
    assert ran.outcome.exit_code == 1
    assert "did you mean CACHE_DRIVER?" in ran.stderr
    assert ran.message == ".env has 1 unknown variable."


async def test_validate_notes_aliases_and_checks_their_values(base, write, make_app, run):
    app = make_app()
    write(base / ".env", "AUTH_SESSION_STORAGE=redis\n")
    ran = await run(app, "env:validate", format="json")
    assert ran.outcome.exit_code == 0
    (alias,) = ran.data["aliases"]
    assert alias["name"] == "AUTH_SESSION_STORAGE"
    assert alias["suggestion"] == "SESSION_DRIVER"
    assert "older name of SESSION_DRIVER" in alias["message"]


async def test_validate_reports_lines_that_do_not_parse(base, write, make_app, run):
    app = make_app()
    write(base / ".env", "CACHE_DRIVER=redis\nNOT A LINE\n")
    ran = await run(app, "env:validate", format="json")
    assert ran.outcome.exit_code == 1
    assert ran.data["errors"][0]["message"] == (
        '.env line 2: cannot parse "NOT A LINE" (expected KEY=value)'
    )


async def test_validate_reports_duplicates_and_process_overrides(
    base, write, make_app, run, monkeypatch
):
    monkeypatch.setenv("CACHE_TTL", "5")
    write(base / ".env", "CACHE_DRIVER=redis\nCACHE_DRIVER=file\nCACHE_TTL=10\n")
    app = make_app()
    ran = await run(app, "env:validate", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["duplicates"][0]["line"] == 2
    assert ran.data["shadowed"][0]["name"] == "CACHE_TTL"


async def test_validate_human_output_lists_each_finding(base, write, make_app, run):
    app = make_app()
    write(base / ".env", "APP_DEBUG=maybe\nCACHE_DRIVR=x\n")
    ran = await run(app, "env:validate")
    assert ".env line 1: APP_DEBUG=maybe is not a boolean (true/false)" in ran.stderr
    assert ".env line 2: CACHE_DRIVR" in ran.stdout


async def test_validate_without_a_file_has_nothing_to_check(make_app, run):
    ran = await run(make_app(), "env:validate", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["exists"] is False


async def test_reload_reports_added_changed_and_removed_with_secrets_masked(
    base, write, make_app, run
):
    write(base / ".env", "CACHE_DRIVER=file\nMAIL_PASSWORD=old-secret\nCACHE_TTL=10\n")
    app = make_app()
    write(base / ".env", "CACHE_DRIVER=redis\nMAIL_PASSWORD=new-secret\nMAIL_HOST=smtp\n")
    ran = await run(app, "env:reload", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["added"] == {"MAIL_HOST": "smtp"}
    assert ran.data["changed"] == {
        "CACHE_DRIVER": {"old": "file", "new": "redis"},
        "MAIL_PASSWORD": {"old": "******", "new": "******"},
    }
    assert ran.data["removed"] == ["CACHE_TTL"]
    assert ran.message == "Reloaded .env: 1 added, 2 changed, 1 removed."
    assert os.environ["CACHE_DRIVER"] == "redis"
    assert os.environ["MAIL_PASSWORD"] == "new-secret"
    assert "CACHE_TTL" not in os.environ
    assert "secret" not in json.dumps(ran.data).replace("MAIL_PASSWORD", "")


async def test_reload_leaves_process_values_alone(base, write, make_app, run, monkeypatch):
    monkeypatch.setenv("CACHE_DRIVER", "memory")
    write(base / ".env", "CACHE_DRIVER=file\n")
    app = make_app()
    write(base / ".env", "CACHE_DRIVER=redis\n")
    ran = await run(app, "env:reload")
    assert os.environ["CACHE_DRIVER"] == "memory"
    assert ran.message == "Reloaded .env: nothing changed."


async def test_reload_human_output_is_a_table_of_changes(base, write, make_app, run):
    write(base / ".env", "CACHE_DRIVER=file\n")
    app = make_app()
    write(base / ".env", "CACHE_DRIVER=redis\n")
    ran = await run(app, "env:reload")
    row = next(line for line in ran.stdout.splitlines() if line.startswith("CACHE_DRIVER"))
    assert row.split() == ["CACHE_DRIVER", "changed", "file", "redis"]


async def test_reload_of_a_broken_file_fails_and_keeps_the_old_values(base, write, make_app, run):
    write(base / ".env", "CACHE_DRIVER=file\n")
    app = make_app()
    write(base / ".env", "CACHE_DRIVER=redis\nBROKEN\n")
    ran = await run(app, "env:reload")
    assert ran.outcome.exit_code == 1
    assert ran.outcome.error == '.env line 2: cannot parse "BROKEN" (expected KEY=value)'
    assert os.environ["CACHE_DRIVER"] == "file"
