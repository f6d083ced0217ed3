"""``plugin:list`` against the real installed entry points and throwaway distributions."""

from __future__ import annotations

from importlib.metadata import entry_points

from foundry.application.provider import ApplicationServiceProvider
from foundry.plugins import __version__


def by_name(data):
    return {row["name"]: row for row in data}


async def test_lists_the_installed_foundry_plugins_from_their_metadata(run):
    outcome = await run("plugin:list", format="json")
    assert outcome.exit_code == 0
    rows = by_name(outcome.result.data)
    installed = {ep.name for ep in entry_points(group="foundry.providers")}
    assert set(rows) == installed
    assert {"application", "plugins", "service-container"} <= set(rows)
    assert rows["plugins"] == {
        "name": "plugins",
        "distribution": "foundry-plugins",
        "version": __version__,
        "provider": "foundry.plugins.provider:PluginsServiceProvider",
        "status": "enabled",
        "enabled": True,
        "disabled_by": [],
        "commands": 3,
        "origin": "foundry",
        "error": None,
    }
    assert rows["application"]["commands"] == len(ApplicationServiceProvider.commands)
    assert rows["service-container"]["distribution"] == "foundry-service-container"
    assert list(rows) == sorted(rows)


async def test_a_third_party_plugin_is_listed_as_third_party(run, acme):
    rows = by_name((await run("plugin:list", format="json")).result.data)
    assert rows["acme"] == {
        "name": "acme",
        "distribution": "acme-ok",
        "version": "1.2.0",
        "provider": "acme_ok.provider:AcmeServiceProvider",
        "status": "enabled",
        "enabled": True,
        "disabled_by": [],
        "commands": 2,
        "origin": "third-party",
        "error": None,
    }


async def test_a_plugin_that_fails_to_import_is_listed_as_broken(run, broken, capsys):
    outcome = await run("plugin:list", format="json")
    assert outcome.exit_code == 0
    row = by_name(outcome.result.data)["shiny"]
    assert row["status"] == "broken"
    assert row["commands"] is None
    assert row["error"] == (
        'cannot import acme_shiny.provider for "acme_shiny.provider:ShinyServiceProvider": '
        "ModuleNotFoundError: No module named 'acme_shiny'"
    )
    assert "1 broken." in outcome.result.message

    human = await run("plugin:list")
    assert human.exit_code == 0
    printed = capsys.readouterr().out
    assert "Broken:" in printed
    assert "\n- shiny: cannot import acme_shiny" in printed


async def test_the_environment_variable_disables_and_says_so(run, acme, monkeypatch):
    monkeypatch.setenv("FOUNDRY_DONT_DISCOVER", "boost, ACME")
    row = by_name((await run("plugin:list", format="json")).result.data)["acme"]
    assert (row["status"], row["enabled"]) == ("disabled", False)
    assert row["disabled_by"] == ["FOUNDRY_DONT_DISCOVER"]


async def test_the_pyproject_list_disables_by_distribution_name(base, run, acme):
    (base / "pyproject.toml").write_text('[tool.foundry]\ndont-discover = ["acme-ok"]\n')
    row = by_name((await run("plugin:list", format="json")).result.data)["acme"]
    assert row["disabled_by"] == ["[tool.foundry] dont-discover"]


async def test_the_configuration_key_disables_and_says_so(app, run, acme):
    app.config.set("app.dont_discover", ["acme"])
    row = by_name((await run("plugin:list", format="json")).result.data)["acme"]
    assert row["disabled_by"] == ["config app.dont_discover"]


async def test_every_place_that_disables_a_plugin_is_named(app, base, run, acme, monkeypatch):
    monkeypatch.setenv("FOUNDRY_DONT_DISCOVER", "acme")
    (base / "pyproject.toml").write_text('[tool.foundry]\ndont-discover = ["acme"]\n')
    row = by_name((await run("plugin:list", format="json")).result.data)["acme"]
    assert row["disabled_by"] == ["FOUNDRY_DONT_DISCOVER", "[tool.foundry] dont-discover"]


async def test_a_wildcard_disables_every_plugin_but_the_kernel(base, run, acme):
    (base / "pyproject.toml").write_text('[tool.foundry]\ndont-discover = ["*"]\n')
    rows = by_name((await run("plugin:list", format="json")).result.data)
    assert rows["application"]["status"] == "enabled"
    assert {r["status"] for n, r in rows.items() if n != "application"} == {"disabled"}


async def test_the_table_shows_status_commands_and_origin(run, acme, monkeypatch, capsys):
    monkeypatch.setenv("FOUNDRY_DONT_DISCOVER", "acme")
    outcome = await run("plugin:list")
    printed = capsys.readouterr().out.splitlines()
    header = printed[0].split()
    assert header == ["Name", "Package", "Version", "Provider", "Status", "Commands", "Origin"]
    acme_row = next(line for line in printed if line.startswith("acme "))
    assert acme_row.split() == [
        "acme",
        "acme-ok",
        "1.2.0",
        "acme_ok.provider:AcmeServiceProvider",
        "disabled",
        "(FOUNDRY_DONT_DISCOVER)",
        "2",
        "third-party",
    ]
    assert outcome.result.message.endswith("1 disabled, 0 broken.")


async def test_an_unreadable_pyproject_is_a_clear_failure(base, run):
    (base / "pyproject.toml").write_text("[tool.foundry\n")
    outcome = await run("plugin:list", format="json")
    assert outcome.exit_code == 1
    assert outcome.error.startswith("pyproject.toml cannot be read: ")
