"""``decorated=None`` decides from the stream and NO_COLOR / FORCE_COLOR / TERM."""

from __future__ import annotations

import io

import pytest

from foundry.console import RichOutput


def test_a_terminal_is_decorated(terminal: io.TextIOWrapper) -> None:
    assert RichOutput(stdout=terminal, stderr=terminal).decorated is True


def test_a_pipe_is_plain() -> None:
    assert RichOutput(stdout=io.StringIO(), stderr=io.StringIO()).decorated is False


def test_no_color_makes_a_terminal_plain(
    terminal: io.TextIOWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    output = RichOutput(stdout=terminal, stderr=terminal)
    assert output.decorated is False


def test_empty_no_color_is_ignored(
    terminal: io.TextIOWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "")
    assert RichOutput(stdout=terminal, stderr=terminal).decorated is True


def test_no_color_output_has_no_escape_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    out, err = io.StringIO(), io.StringIO()
    output = RichOutput(stdout=out, stderr=err)
    output.success("done")
    output.error("failed")
    output.table(["a"], [[1]])
    assert output.decorated is False
    assert "\x1b" not in out.getvalue() + err.getvalue()
    assert out.getvalue().startswith("done\n")


def test_force_color_decorates_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = io.StringIO()
    output = RichOutput(stdout=out, stderr=io.StringIO())
    output.success("done")
    assert output.decorated is True
    assert "\x1b[" in out.getvalue()


def test_dumb_terminal_is_plain_even_when_forced(
    terminal: io.TextIOWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert RichOutput(stdout=terminal, stderr=terminal).decorated is False
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert RichOutput(stdout=terminal, stderr=terminal).decorated is False


def test_tty_compatible_zero_makes_a_terminal_plain(
    terminal: io.TextIOWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert RichOutput(stdout=terminal, stderr=terminal).decorated is False


def test_explicit_decorated_overrides_detection(terminal: io.TextIOWrapper) -> None:
    assert RichOutput(stdout=terminal, decorated=False).decorated is False
    assert RichOutput(stdout=io.StringIO(), decorated=True).decorated is True


def test_stderr_is_judged_on_its_own(terminal: io.TextIOWrapper) -> None:
    err = io.StringIO()
    output = RichOutput(stdout=terminal, stderr=err)
    output.error("to a pipe")
    assert output.decorated is True
    assert err.getvalue() == "to a pipe\n"


def test_tty_interactive_zero_stops_live_drawing(
    terminal: io.TextIOWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_INTERACTIVE", "0")
    output = RichOutput(stdout=terminal, stderr=terminal)
    with output.progress(1) as bar:
        bar.advance()
    assert output.decorated is True
    assert type(bar).__name__ == "SilentProgressBar"
