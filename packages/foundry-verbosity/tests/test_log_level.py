"""``LOG_LEVEL`` is a baseline: it can add detail to any verbosity and never hide errors."""

from __future__ import annotations

import logging

import pytest

from foundry.domain.commands import Verbosity
from foundry.domain.errors import ConfigurationError
from foundry.verbosity import NOTICE, LoggingConfigurator


def test_unset_log_level_leaves_normal_runs_at_warning(records: list[logging.LogRecord]) -> None:
    LoggingConfigurator().apply(Verbosity.NORMAL)
    logging.getLogger("foundry.cache").info("hidden")
    logging.getLogger("foundry.cache").warning("shown")
    assert [r.getMessage() for r in records] == ["shown"]


def test_lower_log_level_wins_over_the_verbosity(
    monkeypatch: pytest.MonkeyPatch, records: list[logging.LogRecord]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")
    LoggingConfigurator().apply(Verbosity.NORMAL)
    logging.getLogger("foundry.cache").debug("framework detail")
    logging.getLogger("app").debug("app detail")
    logging.getLogger("sqlalchemy.engine").info("SELECT 1")
    assert [r.getMessage() for r in records] == ["framework detail", "app detail", "SELECT 1"]


def test_log_level_info_adds_app_and_framework_detail_but_no_sql(
    monkeypatch: pytest.MonkeyPatch, records: list[logging.LogRecord]
) -> None:
    """`env:example` writes LOG_LEVEL=info as an active line: a plain console command must
    not then print every SQL statement, connection and HTTP request of the libraries."""
    monkeypatch.setenv("LOG_LEVEL", "info")
    LoggingConfigurator().apply(Verbosity.NORMAL)
    logging.getLogger("foundry.cache").info("framework info")
    logging.getLogger("app").info("app info")
    logging.getLogger("sqlalchemy.engine.Engine").info("SELECT 1")
    logging.getLogger("httpx").info("HTTP Request: GET https://example.test")
    logging.getLogger("sqlalchemy.engine").warning("library warnings still show")
    assert [r.getMessage() for r in records] == [
        "framework info",
        "app info",
        "library warnings still show",
    ]


@pytest.mark.parametrize("level", ["info", "notice"])
def test_only_log_level_debug_or_vvv_opens_the_noisy_libraries(level: str) -> None:
    above_debug = LoggingConfigurator(environ={"LOG_LEVEL": level})
    assert above_debug.plan(Verbosity.NORMAL).noisy == logging.WARNING
    assert above_debug.plan(Verbosity.VERY_VERBOSE).noisy == logging.WARNING
    assert above_debug.plan(Verbosity.DEBUG).noisy == logging.DEBUG
    debug = LoggingConfigurator(environ={"LOG_LEVEL": "debug"})
    assert debug.plan(Verbosity.NORMAL).noisy == logging.DEBUG


def test_log_level_still_lowers_a_quiet_runs_libraries_to_warnings() -> None:
    plan = LoggingConfigurator(environ={"LOG_LEVEL": "warning"}).plan(Verbosity.QUIET)
    assert plan.names() == {"foundry": "WARNING", "root": "WARNING", "noisy": "WARNING"}
    plan = LoggingConfigurator(environ={"LOG_LEVEL": "info"}).plan(Verbosity.QUIET)
    assert plan.names() == {"foundry": "INFO", "root": "INFO", "noisy": "WARNING"}


def test_higher_log_level_never_hides_what_the_verbosity_shows(
    monkeypatch: pytest.MonkeyPatch, records: list[logging.LogRecord]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "critical")
    LoggingConfigurator().apply(Verbosity.VERBOSE)
    logging.getLogger("foundry.cache").info("still shown")
    logging.getLogger("app").error("errors too")
    assert [r.getMessage() for r in records] == ["still shown", "errors too"]


def test_log_level_lowers_even_a_quiet_run(
    monkeypatch: pytest.MonkeyPatch, records: list[logging.LogRecord]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "info")
    LoggingConfigurator().apply(Verbosity.QUIET)
    logging.getLogger("app").info("asked for by LOG_LEVEL")
    assert [r.getMessage() for r in records] == ["asked for by LOG_LEVEL"]


def test_log_level_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", " DEBUG ")
    assert LoggingConfigurator().plan(Verbosity.NORMAL).root == logging.DEBUG


def test_notice_sits_between_info_and_warning(
    monkeypatch: pytest.MonkeyPatch,
    records: list[logging.LogRecord],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "notice")
    LoggingConfigurator().apply(Verbosity.QUIET)
    logging.getLogger("app").info("too chatty")
    logging.getLogger("app").log(NOTICE, "worth noting")
    assert NOTICE == logging.INFO + 5
    assert [r.getMessage() for r in records] == ["worth noting"]
    assert capsys.readouterr().err == "NOTICE: worth noting\n"


def test_log_level_is_read_at_each_apply(
    monkeypatch: pytest.MonkeyPatch, records: list[logging.LogRecord]
) -> None:
    configurator = LoggingConfigurator()
    configurator.apply(Verbosity.NORMAL)
    monkeypatch.setenv("LOG_LEVEL", "debug")  # e.g. a .env loaded after construction
    configurator.apply(Verbosity.NORMAL)
    logging.getLogger("app").debug("now shown")
    assert [r.getMessage() for r in records] == ["now shown"]


def test_invalid_log_level_is_ignored_with_a_warning_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    records: list[logging.LogRecord],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "verbose")
    LoggingConfigurator().apply(Verbosity.NORMAL)
    logging.getLogger("app").info("hidden: no baseline")
    err = capsys.readouterr().err
    assert "LOG_LEVEL=verbose is not one of debug, info, notice, warning, error, critical" in err
    assert [r.name for r in records] == ["foundry.verbosity"]


def test_explicit_log_level_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")
    plan = LoggingConfigurator(log_level="error").plan(Verbosity.NORMAL)
    assert plan.root == logging.WARNING


def test_environ_mapping_can_be_given() -> None:
    plan = LoggingConfigurator(environ={"LOG_LEVEL": "debug"}).plan(Verbosity.QUIET)
    assert plan.names() == {"foundry": "DEBUG", "root": "DEBUG", "noisy": "DEBUG"}


def test_invalid_explicit_log_level_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"Log level 'loud' is not one of debug, info"):
        LoggingConfigurator(log_level="loud")


def test_unknown_verbosity_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"Verbosity 7 is not a level.*DEBUG=4"):
        LoggingConfigurator().apply(7)  # type: ignore[arg-type]
