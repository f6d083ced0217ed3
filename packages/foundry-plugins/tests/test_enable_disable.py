"""``plugin:disable`` / ``plugin:enable`` edit ``[tool.foundry] dont-discover`` in place."""

from __future__ import annotations

import pytest

from foundry.application import Application

PYPROJECT = """\
# The shop application.
[project]
name = "shop"  # keep in sync with the docs
version = "1.0.0"

[tool.foundry]
# the app's own providers
providers = ["app.providers:AppServiceProvider"]

[tool.ruff]
line-length = 100  # house style
"""

LISTED = """\
[tool.foundry]
dont-discover = [
    "boost",  # not in production
    "acme",
]
commands = ["app.commands"]
"""


@pytest.fixture
def pyproject(base):
    path = base / "pyproject.toml"
    path.write_text(PYPROJECT)
    return path


async def test_disable_then_enable_restores_the_file_byte_for_byte(pyproject, run, acme):
    outcome = await run("plugin:disable", "acme")
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.message == (
        'Disabled acme (acme-ok): "acme" added to [tool.foundry] dont-discover in pyproject.toml.'
    )
    text = pyproject.read_text()
    assert 'providers = ["app.providers:AppServiceProvider"]\ndont-discover = ["acme"]\n' in text
    assert "# the app's own providers" in text
    assert 'name = "shop"  # keep in sync with the docs' in text

    outcome = await run("plugin:enable", "acme")
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.message == (
        'Enabled acme (acme-ok): "acme" removed from [tool.foundry] dont-discover in '
        "pyproject.toml."
    )
    assert pyproject.read_text() == PYPROJECT


async def test_the_kernel_honours_what_disable_and_enable_wrote(base, run, acme):
    (base / "pyproject.toml").write_text('[project]\nname = "shop"\n\n[tool.foundry]\n')
    await run("plugin:disable", "acme")
    names = [label for label, _ in Application(base).load().provider_labels()]
    assert "acme-ok (acme)" not in names
    await run("plugin:enable", "acme")
    names = [label for label, _ in Application(base).load().provider_labels()]
    assert "acme-ok (acme)" in names


async def test_a_distribution_name_is_accepted_and_written_as_given(pyproject, run, acme):
    outcome = await run("plugin:disable", "ACME-OK", format="json")
    assert outcome.result.data["entries"] == ["acme-ok"]
    assert 'dont-discover = ["acme-ok"]' in pyproject.read_text()
    enabled = await run("plugin:enable", "acme", format="json")
    assert enabled.result.data["entries"] == ["acme-ok"]
    assert pyproject.read_text() == PYPROJECT


async def test_disable_appends_to_a_multiline_list_keeping_its_comments(base, run, acme):
    path = base / "pyproject.toml"
    path.write_text(LISTED.replace('    "acme",\n', ""))
    await run("plugin:disable", "acme")
    assert path.read_text() == LISTED


async def test_enable_removes_only_its_entry_and_keeps_the_others(base, run, acme):
    path = base / "pyproject.toml"
    path.write_text(LISTED)
    await run("plugin:enable", "acme")
    assert path.read_text() == (
        '[tool.foundry]\ndont-discover = [\n    "boost",  # not in production\n]\n'
        'commands = ["app.commands"]\n'
    )


async def test_the_table_and_key_are_created_when_missing(base, run, acme):
    path = base / "pyproject.toml"
    path.write_text('[project]\nname = "shop"\n\n[tool.ruff]\nline-length = 100\n')
    await run("plugin:disable", "acme")
    assert path.read_text() == (
        '[project]\nname = "shop"\n\n[tool.ruff]\nline-length = 100\n\n'
        '[tool.foundry]\ndont-discover = ["acme"]\n'
    )
    await run("plugin:enable", "acme")
    assert path.read_text() == (
        '[project]\nname = "shop"\n\n[tool.ruff]\nline-length = 100\n\n[tool.foundry]\n'
    )


async def test_the_file_is_created_when_the_app_has_none(base, run, acme):
    outcome = await run("plugin:disable", "acme")
    assert outcome.exit_code == 0
    assert (base / "pyproject.toml").read_text() == '[tool.foundry]\ndont-discover = ["acme"]\n'


async def test_a_single_string_value_becomes_a_list(base, run, acme):
    path = base / "pyproject.toml"
    path.write_text('[tool.foundry]\ndont-discover = "boost"\n')
    await run("plugin:disable", "acme")
    assert path.read_text() == '[tool.foundry]\ndont-discover = ["boost", "acme"]\n'


async def test_an_unknown_name_fails_with_suggestions(pyproject, run, acme):
    outcome = await run("plugin:disable", "acm")
    assert outcome.exit_code == 1
    assert outcome.error == (
        'No installed plugin is named "acm". Did you mean: acme, acme-ok? '
        "Run plugin:list to see them all."
    )
    assert pyproject.read_text() == PYPROJECT


