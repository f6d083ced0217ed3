"""The environment variables social login reads, declared as :class:`EnvVar` values.

Four general variables, the variables of the three built-in providers (always declared, so
``env:validate`` knows them before they are used), and — for every other name listed in
``OAUTH_PROVIDERS`` — that provider's ``CLIENT_ID``, ``CLIENT_SECRET``, ``SCOPES`` and
``DISCOVERY_URL``. The last set depends on ``OAUTH_PROVIDERS``, so the provider's ``env``
is computed when the kernel reads it (after ``.env`` is loaded).

>>> [v.name.removeprefix("OAUTH_ACME_") for v in provider_variables("acme")]
['CLIENT_ID', 'CLIENT_SECRET', 'SCOPES', 'DISCOVERY_URL']
>>> provider_names("github, Acme ,")
['github', 'acme']
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from foundry.domain.env import EnvVar

__all__ = [
    "BUILT_IN",
    "DEFAULT_SCOPES",
    "GENERAL",
    "GOOGLE_DISCOVERY_URL",
    "DeclaredEnv",
    "declared_env",
    "env_prefix",
    "provider_names",
    "provider_variables",
    "valid_name",
]

BUILT_IN: Mapping[str, str] = {"github": "GitHub", "google": "Google", "facebook": "Facebook"}
"""Provider names with a driver of their own, and how they are called on pages."""

GOOGLE_DISCOVERY_URL = "https://accounts.google.com/.well-known/openid-configuration"

DEFAULT_SCOPES: Mapping[str, tuple[str, ...]] = {
    "github": ("read:user", "user:email"),
    "google": ("openid", "email", "profile"),
    "facebook": ("email", "public_profile"),
    "oidc": ("openid", "email", "profile"),
}

GENERAL: tuple[EnvVar, ...] = (
    EnvVar(
        "OAUTH_PROVIDERS",
        "socialite.providers",
        "list",
        description="Social login providers to offer: github, google, facebook or any "
        "OpenID Connect issuer name (comma-separated)",
    ),
    EnvVar(
        "OAUTH_REDIRECT_AFTER_LOGIN",
        "socialite.redirect_after_login",
        "str",
        "/",
        description="Where the browser goes after a social sign-in",
    ),
    EnvVar(
        "OAUTH_STATE_LIFETIME",
        "socialite.state_lifetime",
        "int",
        600,
        description="Seconds a social sign-in may take between redirect and callback",
    ),
    EnvVar(
        "OAUTH_HTTP_TIMEOUT",
        "socialite.http_timeout",
        "float",
        10.0,
        description="Seconds to wait for a social login provider's token, user and "
        "discovery endpoints",
    ),
)


_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def valid_name(name: str) -> bool:
    """A provider name is lower-case letters, digits, ``-`` and ``_``, starting with a letter
    (it becomes part of URLs, cookie names and variable names)."""
    return bool(_NAME.match(name))


def env_prefix(name: str) -> str:
    """``acme-id`` -> ``OAUTH_ACME_ID_``."""
    return "OAUTH_" + name.upper().replace("-", "_") + "_"


def provider_names(raw: object) -> list[str]:
    """The provider names of ``OAUTH_PROVIDERS`` (a list or comma-separated text),
    lower-cased, blanks and repeats dropped."""
    if isinstance(raw, str):
        items: list[object] = list(raw.split(","))
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        items = []
    names: list[str] = []
    for item in items:
        name = str(item).strip().lower()
        if name and name not in names:
            names.append(name)
    return names


def provider_variables(name: str) -> tuple[EnvVar, ...]:
    """The variables of one provider (config keys ``services.<name>.*``, as Socialite)."""
    prefix, key = env_prefix(name), f"services.{name}"
    label = BUILT_IN.get(name, name)
    driver = name if name in BUILT_IN else "oidc"
    variables = [
        EnvVar(f"{prefix}CLIENT_ID", f"{key}.client_id", description=f"{label} OAuth client id"),
        EnvVar(
            f"{prefix}CLIENT_SECRET",
            f"{key}.client_secret",
            secret=True,
            description=f"{label} OAuth client secret",
        ),
        EnvVar(
            f"{prefix}SCOPES",
            f"{key}.scopes",
            "list",
            list(DEFAULT_SCOPES[driver]),
            description=f"Scopes asked of {label} (comma-separated)",
        ),
    ]
    if driver in ("google", "oidc"):
        variables.append(
            EnvVar(
                f"{prefix}DISCOVERY_URL",
                f"{key}.discovery_url",
                "url",
                GOOGLE_DISCOVERY_URL if driver == "google" else None,
                description=f"{label}'s OpenID Connect discovery document "
                "(.../.well-known/openid-configuration)",
            )
        )
    if driver == "github":
        variables += [
            EnvVar(
                "OAUTH_GITHUB_URL",
                "services.github.url",
                "url",
                "https://github.com",
                description="GitHub's web address (GitHub Enterprise: https://github.example.com)",
            ),
            EnvVar(
                "OAUTH_GITHUB_API_URL",
                "services.github.api_url",
                "url",
                "https://api.github.com",
                description="GitHub's REST API (GitHub Enterprise: https://github.example.com/api/v3)",
            ),
        ]
    return tuple(variables)


def declared_env(environ: Mapping[str, str]) -> tuple[EnvVar, ...]:
    """Every variable: general, built-in providers, and each other listed provider."""
    declared = list(GENERAL)
    for name in BUILT_IN:
        declared += provider_variables(name)
    for name in provider_names(environ.get("OAUTH_PROVIDERS", "")):
        if name not in BUILT_IN and valid_name(name):
            declared += provider_variables(name)
    return tuple(declared)


class DeclaredEnv:
    """A class attribute whose value is :func:`declared_env` of the current environment."""

    def __get__(self, instance: object, owner: type | None = None) -> tuple[EnvVar, ...]:
        return declared_env(os.environ)
