"""One stderr handler, installed once; nothing ever on stdout; tracebacks only at -vvv."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import textwrap

import pytest

from foundry.domain.commands import Verbosity
from foundry.verbosity import LoggingConfigurator
from foundry.verbosity.handler import StderrHandler, find_handlers


def fail() -> None:
    raise ValueError("bad input")


def test_apply_twice_installs_one_handler_and_writes_each_line_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configurator = LoggingConfigurator()
    configurator.apply(Verbosity.VERBOSE)
    configurator.apply(Verbosity.VERBOSE)
    LoggingConfigurator().apply(Verbosity.VERBOSE)  # a second instance, too
    logging.getLogger("foundry.cache").info("cleared")
    assert len(find_handlers(logging.getLogger())) == 1
    assert capsys.readouterr().err == "INFO: cleared\n"


def test_duplicate_handlers_left_by_others_are_collapsed() -> None:
    root = logging.getLogger()
    root.addHandler(StderrHandler())
    root.addHandler(StderrHandler())
    LoggingConfigurator().apply(Verbosity.NORMAL)
    assert len(find_handlers(root)) == 1


def test_other_handlers_are_left_alone() -> None:
    root = logging.getLogger()
    file_like = logging.StreamHandler(io.StringIO())
    root.addHandler(file_like)
    LoggingConfigurator().apply(Verbosity.NORMAL)
    assert file_like in root.handlers


@pytest.mark.parametrize("verbosity", list(Verbosity))
def test_nothing_is_written_to_stdout(
    verbosity: Verbosity, capsys: pytest.CaptureFixture[str]
) -> None:
    LoggingConfigurator().apply(verbosity)
    for name in ("foundry.cache", "app", "sqlalchemy.engine"):
        for level in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR):
            logging.getLogger(name).log(level, "line")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "ERROR: line" in captured.err or "ERROR    " in captured.err


def test_a_fixed_stream_receives_the_lines() -> None:
    stream = io.StringIO()
    LoggingConfigurator(stream=stream).apply(Verbosity.NORMAL)
    logging.getLogger("app").warning("disk almost full")
    assert stream.getvalue() == "WARNING: disk almost full\n"


def test_normal_lines_are_short(capsys: pytest.CaptureFixture[str]) -> None:
    LoggingConfigurator().apply(Verbosity.VERBOSE)
    logging.getLogger("foundry.queue").info("3 jobs waiting")
    assert capsys.readouterr().err == "INFO: 3 jobs waiting\n"


@pytest.mark.parametrize("verbosity", [Verbosity.VERY_VERBOSE, Verbosity.DEBUG])
def test_detailed_lines_carry_time_and_logger_name(
    verbosity: Verbosity, capsys: pytest.CaptureFixture[str]
) -> None:
    LoggingConfigurator().apply(verbosity)
    logging.getLogger("foundry.queue").debug("polling")
    line = capsys.readouterr().err
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3} DEBUG    foundry\.queue: polling\n", line), line


@pytest.mark.parametrize(
    ("verbosity", "shows"),
    [
        (Verbosity.QUIET, False),
        (Verbosity.NORMAL, False),
        (Verbosity.VERBOSE, False),
        (Verbosity.VERY_VERBOSE, False),
        (Verbosity.DEBUG, True),
    ],
)
def test_tracebacks_only_at_debug(verbosity: Verbosity, shows: bool) -> None:
    assert LoggingConfigurator().shows_tracebacks(verbosity) is shows


def test_logged_exception_is_one_line_below_debug(capsys: pytest.CaptureFixture[str]) -> None:
    LoggingConfigurator().apply(Verbosity.NORMAL)
    try:
        fail()
    except ValueError:
        logging.getLogger("app").exception("import failed", stack_info=True)
    assert capsys.readouterr().err == "ERROR: import failed\nValueError: bad input\n"


def test_logged_exception_has_its_traceback_at_debug(capsys: pytest.CaptureFixture[str]) -> None:
    LoggingConfigurator().apply(Verbosity.DEBUG)
    try:
        fail()
    except ValueError:
        logging.getLogger("app").exception("import failed")
    err = capsys.readouterr().err
    assert "Traceback (most recent call last):" in err
    assert 'raise ValueError("bad input")' in err
    assert err.rstrip().endswith("ValueError: bad input")


def test_shortening_does_not_rob_other_handlers_of_the_traceback() -> None:
    other = io.StringIO()
    root = logging.getLogger()
    root.addHandler(logging.StreamHandler(other))
    LoggingConfigurator(stream=io.StringIO()).apply(Verbosity.NORMAL)
    try:
        fail()
    except ValueError:
        logging.getLogger("app").exception("import failed")
    assert "Traceback (most recent call last):" in other.getvalue()


def test_a_real_process_logs_to_stderr_only() -> None:
    script = textwrap.dedent(
        """
        import json, logging
        from foundry.domain.commands import Verbosity
        from foundry.verbosity import LoggingConfigurator

        LoggingConfigurator().apply(Verbosity.DEBUG)
        logging.getLogger("sqlalchemy.engine.Engine").info("SELECT * FROM users")
        logging.getLogger("foundry.cli").debug("dispatching")
        print(json.dumps({"status": "success"}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == '{"status": "success"}\n'
    assert "sqlalchemy.engine.Engine: SELECT * FROM users" in result.stderr
    assert "foundry.cli: dispatching" in result.stderr
