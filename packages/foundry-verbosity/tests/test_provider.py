"""The provider, booted by the real kernel: LogConfigurator resolves to one configurator."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.domain.commands import Verbosity
from foundry.domain.console import LogConfigurator
from foundry.domain.env import EnvVar, resolve_env
from foundry.verbosity import LOG_LEVEL, LoggingConfigurator, VerbosityServiceProvider


def boot(tmp_path: Path) -> Application:
    app = Application(base_path=tmp_path, providers=[VerbosityServiceProvider], discover=False)
    app.boot()
    return app


def test_provider_is_registered_under_the_foundry_providers_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="foundry.providers")}
    assert found["verbosity"] == "foundry.verbosity.provider:VerbosityServiceProvider"
    assert VerbosityServiceProvider.provides == (LogConfigurator,)


def test_log_configurator_is_a_singleton(tmp_path: Path) -> None:
    app = boot(tmp_path)
    configurator = app.make(LogConfigurator)
    assert isinstance(configurator, LoggingConfigurator)
    assert isinstance(configurator, LogConfigurator)
    assert app.make(LogConfigurator) is configurator


def test_log_level_is_declared_for_env_validate(tmp_path: Path) -> None:
    declared = EnvVar(
        "LOG_LEVEL",
        "logging.level",
        "enum",
        "info",
        choices=("debug", "info", "notice", "warning", "error", "critical"),
        description=LOG_LEVEL.description,
    )
    assert declared == LOG_LEVEL
    assert LOG_LEVEL in VerbosityServiceProvider.env
    assert LOG_LEVEL in boot(tmp_path).env_vars


def test_declared_log_level_accepts_every_level_and_rejects_others() -> None:
    values, problems = resolve_env([LOG_LEVEL], {"LOG_LEVEL": "Notice"})
    assert values == {"logging.level": "notice"}
    assert problems == []
    _, problems = resolve_env([LOG_LEVEL], {"LOG_LEVEL": "verbose"})
    assert str(problems[0]) == (
        "LOG_LEVEL=verbose is not one of debug, info, notice, warning, error, critical"
    )


def test_the_bound_configurator_applies_levels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configurator = boot(tmp_path).make(LogConfigurator)
    configurator.apply(Verbosity.VERBOSE)
    logging.getLogger("foundry.app").info("booted")
    assert capsys.readouterr() == ("", "INFO: booted\n")
    assert configurator.shows_tracebacks(Verbosity.DEBUG)
