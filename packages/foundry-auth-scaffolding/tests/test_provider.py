"""The provider: bindings, tags, the broadcast hook, settings errors, the migration branch."""

from __future__ import annotations

import io

import pytest

from foundry.application import Application
from foundry.auth_scaffolding.api_tokens import PersonalTokenVerifier
from foundry.auth_scaffolding.guards import SessionAuthenticator, authenticate
from foundry.auth_scaffolding.hashing import Argon2Hasher
from foundry.auth_scaffolding.provider import AuthServiceProvider
from foundry.auth_scaffolding.sessions import (
    DatabaseSessionStore,
    MemorySessionStore,
    RedisSessionStore,
)
from foundry.domain.application import CommandRunner
from foundry.domain.auth import TokenVerifier, UserProvider
from foundry.domain.clock import Clock
from foundry.domain.errors import ProviderError
from foundry.domain.hashing import PasswordHasher
from foundry.domain.outputs import PlainOutput
from foundry.domain.session import SessionStore
from foundry.infra.provider import InfraServiceProvider


def boot(base, monkeypatch, **env) -> Application:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///storage/database.sqlite")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Application(
        base, providers=[InfraServiceProvider, AuthServiceProvider], discover=False
    ).boot()


def test_provider_binds_the_contracts(base, monkeypatch):
    app = boot(base, monkeypatch)
    assert isinstance(app.make(PasswordHasher), Argon2Hasher)
    assert isinstance(app.make(UserProvider), UserProvider)
    assert isinstance(app.make(SessionStore), DatabaseSessionStore)
    verifiers = app.tagged("auth.token_verifiers")
    assert [type(v) for v in verifiers] == [PersonalTokenVerifier]
    assert isinstance(verifiers[0], TokenVerifier)
    assert [type(a) for a in app.tagged("auth.authenticators")] == [SessionAuthenticator]


@pytest.mark.parametrize(
    ("env", "kind"),
    [
        ({"SESSION_DRIVER": "memory"}, MemorySessionStore),
        (
            {"AUTH_SESSION_STORAGE": "redis", "REDIS_URL": "redis://127.0.0.1:6379/0"},
            RedisSessionStore,
        ),
    ],
)
def test_session_driver_and_its_alias_choose_the_store(base, monkeypatch, env, kind):
    assert isinstance(boot(base, monkeypatch, **env).make(SessionStore), kind)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SESSION_DRIVER": "redis"}, "SESSION_DRIVER=redis needs REDIS_URL"),
        ({"SESSION_LIFETIME": "0"}, "SESSION_LIFETIME=0 must be above 0"),
    ],
)
def test_bad_settings_stop_the_boot_naming_the_variable(base, monkeypatch, env, message):
    with pytest.raises(ProviderError, match=message):
        boot(base, monkeypatch, **env)


async def test_session_prefix_keeps_apps_sharing_one_redis_apart(
    base, monkeypatch, redis_url, session_prefix
):
    from datetime import timedelta

    from foundry.domain.session import SessionRecord

    shared = {"SESSION_DRIVER": "redis", "REDIS_URL": redis_url}
    one = boot(base, monkeypatch, SESSION_PREFIX=f"{session_prefix}one:", **shared)
    first = one.make(SessionStore)
    two = boot(base, monkeypatch, SESSION_PREFIX=f"{session_prefix}two:", **shared)
    second = two.make(SessionStore)
    try:
        now = one.make(Clock).now()
        await first.write(SessionRecord("same-id", "u1", now + timedelta(hours=1), now))
        assert await first.read("same-id") is not None
        assert await second.read("same-id") is None  # the other app's sessions are not seen
        assert await first.client.exists(f"{session_prefix}one:same-id")
    finally:
        await one.terminate()
        await two.terminate()


def test_env_vars_are_declared_with_the_rustforge_names(base, monkeypatch):
    names = {var.name for var in boot(base, monkeypatch).env_vars}
    assert {
        "SESSION_DRIVER",
        "SESSION_LIFETIME",
        "SESSION_PREFIX",
        "AUTH_SESSION_LIFETIME",
        "AUTH_REMEMBER_LIFETIME",
        "AUTH_PASSWORD_RESET_LIFETIME",
        "AUTH_EMAIL_VERIFICATION_LIFETIME",
        "AUTH_REQUIRE_EMAIL_VERIFICATION",
        "AUTH_ENABLE_TWO_FACTOR",
    } <= names


async def test_migration_branch_runs_up_and_down(make_site, database_url):
    from sqlalchemy import inspect

    async with make_site(database=database_url) as site:
        from foundry.domain.database import Database

        engine = site.app.make(Database).engine

        async def tables():
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))

        expected = {
            "users",
            "sessions",
            "password_resets",
            "email_verifications",
            "user_activity_log",
            "personal_access_tokens",
        }
        assert expected <= await tables()
        runner = site.app.make(CommandRunner)
        status = await runner.run(
            "migrate:status", [], output=PlainOutput(io.StringIO(), io.StringIO()), format="json"
        )
        assert any(
            row["branch"] == "auth" and row["ran"] for row in status.result.data["migrations"]
        )
        down = await runner.run(
            "migrate:rollback", [], output=PlainOutput(io.StringIO(), io.StringIO())
        )
        assert down.exit_code == 0, down.error
        assert not expected & await tables()


async def test_authenticate_hook_answers_for_session_and_bearer_requests(make_site):
    from starlette.requests import Request

    async with make_site() as site:
        await site.register()
        cookie = site.http.cookies["foundry_session"]

        def request(headers):
            scope = {
                "type": "http",
                "method": "GET",
                "path": "/broadcasting/auth",
                "headers": headers,
                "app": site.api,
                "client": ("127.0.0.1", 1),
            }
            return Request(scope)

        user = await authenticate(request([(b"cookie", f"foundry_session={cookie}".encode())]))
        assert user is not None
        assert user.email == "ada@example.com"
        assert await authenticate(request([])) is None
        issued = await site.services().tokens.create(user.auth_identifier, "ws")
        via_token = await SessionAuthenticator().authenticate(
            request([(b"authorization", f"Bearer {issued.plain_text}".encode())])
        )
        assert via_token is not None
        assert via_token.auth_identifier == user.auth_identifier
