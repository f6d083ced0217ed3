"""The OAuth server's provider: settings, storage, the core, the verifier, routes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.auth import AUTHENTICATORS_TAG, TOKEN_VERIFIERS_TAG, UserProvider
from foundry.domain.cache import Cache
from foundry.domain.database import Database
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.oauth_server.service import OAuthServer

__all__ = ["OAuthServerServiceProvider"]


def _env() -> tuple[EnvVar, ...]:
    from foundry.oauth_server.settings import ENV_VARS

    return ENV_VARS


class OAuthServerServiceProvider(ServiceProvider):
    """Binds :class:`~foundry.oauth_server.service.OAuthServer` and its bearer verifier
    (tagged ``auth.token_verifiers``), serves ``/oauth/*`` and the ``.well-known``
    metadata, and brings the ``passport:*`` commands and the ``oauth_*`` tables."""

    name = "oauth-server"
    after = (Database, Cache, UserProvider)
    env: ClassVar[tuple[EnvVar, ...]] = _env()
    migrations = "foundry.oauth_server:migrations"
    commands = (
        "foundry.oauth_server.commands:InstallCommand",
        "foundry.oauth_server.commands:KeysCommand",
        "foundry.oauth_server.commands:ClientCommand",
        "foundry.oauth_server.commands:ClientsCommand",
        "foundry.oauth_server.commands:RevokeCommand",
        "foundry.oauth_server.commands:TokenCommand",
        "foundry.oauth_server.commands:PurgeCommand",
    )

    def register(self, app: Application) -> None:
        from foundry.oauth_server.http import OAuthHttp
        from foundry.oauth_server.service import OAuthServer
        from foundry.oauth_server.settings import OAuthSettings
        from foundry.oauth_server.verifier import OAuthTokenVerifier

        app.singleton(
            OAuthSettings,
            lambda c: OAuthSettings.from_config(app.config, production=app.is_production()),
        )
        app.singleton(OAuthServer, lambda c: _core(app))
        app.singleton(OAuthTokenVerifier, lambda c: c.make(OAuthServer).verifier)
        app.tag([OAuthTokenVerifier], TOKEN_VERIFIERS_TAG)

        def http(c: Any) -> OAuthHttp:
            from foundry.oauth_server.authorization import build_server

            core = c.make(OAuthServer)
            return OAuthHttp(core, build_server(core))

        app.singleton(OAuthHttp, http)

    def boot(self, app: Application) -> None:
        from foundry.domain.errors import ConfigurationError
        from foundry.oauth_server.settings import OAuthSettings

        settings = app.make(OAuthSettings)  # a malformed OAUTH_* value stops the boot here
        if settings.storage == "database" and not app.bound(Database):
            raise ConfigurationError(
                "OAUTH_STORAGE=database needs a database: install foundry-infra, or set "
                "OAUTH_STORAGE=memory (tests only: nothing survives a restart)."
            )

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.oauth_server.http import OAuthHttp
        from foundry.oauth_server.routes import build_routers

        return build_routers(lambda: app.make(OAuthHttp))

    def exception_handlers(self, app: Application) -> Mapping[Any, Any]:
        from foundry.oauth_server.guard import BearerError

        async def bearer_error(request: Any, exc: Exception) -> Any:
            assert isinstance(exc, BearerError)
            return exc.response()

        return {BearerError: bearer_error}


def _core(app: Application) -> OAuthServer:
    from foundry.domain.clock import Clock
    from foundry.oauth_server.keys import KeyFiles
    from foundry.oauth_server.service import OAuthServer
    from foundry.oauth_server.settings import OAuthSettings
    from foundry.oauth_server.storage.base import OAuthStore

    settings = app.make(OAuthSettings)
    store: OAuthStore
    if settings.storage == "memory":
        from foundry.oauth_server.storage.memory import MemoryStore

        store = MemoryStore()
    else:
        from foundry.oauth_server.storage.database import DatabaseStore

        store = DatabaseStore(app.make(Database))
    return OAuthServer(
        settings,
        store,
        app.make(Clock),
        KeyFiles(app.storage_path("oauth")),
        cache=app.make(Cache) if app.bound(Cache) else None,
        users=lambda: app.make(UserProvider) if app.bound(UserProvider) else None,
        authenticators=lambda: app.tagged(AUTHENTICATORS_TAG),
    )
