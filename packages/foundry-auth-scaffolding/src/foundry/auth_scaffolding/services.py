"""Everything the auth flows use, built once per application from its container."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from foundry.domain.auth import TOKEN_VERIFIERS_TAG as VERIFIERS_TAG

if TYPE_CHECKING:
    from foundry.auth_scaffolding.api_tokens import PersonalTokens
    from foundry.auth_scaffolding.events import EventBus
    from foundry.auth_scaffolding.hashing import Argon2Hasher
    from foundry.auth_scaffolding.mail import AuthMail
    from foundry.auth_scaffolding.settings import AuthSettings
    from foundry.auth_scaffolding.throttle import LoginThrottle
    from foundry.auth_scaffolding.users import UserRepository
    from foundry.auth_scaffolding.views import Views
    from foundry.domain.application import Application
    from foundry.domain.auth import TokenVerifier
    from foundry.domain.clock import Clock
    from foundry.domain.session import SessionStore

__all__ = ["VERIFIERS_TAG", "AuthServices", "build_services"]


@dataclass(slots=True)
class AuthServices:
    """The package's collaborators (resolve with ``app.make(AuthServices)``)."""

    app: Application
    settings: AuthSettings
    store: SessionStore
    hasher: Argon2Hasher
    clock: Clock
    users: UserRepository
    tokens: PersonalTokens
    throttle: LoginThrottle
    events: EventBus
    mail: AuthMail
    views: Views
    _verifiers: list[TokenVerifier] | None = None

    def verifiers(self) -> list[TokenVerifier]:
        """Every bearer-token verifier: the tagged ones in order, then a directly bound one
        (resolved on the first request, once every provider has booted)."""
        if self._verifiers is None:
            from foundry.domain.auth import TokenVerifier

            found: list[TokenVerifier] = list(self.app.tagged(VERIFIERS_TAG))
            if self.app.bound(TokenVerifier):
                direct = self.app.make(TokenVerifier)
                if all(direct is not verifier for verifier in found):
                    found.append(direct)
            self._verifiers = found
        return self._verifiers

    def url(self, path: str) -> str:
        """An absolute link for mails (``APP_URL`` + ``path``)."""
        return self.settings.app_url + path


def build_services(app: Application) -> AuthServices:
    from foundry.auth_scaffolding.api_tokens import PersonalTokens
    from foundry.auth_scaffolding.events import EventBus
    from foundry.auth_scaffolding.hashing import Argon2Hasher
    from foundry.auth_scaffolding.mail import AuthMail
    from foundry.auth_scaffolding.settings import AuthSettings
    from foundry.auth_scaffolding.throttle import LoginThrottle
    from foundry.auth_scaffolding.users import UserRepository
    from foundry.auth_scaffolding.views import Views
    from foundry.domain.clock import Clock
    from foundry.domain.hashing import PasswordHasher
    from foundry.domain.ratelimit import RateLimiter
    from foundry.domain.session import SessionStore

    settings = app.make(AuthSettings)
    clock = app.make(Clock)
    hasher = app.make(PasswordHasher)
    if not isinstance(hasher, Argon2Hasher):
        hasher = Argon2Hasher(settings.hashing)
    limiter = app.make(RateLimiter) if app.bound(RateLimiter) else None
    return AuthServices(
        app=app,
        settings=settings,
        store=app.make(SessionStore),
        hasher=hasher,
        clock=clock,
        users=app.make(UserRepository),
        tokens=app.make(PersonalTokens),
        throttle=LoginThrottle(limiter, max_attempts=settings.max_attempts, decay=settings.decay),
        events=EventBus(app),
        mail=AuthMail(app),
        views=Views(app.base_path, settings.app_name),
    )
