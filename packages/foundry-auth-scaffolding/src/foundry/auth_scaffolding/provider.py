"""The auth package's provider: bindings, routes, middleware, commands, migrations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.auth_scaffolding.settings import ENV_VARS
from foundry.domain.auth import AUTHENTICATORS_TAG, StatefulGuard, UserProvider, UserRegistrar
from foundry.domain.auth import TOKEN_VERIFIERS_TAG as VERIFIERS_TAG
from foundry.domain.database import Database
from foundry.domain.env import EnvVar
from foundry.domain.events import EventDispatcher
from foundry.domain.hashing import PasswordHasher
from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.mail import Mailer
from foundry.domain.provider import ServiceProvider
from foundry.domain.ratelimit import RateLimiter
from foundry.domain.session import SessionStore

if TYPE_CHECKING:
    from foundry.auth_scaffolding.settings import AuthSettings
    from foundry.domain.application import Application

__all__ = ["AUTHENTICATORS_TAG", "VERIFIERS_TAG", "AuthServiceProvider"]


class AuthServiceProvider(ServiceProvider):
    """Binds ``UserProvider``, ``SessionStore`` (``SESSION_DRIVER``), ``PasswordHasher``
    (Argon2id), ``StatefulGuard`` and ``UserRegistrar`` (sign-in and sign-up for other
    packages) and a personal-token ``TokenVerifier`` tagged ``auth.token_verifiers``;
    serves ``/auth``; loads sessions in a middleware at ``Priority.SESSION``."""

    name = "auth"
    provides = (UserProvider, SessionStore, PasswordHasher, StatefulGuard, UserRegistrar)
    requires = (Database,)
    after = (RateLimiter, EventDispatcher, Mailer)
    env: ClassVar[tuple[EnvVar, ...]] = ENV_VARS
    migrations = "foundry.auth_scaffolding:migrations"
    commands = (
        "foundry.auth_scaffolding.commands:MakeUserCommand",
        "foundry.auth_scaffolding.commands:UsersCommand",
        "foundry.auth_scaffolding.commands:ClearSessionsCommand",
        "foundry.auth_scaffolding.commands:ClearResetsCommand",
        "foundry.auth_scaffolding.commands:RecoveryCodesCommand",
    )

    def __init__(self) -> None:
        self._closers: list[Any] = []

    def register(self, app: Application) -> None:
        from foundry.auth_scaffolding.api_tokens import PersonalTokens, PersonalTokenVerifier
        from foundry.auth_scaffolding.guards import SessionAuthenticator
        from foundry.auth_scaffolding.services import AuthServices, build_services
        from foundry.auth_scaffolding.settings import AuthSettings
        from foundry.auth_scaffolding.users import DatabaseUserProvider, UserRepository
        from foundry.domain.clock import Clock

        app.singleton(AuthSettings, lambda c: AuthSettings.from_config(app.config))

        def hasher(c: Any) -> Any:
            from foundry.auth_scaffolding.hashing import Argon2Hasher

            return Argon2Hasher(c.make(AuthSettings).hashing)

        app.singleton(PasswordHasher, hasher)
        app.singleton(UserRepository, lambda c: UserRepository(c.make(Database), c.make(Clock)))
        app.singleton(
            UserProvider,
            lambda c: DatabaseUserProvider(c.make(UserRepository), c.make(PasswordHasher)),
        )
        app.singleton(SessionStore, lambda c: self._store(app, c.make(AuthSettings)))
        app.singleton(
            PersonalTokens,
            lambda c: PersonalTokens(
                c.make(Database), c.make(Clock), c.make(AuthSettings).token_cache_ttl
            ),
        )
        app.singleton(
            PersonalTokenVerifier, lambda c: PersonalTokenVerifier(c.make(PersonalTokens))
        )
        app.tag([PersonalTokenVerifier], VERIFIERS_TAG)
        app.singleton(SessionAuthenticator, lambda c: SessionAuthenticator())
        app.tag([SessionAuthenticator], AUTHENTICATORS_TAG)
        app.singleton(AuthServices, lambda c: build_services(app))

        def guard(c: Any) -> Any:
            from foundry.auth_scaffolding.stateful import SessionGuard

            return SessionGuard()

        def registrar(c: Any) -> Any:
            from foundry.auth_scaffolding.stateful import PasswordlessRegistrar

            return PasswordlessRegistrar(c.make(AuthServices))

        app.singleton(StatefulGuard, guard)
        app.singleton(UserRegistrar, registrar)

    def _store(self, app: Application, settings: AuthSettings) -> Any:
        from foundry.domain.clock import Clock

        clock = app.make(Clock)
        if settings.session_driver == "redis":
            from foundry.auth_scaffolding.sessions.redis import RedisSessionStore

            assert settings.redis_url is not None
            store = RedisSessionStore(
                settings.redis_url,
                prefix=settings.redis_prefix,
                clock=clock,
                client_cache=settings.client_cache,
            )
            self._closers.append(store)
            return store
        if settings.session_driver == "memory":
            from foundry.auth_scaffolding.sessions.memory import MemorySessionStore

            return MemorySessionStore(clock)
        from foundry.auth_scaffolding.sessions.database import DatabaseSessionStore

        return DatabaseSessionStore(app.make(Database), clock)

    def boot(self, app: Application) -> None:
        from foundry.auth_scaffolding.settings import AuthSettings

        app.make(AuthSettings)  # a malformed AUTH_*/SESSION_* value stops the boot, naming it

        async def close() -> None:
            while self._closers:
                await self._closers.pop().aclose()

        app.terminating(close)

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.auth_scaffolding.routes import build_routers
        from foundry.auth_scaffolding.settings import AuthSettings

        return build_routers(app.make(AuthSettings))

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        from foundry.auth_scaffolding.middleware import AuthSessionMiddleware

        return [
            MiddlewareSpec(
                AuthSessionMiddleware, {"application": app}, Priority.SESSION, "auth-session"
            )
        ]

    def exception_handlers(self, app: Application) -> Mapping[Any, Any]:
        from foundry.auth_scaffolding import errors
        from foundry.auth_scaffolding.responses import auth_exception_handler

        handled = (
            errors.Unauthenticated,
            errors.EmailNotVerified,
            errors.PasswordConfirmationRequired,
            errors.CsrfTokenMismatch,
            errors.MissingAbility,
            errors.SessionRequired,
            errors.LoginLockedOut,
            errors.MailNotConfigured,
        )
        return dict.fromkeys(handled, auth_exception_handler)
