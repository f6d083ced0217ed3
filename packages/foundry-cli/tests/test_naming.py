"""make:command's names: class, module, command name and summary from NAME."""

from __future__ import annotations

import pytest

from foundry.cli.naming import CommandNames, command_names
from foundry.domain.errors import InputError
from foundry.domain.naming import words


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "SendReport",
            CommandNames("SendReportCommand", "send_report", "app:send-report", "Send report"),
        ),
        (
            "send-report",
            CommandNames("SendReportCommand", "send_report", "app:send-report", "Send report"),
        ),
        (
            "send_report",
            CommandNames("SendReportCommand", "send_report", "app:send-report", "Send report"),
        ),
        (
            "sendReport",
            CommandNames("SendReportCommand", "send_report", "app:send-report", "Send report"),
        ),
        (
            "SendReportCommand",
            CommandNames("SendReportCommand", "send_report", "app:send-report", "Send report"),
        ),
        (
            "HTTPCheck",
            CommandNames("HTTPCheckCommand", "http_check", "app:http-check", "HTTP check"),
        ),
        (
            "check-http",
            CommandNames("CheckHttpCommand", "check_http", "app:check-http", "Check http"),
        ),
        ("Prune", CommandNames("PruneCommand", "prune", "app:prune", "Prune")),
        ("Command", CommandNames("CommandCommand", "command", "app:command", "Command")),
        (
            "Oauth2Sync",
            CommandNames("Oauth2SyncCommand", "oauth2_sync", "app:oauth2-sync", "Oauth2 sync"),
        ),
    ],
)
def test_names_from_any_spelling(name: str, expected: CommandNames) -> None:
    assert command_names(name) == expected


def test_the_command_option_names_the_command() -> None:
    names = command_names("SendReport", "reports:send")
    assert (names.class_name, names.module, names.command) == (
        "SendReportCommand",
        "send_report",
        "reports:send",
    )


@pytest.mark.parametrize("name", ["2fast", "send report", "send.report", "", "-x", "é"])
def test_names_that_cannot_make_a_module_are_refused(name: str) -> None:
    with pytest.raises(InputError) as caught:
        command_names(name)
    assert caught.value.field == "name"
    assert "cannot name a command class" in caught.value.message


@pytest.mark.parametrize("name", ["class", "Import", "match"])
def test_keywords_are_refused(name: str) -> None:
    with pytest.raises(InputError, match="a Python keyword"):
        command_names(name)


@pytest.mark.parametrize("command", ["bad name", "reports:", ":send", "a::b", "send!", ""])
def test_malformed_command_names_are_refused(command: str) -> None:
    with pytest.raises(InputError) as caught:
        command_names("SendReport", command)
    assert caught.value.field == "command"


def test_words() -> None:
    assert words("HTTPClientFactory") == ["HTTP", "Client", "Factory"]
    assert words("send--report__now") == ["send", "report", "now"]
