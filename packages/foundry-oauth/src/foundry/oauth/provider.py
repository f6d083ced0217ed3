"""The social login provider: settings, drivers, identities, routes, commands, migrations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from foundry.domain.auth import StatefulGuard, UserProvider, UserRegistrar
from foundry.domain.cache import Cache
from foundry.domain.database import Database
from foundry.domain.provider import ServiceProvider
from foundry.oauth.env import DeclaredEnv

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["OAuthServiceProvider"]


class OAuthServiceProvider(ServiceProvider):
    """Binds ``OAuthSettings``, ``Drivers``, ``IdentityRepository``, ``AccountLinker`` and
    ``SocialLogin``; serves ``/auth/oauth/{provider}/redirect`` and ``/callback``.

    Accounts are found, made and signed in through the ``UserProvider``, ``UserRegistrar``
    and ``StatefulGuard`` contracts (``foundry-auth-scaffolding`` binds all three); a bound
    ``Cache`` makes each callback usable once.
    """

    name = "oauth"
    requires = (Database,)
    after = (UserProvider, UserRegistrar, StatefulGuard, Cache)
    env = DeclaredEnv()  # computed from OAUTH_PROVIDERS when the kernel reads it
    migrations = "foundry.oauth:migrations"
    commands = (
        "foundry.oauth.commands:ProvidersCommand",
        "foundry.oauth.commands:TestCommand",
    )

    def register(self, app: Application) -> None:
        from foundry.domain.clock import Clock
        from foundry.oauth.drivers import Drivers
        from foundry.oauth.identities import IdentityRepository
        from foundry.oauth.linking import AccountLinker
        from foundry.oauth.service import SocialLogin
        from foundry.oauth.settings import OAuthSettings

        app.singleton(OAuthSettings, lambda c: OAuthSettings.from_config(app.config))
        app.singleton(Drivers, lambda c: Drivers(c.make(OAuthSettings), c.make(Clock)))

        def identities(c: Any) -> IdentityRepository:
            from foundry.oauth.crypto import TokenCipher, app_key_bytes

            key = app_key_bytes(c.make(OAuthSettings).app_key)
            return IdentityRepository(c.make(Database), TokenCipher(key), c.make(Clock))

        app.singleton(IdentityRepository, identities)
        app.singleton(AccountLinker, lambda c: AccountLinker(app, c.make(IdentityRepository)))
        app.singleton(
            SocialLogin,
            lambda c: SocialLogin(
                app, c.make(OAuthSettings), c.make(Drivers), c.make(AccountLinker), c.make(Clock)
            ),
        )

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.oauth.routes import build_router

        return [build_router(app)]
