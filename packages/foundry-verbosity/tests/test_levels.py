"""Which records each verbosity lets through, captured as real log records."""

from __future__ import annotations

import logging

import pytest

from foundry.domain.commands import Verbosity
from foundry.verbosity import LoggingConfigurator

LOGGERS = ("foundry.cache", "app.orders", "sqlalchemy.engine", "httpx")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def emit_everything() -> None:
    for name in LOGGERS:
        for level in LEVELS:
            logging.getLogger(name).log(getattr(logging, level), "%s from %s", level, name)


def seen(records: list[logging.LogRecord]) -> set[tuple[str, str]]:
    return {(r.name, r.levelname) for r in records}


def allowed(threshold: dict[str, str]) -> set[tuple[str, str]]:
    order = {name: index for index, name in enumerate(LEVELS)}
    return {
        (name, level)
        for name in LOGGERS
        for level in LEVELS
        if order[level] >= order[threshold[name]]
    }


EXPECTED = {
    Verbosity.QUIET: dict.fromkeys(LOGGERS, "ERROR"),
    Verbosity.NORMAL: dict.fromkeys(LOGGERS, "WARNING"),
    Verbosity.VERBOSE: {
        "foundry.cache": "INFO",
        "app.orders": "INFO",
        "sqlalchemy.engine": "WARNING",
        "httpx": "WARNING",
    },
    Verbosity.VERY_VERBOSE: {
        "foundry.cache": "DEBUG",
        "app.orders": "INFO",
        "sqlalchemy.engine": "WARNING",
        "httpx": "WARNING",
    },
    Verbosity.DEBUG: dict.fromkeys(LOGGERS, "DEBUG"),
}


@pytest.mark.parametrize("verbosity", list(Verbosity))
def test_each_verbosity_lets_through_its_levels(
    verbosity: Verbosity, records: list[logging.LogRecord]
) -> None:
    LoggingConfigurator().apply(verbosity)
    emit_everything()
    assert seen(records) == allowed(EXPECTED[verbosity])


def test_debug_shows_sql_and_http_client_lines(records: list[logging.LogRecord]) -> None:
    LoggingConfigurator().apply(Verbosity.DEBUG)
    logging.getLogger("sqlalchemy.engine.Engine").info("SELECT 1")
    logging.getLogger("httpx").debug("GET https://example.test")
    assert [r.getMessage() for r in records] == ["SELECT 1", "GET https://example.test"]


def test_very_verbose_still_hides_sql(records: list[logging.LogRecord]) -> None:
    LoggingConfigurator().apply(Verbosity.VERY_VERBOSE)
    logging.getLogger("sqlalchemy.engine.Engine").info("SELECT 1")
    assert records == []


def test_a_later_apply_replaces_the_earlier_levels(records: list[logging.LogRecord]) -> None:
    configurator = LoggingConfigurator()
    configurator.apply(Verbosity.DEBUG)
    configurator.apply(Verbosity.QUIET)
    emit_everything()
    assert seen(records) == allowed(EXPECTED[Verbosity.QUIET])


def test_plan_describes_the_levels_without_applying_them() -> None:
    before = logging.getLogger("foundry").level
    plan = LoggingConfigurator().plan(Verbosity.VERY_VERBOSE)
    assert plan.names() == {"foundry": "DEBUG", "root": "INFO", "noisy": "WARNING"}
    assert plan.detailed is True
    assert plan.tracebacks is False
    assert logging.getLogger("foundry").level == before


def test_applied_reports_the_last_plan() -> None:
    configurator = LoggingConfigurator()
    assert configurator.applied is None
    configurator.apply(Verbosity.VERBOSE)
    assert configurator.applied == configurator.plan(Verbosity.VERBOSE)
