"""``capture_command``: a command run through an app, its two streams kept apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.domain.commands import Verbosity
from foundry.testing.running import CapturedCommand, capture_command


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Application]:
    """A booted app holding the commands of ``capture_commands`` (and nothing discovered)."""
    from capture_commands import CaptureCommands

    for name in ("APP_ENV", "FOUNDRY_BASE_PATH", "FOUNDRY_DONT_DISCOVER", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    application = Application(tmp_path, providers=[CaptureCommands], discover=False)
    return application.boot()


async def test_stdout_and_stderr_are_kept_apart(app: Application) -> None:
    ran = await capture_command(app, "greet", "Ada")
    assert isinstance(ran, CapturedCommand)
    assert ran.exit_code == 0, ran.output
    assert ran.stdout == "Hello, Ada\n"
    assert ran.stderr == "a note on stderr\n"
    assert ran.output == ran.stdout + ran.stderr
    assert ran.message == "greeted Ada"
    assert ran.data == {"who": "Ada", "format": "human", "dry_run": False}


async def test_verbosity_reaches_the_output(app: Application) -> None:
    quiet = await capture_command(app, "greet", "Ada")
    verbose = await capture_command(app, "greet", "Ada", verbosity=Verbosity.VERBOSE)
    assert "a verbose detail" not in quiet.output
    assert "a verbose detail (the command sees VERBOSE)" in verbose.output


async def test_runner_options_are_passed_on(app: Application) -> None:
    ran = await capture_command(app, "greet", "Ada", format="json", dry_run=True)
    assert ran.exit_code == 0, ran.output
    assert ran.data == {"who": "Ada", "format": "json", "dry_run": True}


async def test_a_failing_command_is_reported_not_raised(app: Application) -> None:
    ran = await capture_command(app, "refuse")
    assert ran.exit_code == 3
    assert ran.message == "nothing to do here"
    assert ran.outcome.error == "nothing to do here"


async def test_an_unknown_command_is_reported_not_raised(app: Application) -> None:
    ran = await capture_command(app, "greeet")
    assert ran.exit_code != 0
    assert ran.outcome.error is not None
    assert 'Command "greeet" is not defined' in ran.outcome.error


async def test_a_usage_error_exits_2(app: Application) -> None:
    ran = await capture_command(app, "greet")  # the argument is required
    assert ran.exit_code == 2, ran.output
    assert ran.outcome.error is not None
    assert "missing argument WHO" in ran.outcome.error