@pytest.mark.parametrize("name", ["application", "foundry-application"])
async def test_disabling_the_kernel_is_refused(pyproject, run, name):
    outcome = await run("plugin:disable", name)
    assert outcome.exit_code == 1
    assert outcome.error.startswith('Refusing to disable "application": it is the Foundry kernel')
    assert pyproject.read_text() == PYPROJECT


@pytest.mark.parametrize("name", ["plugins", "Foundry-Plugins"])
async def test_disabling_the_plugin_manager_itself_is_refused(pyproject, run, name):
    outcome = await run("plugin:disable", name)
    assert outcome.exit_code == 1
    assert outcome.error == (
        'Refusing to disable "plugins": it provides plugin:enable, so the app would lose the '
        "command that turns plugins back on. Edit [tool.foundry] dont-discover in "
        "pyproject.toml by hand if you really mean it."
    )
    assert pyproject.read_text() == PYPROJECT


async def test_enabling_a_plugin_the_environment_disables_explains_and_writes_nothing(
    app, base, run, acme, monkeypatch
):
    path = base / "pyproject.toml"
    path.write_text(LISTED)
    monkeypatch.setenv("FOUNDRY_DONT_DISCOVER", "acme")
    app.instance("env.origins", {"FOUNDRY_DONT_DISCOVER": ".env line 7"})
    outcome = await run("plugin:enable", "acme")
    assert outcome.exit_code == 1
    assert outcome.error == (
        "acme is disabled by the FOUNDRY_DONT_DISCOVER environment variable (set at .env "
        "line 7); remove it from FOUNDRY_DONT_DISCOVER where that is set (the shell, the "
        "service definition or .env): plugin:enable only edits pyproject.toml."
    )
    assert path.read_text() == LISTED


async def test_enabling_a_plugin_the_configuration_disables_explains(app, pyproject, run, acme):
    app.config.set("app.dont_discover", ["acme"])
    outcome = await run("plugin:enable", "acme")
    assert outcome.exit_code == 1
    assert outcome.error == (
        "acme is disabled by the configuration key app.dont_discover; remove it there: "
        "plugin:enable only edits pyproject.toml."
    )


async def test_enabling_under_a_wildcard_is_refused(base, run, acme):
    path = base / "pyproject.toml"
    path.write_text('[tool.foundry]\ndont-discover = ["*"]\n')
    outcome = await run("plugin:enable", "acme")
    assert outcome.exit_code == 1
    assert outcome.error.startswith('[tool.foundry] dont-discover holds "*"')
    assert path.read_text() == '[tool.foundry]\ndont-discover = ["*"]\n'


async def test_dry_run_shows_the_diff_and_writes_nothing(pyproject, run, acme, capsys):
    outcome = await run("plugin:disable", "acme", dry_run=True)
    assert outcome.exit_code == 0
    assert outcome.result.message.startswith("Would disable acme (acme-ok)")
    assert outcome.result.data["written"] is False
    assert pyproject.read_text() == PYPROJECT
    printed = capsys.readouterr().out
    assert "--- a/pyproject.toml\n+++ b/pyproject.toml\n" in printed
    assert '+dont-discover = ["acme"]\n' in printed


async def test_dry_run_of_enable_writes_nothing(base, run, acme):
    path = base / "pyproject.toml"
    path.write_text(LISTED)
    outcome = await run("plugin:enable", "acme", dry_run=True, format="json")
    assert outcome.result.data["changed"] is True
    assert '-    "acme",\n' in outcome.result.data["diff"]
    assert path.read_text() == LISTED


async def test_disabling_twice_changes_nothing_the_second_time(pyproject, run, acme):
    await run("plugin:disable", "acme")
    once = pyproject.read_text()
    outcome = await run("plugin:disable", "acme-ok")
    assert outcome.exit_code == 0
    assert outcome.result.status.value == "skipped"
    assert outcome.result.message == (
        "acme (acme-ok) is already disabled: [tool.foundry] dont-discover lists acme."
    )
    assert pyproject.read_text() == once


async def test_enabling_an_enabled_plugin_changes_nothing(pyproject, run, acme):
    outcome = await run("plugin:enable", "acme")
    assert outcome.result.status.value == "skipped"
    assert outcome.result.message == "acme (acme-ok) is already enabled."
    assert pyproject.read_text() == PYPROJECT


async def test_an_uninstalled_plugin_still_listed_can_be_enabled(base, run):
    path = base / "pyproject.toml"
    path.write_text('[tool.foundry]\ndont-discover = ["gone", "boost"]\n')
    outcome = await run("plugin:enable", "gone")
    assert outcome.exit_code == 0
    assert outcome.result.message == (
        'Enabled "gone" (not installed): "gone" removed from [tool.foundry] dont-discover in '
        "pyproject.toml."
    )
    assert path.read_text() == '[tool.foundry]\ndont-discover = ["boost"]\n'


async def test_a_broken_plugin_can_be_disabled(pyproject, run, broken):
    outcome = await run("plugin:disable", "shiny")
    assert outcome.exit_code == 0
    assert 'dont-discover = ["shiny"]' in pyproject.read_text()
