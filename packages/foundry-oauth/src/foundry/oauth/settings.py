"""Social login settings, read from configuration (``socialite.*`` and ``services.<name>.*``).

A provider whose configuration is incomplete is still listed, with the problems that keep
it from working: ``oauth:providers`` shows them, ``oauth:test`` fails naming them, and its
routes answer 503 with the same words. One bad provider never stops the application from
booting, nor the other providers from working.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from foundry.domain.config import ConfigRepository
from foundry.oauth.env import (
    BUILT_IN,
    DEFAULT_SCOPES,
    GOOGLE_DISCOVERY_URL,
    env_prefix,
    provider_names,
    valid_name,
)
from foundry.oauth.errors import ProviderMisconfigured, ProviderUnknown

__all__ = ["CALLBACK_PATH", "REDIRECT_PATH", "OAuthSettings", "ProviderSettings", "secure_url"]

REDIRECT_PATH = "/auth/oauth/{provider}/redirect"
CALLBACK_PATH = "/auth/oauth/{provider}/callback"
FACEBOOK_GRAPH = "https://graph.facebook.com/v21.0"
FACEBOOK_DIALOG = "https://www.facebook.com/v21.0/dialog/oauth"


def secure_url(url: str) -> bool:
    """True for https, and for http on the loopback interface (local development)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    """One provider as configured.

    Attributes:
        name: the name in ``OAUTH_PROVIDERS`` and in the URLs (``github``, ``acme``).
        driver: ``github``, ``google``, ``facebook`` or ``oidc``.
        label: how pages name it (``GitHub``).
        client_id: the OAuth client id.
        client_secret: the client secret (None for a public OpenID Connect client).
        scopes: what is asked for.
        redirect_uri: the callback URL to register at the provider.
        discovery_url: the OpenID Connect discovery document (``google`` and ``oidc``).
        urls: endpoint bases of the non-OIDC drivers (GitHub ``web``/``api``, Facebook
            ``dialog``/``graph``).
        problems: why the provider cannot be used as configured (empty when it can).
    """

    name: str
    driver: str
    label: str
    client_id: str
    client_secret: str | None
    scopes: tuple[str, ...]
    redirect_uri: str
    discovery_url: str | None = None
    urls: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.problems

    def require_usable(self) -> None:
        """Raises ProviderMisconfigured naming every problem."""
        if self.problems:
            raise ProviderMisconfigured(
                f"Social login with {self.label} is not configured: " + " ".join(self.problems),
                context={"provider": self.name},
            )


@dataclass(frozen=True, slots=True)
class OAuthSettings:
    """Everything social login reads from configuration."""

    providers: Mapping[str, ProviderSettings]
    redirect_after_login: str = "/"
    state_lifetime: int = 600
    http_timeout: float = 10.0
    app_url: str = "http://localhost:8000"
    app_key: str | None = None
    production: bool = False
    invalid_names: tuple[str, ...] = ()

    @property
    def secure_cookies(self) -> bool:
        """State cookies are ``Secure`` when the app is served over https or in production."""
        return self.app_url.startswith("https://") or self.production

    def provider(self, name: str) -> ProviderSettings:
        """The provider named ``name``.

        Raises:
            ProviderUnknown: ``OAUTH_PROVIDERS`` does not list it.
        """
        found = self.providers.get(name.lower())
        if found is None:
            listed = ", ".join(self.providers) or "none"
            raise ProviderUnknown(
                f'Social login provider "{name}" is not enabled (enabled: {listed}); add it to '
                "OAUTH_PROVIDERS.",
                context={"provider": name},
            )
        return found

    @classmethod
    def from_config(cls, config: ConfigRepository) -> OAuthSettings:
        app_url = str(config.get("app.url") or "http://localhost:8000").rstrip("/")
        providers: dict[str, ProviderSettings] = {}
        invalid: list[str] = []
        for name in provider_names(config.get("socialite.providers")):
            if not valid_name(name):
                invalid.append(name)
                continue
            section = config.get(f"services.{name}") or {}
            providers[name] = _provider(name, section if isinstance(section, dict) else {}, app_url)
        return cls(
            providers=providers,
            redirect_after_login=str(config.get("socialite.redirect_after_login") or "/"),
            state_lifetime=int(config.get("socialite.state_lifetime") or 600),
            http_timeout=float(config.get("socialite.http_timeout") or 10.0),
            app_url=app_url,
            app_key=config.get("app.key") or None,
            production=str(config.get("app.env") or "").lower() == "production",
            invalid_names=tuple(invalid),
        )


def _provider(name: str, section: Mapping[str, Any], app_url: str) -> ProviderSettings:
    driver = name if name in BUILT_IN else "oidc"
    prefix = env_prefix(name)
    label = BUILT_IN.get(name, name)
    problems: list[str] = []
    client_id = _text(section.get("client_id"))
    secret = _text(section.get("client_secret")) or None
    if not client_id:
        problems.append(f"{prefix}CLIENT_ID is not set (the client id {label} issued).")
    if secret is None and driver != "oidc":
        problems.append(f"{prefix}CLIENT_SECRET is not set (the client secret {label} issued).")
    scopes = _items(section.get("scopes")) or DEFAULT_SCOPES[driver]
    discovery: str | None = None
    urls: dict[str, str] = {}
    if driver in ("google", "oidc"):
        if "openid" not in scopes:
            scopes = ("openid", *scopes)
        default = GOOGLE_DISCOVERY_URL if driver == "google" else ""
        discovery = _text(section.get("discovery_url")) or default or None
        if discovery is None:
            problems.append(
                f"{prefix}DISCOVERY_URL is not set (the issuer's "
                "https://.../.well-known/openid-configuration)."
            )
        elif not secure_url(discovery):
            problems.append(
                f"{prefix}DISCOVERY_URL must be an https URL (http only on localhost): {discovery}"
            )
    elif driver == "github":
        urls = {
            "web": _text(section.get("url")).rstrip("/") or "https://github.com",
            "api": _text(section.get("api_url")).rstrip("/") or "https://api.github.com",
        }
    else:
        urls = {
            "dialog": _text(section.get("dialog_url")) or FACEBOOK_DIALOG,
            "graph": _text(section.get("graph_url")).rstrip("/") or FACEBOOK_GRAPH,
        }
    for key, url in urls.items():
        if not secure_url(url):
            problems.append(f"{label}'s {key} URL must use https (http only on localhost): {url}")
    return ProviderSettings(
        name=name,
        driver=driver,
        label=label,
        client_id=client_id,
        client_secret=secret,
        scopes=scopes,
        redirect_uri=app_url + CALLBACK_PATH.format(provider=name),
        discovery_url=discovery,
        urls=urls,
        problems=tuple(problems),
    )


def _items(value: object) -> tuple[str, ...]:
    """Scopes as given (a list or comma/space-separated text); case is kept."""
    raw = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(raw, list | tuple):
        return ()
    items: list[str] = []
    for item in raw:
        text = str(item).strip()
        if text and text not in items:
            items.append(text)
    return tuple(items)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
