"""Structured server logs: JSON and pretty lines, context ids, exceptions, installation."""

from __future__ import annotations

import io
import json
import logging
import sys
import warnings

import pytest

from foundry.application.http import create_app
from foundry.domain.context import bind_context, set_user_id
from foundry.observability import ObservabilityServiceProvider, configure_logging
from foundry.observability.formatters import ContextFilter, JsonFormatter, PrettyFormatter
from foundry.observability.log_setup import installed_handler


def json_lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_json_line_has_time_level_logger_and_message() -> None:
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    logging.getLogger("app.orders").info("Order %s placed", 42)
    [line] = json_lines(buffer)
    assert line["level"] == "INFO"
    assert line["logger"] == "app.orders"
    assert line["message"] == "Order 42 placed"
    assert isinstance(line["time"], str)
    assert line["time"].endswith("Z")
    assert "T" in line["time"]
    assert "request_id" not in line
    assert "user_id" not in line


def test_json_line_carries_request_and_user_id_from_context() -> None:
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    with bind_context(request_id="req-123", user_id="7"):
        logging.getLogger("app").warning("inside")
    logging.getLogger("app").warning("outside")
    inside, outside = json_lines(buffer)
    assert inside["request_id"] == "req-123"
    assert inside["user_id"] == "7"
    assert "request_id" not in outside
    assert "user_id" not in outside


async def test_user_id_set_by_auth_reaches_log_lines_of_that_task_only() -> None:
    import asyncio

    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)

    async def request(user: str) -> None:
        set_user_id(user)
        await asyncio.sleep(0)
        logging.getLogger("app").info("handled")

    await asyncio.gather(request("alice"), request("bob"))
    assert sorted(line["user_id"] for line in json_lines(buffer)) == ["alice", "bob"]
    logging.getLogger("app").info("after")
    assert "user_id" not in json_lines(buffer)[-1]


def test_json_exception_has_type_message_and_traceback_string() -> None:
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    try:
        raise ValueError("bad quantity")
    except ValueError:
        logging.getLogger("app").exception("Checkout failed")
    [line] = json_lines(buffer)
    exception = line["exception"]
    assert isinstance(exception, dict)
    assert exception["type"] == "ValueError"
    assert exception["message"] == "bad quantity"
    assert isinstance(exception["traceback"], str)
    assert exception["traceback"].startswith("Traceback (most recent call last):")
    assert "raise ValueError" in exception["traceback"]
    assert line["message"] == "Checkout failed"


def test_json_exception_type_is_qualified_outside_builtins() -> None:
    from foundry.domain.errors import ConfigurationError

    record = logging.LogRecord("app", logging.ERROR, __file__, 1, "failed", None, None)
    try:
        raise ConfigurationError("APP_KEY is missing")
    except ConfigurationError:
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["exception"]["type"] == "foundry.domain.errors.ConfigurationError"


def test_json_extra_fields_are_kept_and_unserialisable_values_become_text() -> None:
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    logging.getLogger("app").info("paid", extra={"order_id": 9, "amount": object()})
    [line] = json_lines(buffer)
    assert line["order_id"] == 9
    assert str(line["amount"]).startswith("<object object")


def test_pretty_line_is_readable_text_with_context() -> None:
    buffer = io.StringIO()
    configure_logging(format="pretty", stream=buffer, colour=False)
    with bind_context(request_id="req-9", user_id="42"):
        logging.getLogger("app.cart").info("Cart updated")
    line = buffer.getvalue().rstrip("\n")
    assert "\x1b[" not in line
    assert " INFO     app.cart  Cart updated  request_id=req-9 user_id=42" in line


def test_pretty_colour_marks_the_level_and_no_color_turns_it_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = logging.LogRecord("app", logging.ERROR, __file__, 1, "boom", None, None)
    ContextFilter().filter(record)
    assert "\x1b[31m" in PrettyFormatter(colour=True).format(record)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    buffer = io.StringIO()
    configure_logging(format="pretty", stream=buffer)
    logging.getLogger("app").error("boom")
    assert "\x1b[" not in buffer.getvalue()


