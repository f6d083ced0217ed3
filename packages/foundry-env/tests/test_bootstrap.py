"""The bootstrapper against real files, inside a real kernel."""

from __future__ import annotations

import os

import pytest

from foundry.application import Application
from foundry.domain.errors import ConfigurationError
from foundry.env import ORIGINS_KEY, DotEnv, EnvBootstrapper, select_env_file


def test_env_file_is_loaded_into_the_process_before_providers(base, write, make_app):
    write(
        base / ".env", "APP_NAME='Loaded App'\nexport CACHE_DRIVER=redis\nCACHE_TTL=${PORT:-60}\n"
    )
    app = make_app(boot=False)
    app.load()
    assert os.environ["APP_NAME"] == "Loaded App"
    assert os.environ["CACHE_DRIVER"] == "redis"
    assert os.environ["CACHE_TTL"] == "60"
    assert app.config.get("app.name") == "Loaded App"


def test_bootstrapper_is_registered_with_order_10():
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="foundry.bootstrappers") if e.name == "env"]
    assert entry.value == "foundry.env.bootstrap:EnvBootstrapper"
    assert entry.load().order == 10


def test_process_environment_wins_over_the_file(base, write, make_app, monkeypatch):
    monkeypatch.setenv("APP_NAME", "From Process")
    write(base / ".env", "APP_NAME=From File\nCACHE_DRIVER=file\n")
    app = make_app()
    assert os.environ["APP_NAME"] == "From Process"
    assert os.environ["CACHE_DRIVER"] == "file"
    env = app.make(DotEnv)
    assert env.source_of("APP_NAME") == "process"
    assert env.source_of("CACHE_DRIVER") == ".env line 2"


def test_origins_map_is_bound_in_the_container(base, write, make_app):
    write(base / ".env", "# header\n\nAPP_DEBUG=maybe\n")
    app = make_app()
    assert app.make(ORIGINS_KEY) == {"APP_DEBUG": ".env line 3"}


def test_app_env_from_the_process_selects_the_environment_file(base, write, make_app, monkeypatch):
    monkeypatch.setenv("APP_ENV", "testing")
    write(base / ".env", "APP_NAME=Main\n")
    write(base / ".env.testing", "APP_NAME=Testing\n")
    app = make_app()
    assert os.environ["APP_NAME"] == "Testing"
    assert app.make(DotEnv).label == ".env.testing"
    assert app.make(ORIGINS_KEY) == {"APP_NAME": ".env.testing line 1"}


def test_app_env_without_its_file_falls_back_to_env(base, write, make_app, monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    write(base / ".env", "APP_NAME=Main\n")
    make_app()
    assert os.environ["APP_NAME"] == "Main"


def test_app_env_set_only_in_the_file_does_not_switch_files(base, write, make_app):
    write(base / ".env", "APP_ENV=testing\nAPP_NAME=Main\n")
    write(base / ".env.testing", "APP_NAME=Testing\n")
    make_app()
    assert os.environ["APP_NAME"] == "Main"


def test_app_env_cannot_point_outside_the_application(tmp_path):
    (tmp_path / ".env.x").write_text("")
    assert select_env_file(tmp_path, "../etc") == tmp_path / ".env"
    assert select_env_file(tmp_path, "x") == tmp_path / ".env.x"


def test_missing_env_file_loads_nothing(base, make_app):
    app = make_app()
    env = app.make(DotEnv)
    assert not env.exists
    assert app.make(ORIGINS_KEY) == {}
    assert "APP_NAME" not in os.environ


def test_malformed_line_fails_the_boot_with_one_clear_error(base, write, make_app):
    write(base / ".env", "APP_NAME=ok\n" + "\n" * 10 + "FOO BAR\n")
    with pytest.raises(ConfigurationError) as error:
        make_app()
    assert error.value.message == '.env line 12: cannot parse "FOO BAR" (expected KEY=value)'
    assert "APP_NAME" not in os.environ  # nothing half-loaded


def test_reload_replaces_values_it_set_and_never_process_ones(tmp_path, write):
    environ = {"APP_NAME": "process"}
    write(tmp_path / ".env", "APP_NAME=file\nCACHE_DRIVER=file\nCACHE_TTL=10\n")
    env = DotEnv(tmp_path, environ)
    first = env.load()
    assert first.added == {"CACHE_DRIVER": "file", "CACHE_TTL": "10"}
    assert first.shadowed == ("APP_NAME",)

    write(tmp_path / ".env", "APP_NAME=file2\nCACHE_DRIVER=redis\nMAIL_HOST=smtp\n")
    changes = env.reload()
    assert changes.added == {"MAIL_HOST": "smtp"}
    assert changes.changed == {"CACHE_DRIVER": ("file", "redis")}
    assert changes.removed == {"CACHE_TTL": "10"}
    assert environ == {"APP_NAME": "process", "CACHE_DRIVER": "redis", "MAIL_HOST": "smtp"}
    assert env.origins == {"CACHE_DRIVER": ".env line 2", "MAIL_HOST": ".env line 3"}


def test_reload_interpolates_against_new_values_not_stale_ones(tmp_path, write):
    environ: dict[str, str] = {}
    write(tmp_path / ".env", "HOST=old\nURL=http://${HOST}\n")
    env = DotEnv(tmp_path, environ)
    env.load()
    write(tmp_path / ".env", "HOST=new\nURL=http://${HOST}\n")
    env.reload()
    assert environ["URL"] == "http://new"


def test_a_value_changed_by_the_program_is_left_alone_on_reload(tmp_path, write):
    environ: dict[str, str] = {}
    write(tmp_path / ".env", "NAME=file\n")
    env = DotEnv(tmp_path, environ)
    env.load()
    environ["NAME"] = "changed at run time"
    env.reload()
    assert environ["NAME"] == "changed at run time"
    assert env.source_of("NAME") == "process"


def test_failed_reload_changes_nothing(tmp_path, write):
    environ: dict[str, str] = {}
    write(tmp_path / ".env", "NAME=one\n")
    env = DotEnv(tmp_path, environ)
    env.load()
    write(tmp_path / ".env", "NAME=two\nBROKEN LINE\n")
    with pytest.raises(ConfigurationError, match="line 2"):
        env.reload()
    assert environ == {"NAME": "one"}
    assert env.origins == {"NAME": ".env line 1"}


def test_bootstrapper_satisfies_the_contract():
    from foundry.domain.application import Bootstrapper

    assert isinstance(EnvBootstrapper(), Bootstrapper)


def test_kernel_without_this_provider_still_gets_env_loaded(base, write):
    write(base / ".env", "APP_NAME=Bare Kernel\n")
    app = Application(base, discover=False).boot()
    assert app.config.get("app.name") == "Bare Kernel"
