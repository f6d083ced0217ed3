"""Provider drivers: GitHub, Google, Facebook and generic OpenID Connect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.oauth.drivers.base import Endpoints, Finding, OAuthDriver

if TYPE_CHECKING:
    from foundry.domain.clock import Clock
    from foundry.oauth.settings import OAuthSettings, ProviderSettings

__all__ = ["Drivers", "Endpoints", "Finding", "OAuthDriver", "make_driver"]


def make_driver(settings: ProviderSettings, *, timeout: float, clock: Clock) -> OAuthDriver:
    """The driver of ``settings.driver`` (Google is an OpenID Connect issuer)."""
    if settings.driver == "github":
        from foundry.oauth.drivers.github import GitHubDriver

        return GitHubDriver(settings, timeout=timeout, clock=clock)
    if settings.driver == "facebook":
        from foundry.oauth.drivers.facebook import FacebookDriver

        return FacebookDriver(settings, timeout=timeout, clock=clock)
    from foundry.oauth.drivers.oidc import OpenIDDriver

    return OpenIDDriver(settings, timeout=timeout, clock=clock)


class Drivers:
    """One driver per configured provider, made on first use and kept (so discovery
    documents and JWKS are fetched once, not per sign-in)."""

    def __init__(self, settings: OAuthSettings, clock: Clock) -> None:
        self.settings = settings
        self._clock = clock
        self._drivers: dict[str, OAuthDriver] = {}

    def get(self, name: str) -> OAuthDriver:
        """The driver of provider ``name``.

        Raises:
            ProviderUnknown: not listed in ``OAUTH_PROVIDERS``.
            ProviderMisconfigured: listed, but its configuration is incomplete.
        """
        provider = self.settings.provider(name)
        provider.require_usable()
        driver = self._drivers.get(provider.name)
        if driver is None:
            driver = make_driver(provider, timeout=self.settings.http_timeout, clock=self._clock)
            self._drivers[provider.name] = driver
        return driver
