"""``config:validate`` reports every problem, as text or JSON, and exits 1 on any."""

from __future__ import annotations

from typing import ClassVar

from foundry.config_layer.provider import ConfigLayerServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider


class CacheProvider(ServiceProvider):
    name = "cache"
    config_sections: ClassVar = {"cache": "config_layer_schemas:CacheSettings"}
    env: ClassVar = (EnvVar("CACHE_TTL", "cache.ttl", "str"),)


def loaded(make_app):
    """Loaded, not booted: a broken configuration must not stop the command itself."""
    return make_app(ConfigLayerServiceProvider, CacheProvider).load()


async def test_a_valid_configuration_passes(make_app, write):
    write("config/cache.toml", "ttl = 60\n")
    outcome = await loaded(make_app).make(CommandRunner).run("config:validate", format="json")
    assert outcome.exit_code == 0
    assert outcome.result.message == "Configuration is valid (1 section checked)."
    assert outcome.result.data == {
        "valid": True,
        "sections": [
            {
                "section": "cache",
                "schema": "config_layer_schemas:CacheSettings",
                "provider": "cache",
                "valid": True,
            }
        ],
        "problems": [],
    }


async def test_every_problem_is_reported_as_json_and_the_exit_code_is_1(
    make_app, write, monkeypatch
):
    write("config/cache.toml", 'colour = "red"\n')
    write("config/extra.toml", "x = 1\n")
    monkeypatch.setenv("CACHE_TTL", "soon")
    app = loaded(make_app)
    outcome = await app.make(CommandRunner).run("config:validate", format="json")
    assert outcome.exit_code == 1
    assert outcome.result.message == "Invalid configuration: 3 problems found."
    data = outcome.result.data
    assert data["valid"] is False
    assert data["sections"][0]["valid"] is False
    assert [(p["key"], p["kind"], p["source"]) for p in data["problems"]] == [
        ("cache.ttl", "invalid", "CACHE_TTL"),
        ("cache.colour", "unknown_key", "config/cache.toml"),
        ("extra", "unknown_section", "config/extra.toml"),
    ]
    assert data["problems"][0]["text"] == (
        'cache.ttl: Input should be a valid integer (got "soon" from CACHE_TTL)'
    )


async def test_human_output_lists_sections_and_problems(make_app, write, capsys):
    write("config/cache.toml", 'ttl = "soon"\n')
    outcome = await loaded(make_app).make(CommandRunner).run("config:validate")
    assert outcome.exit_code == 1
    printed = capsys.readouterr().out
    assert "cache    config_layer_schemas:CacheSettings  cache        1 problem(s)" in printed
    assert (
        '\n- cache.ttl: Input should be a valid integer (got "soon" from config/cache.toml)'
        in printed
    )


async def test_no_declared_section_is_said_plainly(base, capsys):
    from foundry.application import Application

    app = Application(base, providers=[ConfigLayerServiceProvider], discover=False)
    outcome = await app.make(CommandRunner).run("config:validate")
    assert outcome.exit_code == 0
    assert "No installed provider declares a configuration section." in capsys.readouterr().out
