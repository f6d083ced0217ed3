"""APP_KEY is checked when the application boots.

A malformed key signs and encrypts nothing (or worse, something weak), and a production
application without one cannot keep sessions or signed URLs: both stop the boot with one
line naming the problem and the fix. Commands that only ``register`` (``requires_boot =
False``: ``key:generate``, ``env:validate``) still run, so the key can be repaired.
"""

from __future__ import annotations

import base64

import pytest

from foundry.application import Application
from foundry.domain.errors import ConfigurationError

VALID = "base64:" + base64.b64encode(b"k" * 32).decode()
SHORT = "not-long-enough"


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_KEY", raising=False)


def boot(base, monkeypatch: pytest.MonkeyPatch, **env: str) -> Application:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Application(base, providers=[], discover=False).boot()


def one_line_about_the_key(error: pytest.ExceptionInfo[ConfigurationError]) -> str:
    message = error.value.message
    assert "\n" not in message
    assert "APP_KEY" in message
    assert "foundry key:generate" in message
    return message


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (SHORT, "must be at least 32 characters"),
        ("base64:@@not-base64@@", "is not valid base64"),
        ("base64:" + base64.b64encode(b"k" * 16).decode(), "at least 256 bits"),
    ],
)
def test_a_malformed_app_key_stops_the_boot_with_the_problem_and_the_fix(
    base, monkeypatch: pytest.MonkeyPatch, key: str, problem: str
) -> None:
    with pytest.raises(ConfigurationError) as error:
        boot(base, monkeypatch, APP_KEY=key)
    message = one_line_about_the_key(error)
    assert problem in message
    assert key not in message  # a secret, even a broken one, is never printed


def test_a_malformed_app_key_stops_a_production_boot_too(base, monkeypatch) -> None:
    with pytest.raises(ConfigurationError) as error:
        boot(base, monkeypatch, APP_KEY=SHORT, APP_ENV="production")
    assert "must be at least 32 characters" in one_line_about_the_key(error)


def test_a_malformed_app_key_from_configuration_is_refused_too(base) -> None:
    app = Application(base, providers=[], discover=False).load()
    app.config.set("app.key", SHORT)
    with pytest.raises(ConfigurationError) as error:
        app.boot()
    one_line_about_the_key(error)


@pytest.mark.parametrize("key", [None, ""])
def test_production_without_an_app_key_does_not_boot(base, monkeypatch, key) -> None:
    env = {"APP_ENV": "production"} if key is None else {"APP_ENV": "production", "APP_KEY": key}
    with pytest.raises(ConfigurationError) as error:
        boot(base, monkeypatch, **env)
    message = one_line_about_the_key(error)
    assert "not set" in message
    assert "production" in message


@pytest.mark.parametrize("environment", ["local", "testing", "staging"])
def test_outside_production_a_missing_app_key_is_fine(base, monkeypatch, environment) -> None:
    assert boot(base, monkeypatch, APP_ENV=environment).is_production() is False


@pytest.mark.parametrize("key", [VALID, "k" * 32])
def test_a_valid_app_key_boots_in_production(base, monkeypatch, key) -> None:
    assert boot(base, monkeypatch, APP_KEY=key, APP_ENV="production").is_production()


def test_registering_without_boot_works_with_a_broken_key(base, monkeypatch) -> None:
    """What the CLI does for commands with ``requires_boot = False``."""
    monkeypatch.setenv("APP_KEY", SHORT)
    monkeypatch.setenv("APP_ENV", "production")
    app = Application(base, providers=[], discover=False).register()
    assert app.commands is not None
    monkeypatch.delenv("APP_KEY")
    Application(base, providers=[], discover=False).register()
