"""The provider in a real application: bindings, variables, mail:test, clean shutdown."""

from __future__ import annotations

import logging
import subprocess
import sys

from mail_support import free_port

from foundry.domain.application import CommandRunner
from foundry.domain.mail import Mailer
from foundry.mail import LogTransport, MailManager, MailViews, SmtpTransport
from foundry.mail.provider import MailServiceProvider

VARIABLES = [
    "MAIL_MAILER",
    "MAIL_HOST",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_ENCRYPTION",
    "MAIL_TIMEOUT",
    "MAIL_FROM_ADDRESS",
    "MAIL_FROM_NAME",
    "MAIL_FAILOVER",
    "MAIL_QUEUE_TRIES",
    "MAIL_QUEUE_BACKOFF",
]


def test_every_mail_variable_is_declared_and_the_password_is_secret():
    declared = {var.name: var for var in MailServiceProvider.env}
    assert sorted(declared) == sorted(VARIABLES)
    assert [n for n, v in declared.items() if v.secret] == ["MAIL_PASSWORD"]
    assert declared["MAIL_MAILER"].default == "log"
    assert declared["MAIL_MAILER"].aliases == ("MAIL_DRIVER",)
    assert declared["MAIL_ENCRYPTION"].choices == ("none", "starttls", "ssl", "tls")


async def test_the_mailer_is_a_singleton_and_defaults_to_the_log(boot_app):
    app = boot_app()
    mailer = app.make(Mailer)
    assert isinstance(mailer, MailManager)
    assert app.make(Mailer) is mailer
    assert app.make(MailManager) is mailer
    assert isinstance(app.make(MailViews), MailViews)
    assert isinstance(mailer.transport(), LogTransport)


async def test_the_environment_configures_smtp(boot_app, mail_env):
    mail_env(
        MAIL_MAILER="smtp",
        MAIL_HOST="mail.example.com",
        MAIL_PORT="2525",
        MAIL_ENCRYPTION="starttls",
        MAIL_USERNAME="user",
        MAIL_PASSWORD="s3cret",
        MAIL_TIMEOUT="12",
        MAIL_FROM_ADDRESS="noreply@example.com",
        MAIL_FROM_NAME="Acme",
    )
    mailer = boot_app().make(Mailer)
    transport = mailer.transport()
    assert isinstance(transport, SmtpTransport)
    assert (transport.host, transport.port, transport.encryption) == (
        "mail.example.com",
        2525,
        "starttls",
    )
    assert (transport.username, transport.timeout) == ("user", 12.0)
    assert mailer.describe() == {
        "default": "smtp",
        "from": "Acme <noreply@example.com>",
        "mailers": ["array", "failover", "log", "smtp"],
    }


async def test_mail_test_sends_a_real_message_and_prints_its_id(boot_app, mail_env, smtp_server):
    mail_env(
        MAIL_MAILER="smtp",
        MAIL_HOST=smtp_server.host,
        MAIL_PORT=smtp_server.port,
        MAIL_FROM_ADDRESS="noreply@example.com",
    )
    app = boot_app()
    outcome = await app.make(CommandRunner).run(
        "mail:test", ["--to", "ada@example.com"], format="json"
    )
    assert outcome.exit_code == 0, outcome.error
    [got] = smtp_server.received
    parsed = got.parsed()
    assert parsed["Subject"] == "Foundry test message"
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    data = outcome.result.data
    assert parsed["Message-ID"] == f"<{data['message_id']}>"
    assert data["accepted"] == ["ada@example.com"]
    assert data["mailer"] == "smtp"
    assert data["message_id"] in (outcome.result.message or "")


async def test_mail_test_through_the_log_never_logs_the_password(boot_app, mail_env, caplog):
    caplog.set_level(logging.DEBUG)
    mail_env(MAIL_FROM_ADDRESS="noreply@example.com", MAIL_PASSWORD="hunter2-secret")
    app = boot_app()
    outcome = await app.make(CommandRunner).run(
        "mail:test", ["--to", "ada@example.com", "--mailer", "log"], format="json"
    )
    assert outcome.exit_code == 0, outcome.error
    assert "Foundry test message" in caplog.text
    assert "hunter2-secret" not in caplog.text


async def test_mail_test_fails_in_one_line_when_the_server_is_down(boot_app, mail_env):
    mail_env(MAIL_MAILER="smtp", MAIL_PORT=free_port(), MAIL_FROM_ADDRESS="noreply@example.com")
    outcome = await boot_app().make(CommandRunner).run("mail:test", ["--to", "ada@example.com"])
    assert outcome.exit_code != 0
    assert outcome.error is not None
    assert "\n" not in outcome.error
    assert outcome.error.startswith("Could not connect to SMTP server 127.0.0.1:")
    assert "Check MAIL_HOST, MAIL_PORT" in outcome.error


async def test_mail_test_without_a_sender_says_which_variable_to_set(boot_app, mail_env):
    outcome = await boot_app().make(CommandRunner).run("mail:test", ["--to", "ada@example.com"])
    assert outcome.exit_code != 0
    assert "MAIL_FROM_ADDRESS" in (outcome.error or "")


async def test_mail_test_needs_a_recipient(boot_app):
    outcome = await boot_app().make(CommandRunner).run("mail:test", [])
    assert outcome.exit_code == 2


async def test_an_unknown_mailer_is_refused_by_mail_test(boot_app, mail_env):
    mail_env(MAIL_FROM_ADDRESS="noreply@example.com")
    outcome = (
        await boot_app()
        .make(CommandRunner)
        .run("mail:test", ["--to", "ada@example.com", "--mailer", "sendgrid"])
    )
    assert outcome.exit_code != 0
    assert "sendgrid" in (outcome.error or "")


async def test_terminating_the_app_closes_the_smtp_session(boot_app, mail_env, smtp_server):
    mail_env(
        MAIL_MAILER="smtp",
        MAIL_HOST=smtp_server.host,
        MAIL_PORT=smtp_server.port,
        MAIL_FROM_ADDRESS="noreply@example.com",
    )
    app = boot_app()
    await app.make(CommandRunner).run("mail:test", ["--to", "ada@example.com"])
    transport = app.make(MailManager).transport()
    assert isinstance(transport, SmtpTransport)
    assert transport._client is not None  # kept open for the next message
    await app.terminate()
    assert transport._client is None


def test_discovery_and_boot_import_no_mail_library():
    code = (
        "import sys, tempfile, pathlib\n"
        "import foundry.mail.provider, foundry.mail.commands, foundry.mail.make\n"
        "from foundry.application import Application\n"
        "base = pathlib.Path(tempfile.mkdtemp()); (base / 'pyproject.toml').touch()\n"
        "app = Application(base_path=base, providers=[foundry.mail.provider.MailServiceProvider],"
        " discover=False)\n"
        "app.boot()\n"
        "heavy = ('jinja2', 'markdown_it', 'aiosmtplib', 'markupsafe')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"