def test_pretty_exception_shows_the_traceback() -> None:
    buffer = io.StringIO()
    configure_logging(format="pretty", stream=buffer, colour=False)
    try:
        raise KeyError("sku")
    except KeyError:
        logging.getLogger("app").exception("Lookup failed")
    text = buffer.getvalue()
    assert "Lookup failed" in text
    assert "Traceback (most recent call last):" in text
    assert "KeyError: 'sku'" in text


def test_configure_logging_twice_leaves_one_handler() -> None:
    first = io.StringIO()
    second = io.StringIO()
    configure_logging(format="json", stream=first)
    configure_logging(format="json", stream=second)
    logging.getLogger("app").warning("once")
    assert first.getvalue() == ""
    assert len(json_lines(second)) == 1
    ours = [h for h in logging.getLogger().handlers if h is installed_handler()]
    assert len(ours) == 1


def test_console_handlers_are_replaced_but_file_handlers_kept(tmp_path) -> None:
    root = logging.getLogger()
    console = logging.StreamHandler(sys.stderr)
    log_file = logging.FileHandler(tmp_path / "app.log")
    root.addHandler(console)
    root.addHandler(log_file)
    configure_logging(format="json", stream=io.StringIO())
    assert console not in root.handlers
    assert log_file in root.handlers
    log_file.close()


def test_level_applies_to_root_and_framework_loggers() -> None:
    buffer = io.StringIO()
    logging.getLogger("foundry").setLevel(logging.CRITICAL)  # as a quiet CLI run leaves it
    configure_logging(format="json", level=logging.WARNING, stream=buffer)
    logging.getLogger("app").info("hidden")
    logging.getLogger("foundry.api").info("hidden too")
    logging.getLogger("foundry.api").warning("shown")
    assert [line["message"] for line in json_lines(buffer)] == ["shown"]


def test_server_loggers_propagate_into_the_same_format() -> None:
    uvicorn = logging.getLogger("uvicorn.error")
    own = logging.StreamHandler(sys.stderr)
    uvicorn.addHandler(own)
    uvicorn.propagate = False
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    uvicorn.info("Application startup complete.")
    assert own not in uvicorn.handlers
    assert json_lines(buffer)[0]["logger"] == "uvicorn.error"


def test_python_warnings_become_log_lines() -> None:
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
    assert json_lines(buffer)[0]["logger"] == "py.warnings"


async def test_server_start_installs_logging_from_the_environment(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], drive_lifespan
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("APP_KEY", "k" * 32)  # production does not boot without one
    monkeypatch.setenv("LOG_LEVEL", "warning")
    api = create_app(tmp_path, providers=[ObservabilityServiceProvider], discover=False)
    assert installed_handler() is None  # assembling the app configures nothing
    async with drive_lifespan(api):
        assert installed_handler() is not None
        logging.getLogger("app").info("below the level")
        with bind_context(request_id="r-1"):
            logging.getLogger("app").warning("in production")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    assert [(x["message"], x.get("request_id")) for x in lines] == [("in production", "r-1")]


async def test_server_start_defaults_to_pretty_outside_production(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], drive_lifespan
) -> None:
    monkeypatch.setenv("APP_ENV", "local")
    api = create_app(tmp_path, providers=[ObservabilityServiceProvider], discover=False)
    async with drive_lifespan(api):
        logging.getLogger("app").info("hello")
    err = capsys.readouterr().err
    assert " INFO     app  hello" in err
    assert not err.lstrip().startswith("{")


async def test_log_format_json_overrides_the_environment_default(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], drive_lifespan
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    api = create_app(tmp_path, providers=[ObservabilityServiceProvider], discover=False)
    async with drive_lifespan(api):
        logging.getLogger("app").warning("structured")
    [line] = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    assert line["message"] == "structured"


async def test_a_bad_log_level_is_reported_when_the_server_starts(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], drive_lifespan
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("LOG_LEVEL", "loud")
    api = create_app(tmp_path, providers=[ObservabilityServiceProvider], discover=False)
    async with drive_lifespan(api):
        logging.getLogger("app").info("still logged at info")
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["message"].startswith("LOG_LEVEL=loud is not one of")
    assert lines[1]["message"] == "still logged at info"
