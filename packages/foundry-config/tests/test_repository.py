"""The layered repository on its own: order of layers, laziness, malformed values, TOML."""

from __future__ import annotations

import pytest

from foundry.config import ConfigDirectory, Repository
from foundry.domain.config import ConfigRepository
from foundry.domain.env import EnvVar
from foundry.domain.errors import ConfigurationError

DRIVER = EnvVar("CACHE_DRIVER", "cache.driver", "enum", "memory", choices=("memory", "redis"))
TTL = EnvVar("CACHE_TTL", "cache.ttl", "int", 60)
DEBUG = EnvVar("APP_DEBUG", "app.debug", "bool", False)
SECRET = EnvVar("MAIL_PASSWORD", "mail.password", "str", secret=True)


def test_layers_apply_lowest_to_highest(tmp_path, write):
    write(tmp_path / "config" / "cache.toml", 'driver = "file"\nttl = 5\nprefix = "toml"\n')
    repo = Repository(
        [DRIVER, TTL],
        files=ConfigDirectory(tmp_path / "config"),
        environ={"CACHE_DRIVER": "redis"},
    )
    assert repo.get("cache.driver") == "redis"  # environment over TOML over default
    assert repo.get("cache.ttl") == 5  # TOML over default
    assert repo.get("cache.prefix") == "toml"  # TOML only
    repo.set("cache.driver", "runtime")
    assert repo.get("cache.driver") == "runtime"  # runtime over everything
    assert isinstance(repo, ConfigRepository)


def test_default_applies_when_nothing_else_sets_a_key():
    repo = Repository([DRIVER, TTL], environ={})
    assert repo.get("cache") == {"driver": "memory", "ttl": 60}
    assert repo.get("cache.missing", "fallback") == "fallback"
    assert not repo.has("cache.missing")
    assert repo.has("cache.ttl")


def test_a_toml_table_is_a_sub_section(tmp_path, write):
    write(
        tmp_path / "config" / "cache.toml",
        'driver = "redis"\n[stores.redis]\nhost = "cache.local"\nport = 6380\n',
    )
    repo = Repository(files=ConfigDirectory(tmp_path / "config"), environ={})
    assert repo.get("cache.stores.redis") == {"host": "cache.local", "port": 6380}
    assert repo.all() == {
        "cache": {"driver": "redis", "stores": {"redis": {"host": "cache.local", "port": 6380}}}
    }


def test_layers_are_recomputed_when_declarations_grow_and_runtime_values_survive():
    declared: list[EnvVar] = []
    environ = {"CACHE_TTL": "99"}
    repo = Repository(lambda: declared, environ=environ)
    repo.set("app.name", "Set early")
    assert repo.get("cache.ttl") is None
    declared.extend([DRIVER, TTL])  # providers loaded after the bootstrapper ran
    assert repo.get("cache.ttl") == 99
    assert repo.get("cache.driver") == "memory"
    assert repo.get("app.name") == "Set early"
    repo.set("cache.driver", "redis")
    declared.append(DEBUG)
    assert repo.get("cache.driver") == "redis"
    assert repo.get("app.debug") is False


def test_reading_the_environment_happens_at_recomputation(monkeypatch):
    monkeypatch.setenv("CACHE_TTL", "7")
    repo = Repository([TTL])
    assert repo.get("cache.ttl") == 7
    monkeypatch.setenv("CACHE_TTL", "8")
    assert repo.get("cache.ttl") == 7  # computed once...
    repo.reload()
    assert repo.get("cache.ttl") == 8  # ...until reloaded


def test_malformed_value_raises_naming_the_env_line():
    repo = Repository(
        [DEBUG, DRIVER],
        environ={"APP_DEBUG": "maybe"},
        origins=lambda: {"APP_DEBUG": ".env line 3"},
    )
    with pytest.raises(ConfigurationError) as error:
        repo.get("app.debug")
    assert error.value.message == ".env line 3: APP_DEBUG=maybe is not a boolean (true/false)"
    with pytest.raises(ConfigurationError):
        repo.get("app.debug", default=True)  # never silently the default
    with pytest.raises(ConfigurationError):
        repo.get("app")  # the section holding it
    with pytest.raises(ConfigurationError):
        repo.all()
    assert repo.get("cache.driver") == "memory"  # other keys still answer


def test_malformed_value_from_the_process_says_environment():
    repo = Repository([DEBUG], environ={"APP_DEBUG": "maybe"})
    with pytest.raises(ConfigurationError) as error:
        repo.get("app.debug")
    assert error.value.message == "APP_DEBUG=maybe (environment) is not a boolean (true/false)"


def test_malformed_secret_is_masked_in_the_error():
    key = EnvVar("APP_KEY", "app.key", "key", secret=True)
    repo = Repository([key], environ={"APP_KEY": "too-short"})
    with pytest.raises(ConfigurationError) as error:
        repo.get("app.key")
    assert "too-short" not in error.value.message
    assert error.value.message.startswith("APP_KEY=****** (environment)")


def test_runtime_value_replaces_a_malformed_one():
    repo = Repository([DEBUG], environ={"APP_DEBUG": "maybe"})
    repo.set("app.debug", True)
    assert repo.get("app.debug") is True


def test_invalid_toml_names_file_line_and_column(tmp_path, write):
    write(tmp_path / "config" / "cache.toml", 'driver = "redis"\nttl = \n')
    with pytest.raises(ConfigurationError) as error:
        Repository(files=ConfigDirectory(tmp_path / "config"))
    assert error.value.message.startswith("config/cache.toml line 2, column 7: invalid TOML: ")
    assert error.value.context["line"] == 2
    assert error.value.context["column"] == 7


def test_toml_error_at_end_of_document_still_has_a_line(tmp_path, write):
    write(tmp_path / "config" / "app.toml", 'name = "x"\nurl = "unterminated')
    with pytest.raises(ConfigurationError, match=r"^config/app\.toml line 2, column \d+: "):
        ConfigDirectory(tmp_path / "config")()


def test_reload_rereads_toml_files_and_keeps_runtime_values(tmp_path, write):
    path = write(tmp_path / "config" / "cache.toml", "ttl = 1\n")
    repo = Repository([TTL], files=ConfigDirectory(tmp_path / "config"), environ={})
    repo.set("cache.extra", "kept")
    assert repo.get("cache.ttl") == 1
    path.write_text("ttl = 2\n")
    repo.reload()
    assert repo.get("cache.ttl") == 2
    assert repo.get("cache.extra") == "kept"


def test_problems_lists_every_malformed_value():
    repo = Repository([DEBUG, TTL], environ={"APP_DEBUG": "maybe", "CACHE_TTL": "x"})
    assert repo.problems() == [
        "APP_DEBUG=maybe (environment) is not a boolean (true/false)",
        "CACHE_TTL=x (environment) is not an integer",
    ]
