"""Every variable the OAuth server reads, and the settings built from them at boot.

Lifetimes are seconds, as in RustForge's ``.env.example``. A malformed value stops the
boot naming the variable; so does a combination that would make the server insecure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.env import EnvVar, decode_key
from foundry.domain.errors import ConfigurationError

__all__ = ["DEFAULT_SCOPES", "ENV_VARS", "SIGNING_ALGORITHMS", "OAuthSettings"]

SIGNING_ALGORITHMS = ("RS256", "ES256")
MAX_AUTH_CODE_LIFETIME = 600  # RFC 6749 §4.1.2: "a maximum lifetime of 10 minutes"

DEFAULT_SCOPES: dict[str, str] = {
    "openid": "Sign you in and know who you are",
    "profile": "See your name",
    "email": "See your e-mail address",
}

ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(
        "OAUTH_STORAGE",
        "oauth.storage",
        "enum",
        "database",
        choices=("database", "memory"),
        description="Where clients, codes and tokens live: database (default) or memory",
    ),
    EnvVar(
        "OAUTH_ISSUER",
        "oauth.issuer",
        "url",
        description="Issuer identifier (iss) and base of every endpoint URL (default APP_URL)",
    ),
    EnvVar(
        "OAUTH_AUDIENCE",
        "oauth.audience",
        "str",
        description="aud of access tokens: the resource server they are for (default the issuer)",
    ),
    EnvVar(
        "OAUTH_ACCESS_TOKEN_LIFETIME",
        "oauth.access_token_lifetime",
        "int",
        3600,
        description="Seconds an access token stays valid",
    ),
    EnvVar(
        "OAUTH_REFRESH_TOKEN_LIFETIME",
        "oauth.refresh_token_lifetime",
        "int",
        2_592_000,
        description="Seconds a refresh token stays valid",
    ),
    EnvVar(
        "OAUTH_AUTH_CODE_LIFETIME",
        "oauth.auth_code_lifetime",
        "int",
        600,
        description="Seconds an authorization code stays valid (at most 600)",
    ),
    EnvVar(
        "OAUTH_PERSONAL_ACCESS_TOKEN_LIFETIME",
        "oauth.personal_access_token_lifetime",
        "int",
        31_536_000,
        description="Seconds a personal access token stays valid by default",
    ),
    EnvVar(
        "OAUTH_DEVICE_CODE_LIFETIME",
        "oauth.device_code_lifetime",
        "int",
        900,
        description="Seconds a device code and its user code stay valid",
    ),
    EnvVar(
        "OAUTH_DEVICE_POLL_INTERVAL",
        "oauth.device_poll_interval",
        "int",
        5,
        description="Seconds a device must wait between token polls",
    ),
    EnvVar(
        "OAUTH_ENABLE_PKCE",
        "oauth.enable_pkce",
        "bool",
        True,
        description="PKCE support (RFC 7636); mandatory under RFC 9700, so false is refused",
    ),
    EnvVar(
        "OAUTH_REQUIRE_PKCE",
        "oauth.require_pkce",
        "bool",
        False,
        description="Require PKCE (S256) from confidential clients too (public ones always)",
    ),
    EnvVar(
        "OAUTH_ENABLE_PASSWORD_GRANT",
        "oauth.enable_password_grant",
        "bool",
        False,
        description="Offer the resource owner password grant (discouraged by RFC 9700)",
    ),
    EnvVar(
        "OAUTH_SIGNING_ALG",
        "oauth.signing_alg",
        "enum",
        "RS256",
        choices=SIGNING_ALGORITHMS,
        description="Signature algorithm of access and ID tokens: RS256 or ES256",
    ),
    EnvVar(
        "OAUTH_PRIVATE_KEY",
        "oauth.private_key",
        "str",
        secret=True,
        description="PEM private signing key (instead of storage/oauth/oauth-private.key)",
    ),
    EnvVar(
        "OAUTH_PUBLIC_KEY",
        "oauth.public_key",
        "str",
        description="PEM public key matching OAUTH_PRIVATE_KEY",
    ),
    EnvVar(
        "OAUTH_LOGIN_URL",
        "oauth.login_url",
        "str",
        "/auth/login",
        description="Where /oauth/authorize sends visitors who are not logged in (?next=...)",
    ),
    EnvVar(
        "OAUTH_REVOCATION_CACHE_TTL",
        "oauth.revocation_cache_ttl",
        "float",
        5.0,
        description="Seconds a token's revocation state may be served from the cache",
    ),
    EnvVar(
        "OAUTH_REQUIRE_HTTPS",
        "oauth.require_https",
        "bool",
        description="Refuse OAuth requests over plain http (default: in production)",
    ),
)


def _scopes(raw: Any) -> dict[str, str]:
    """``oauth.scopes``: a mapping name -> description. A dotted config store nests
    ``users.read``; flatten it back so such names survive."""
    if raw is None:
        return dict(DEFAULT_SCOPES)
    if not isinstance(raw, Mapping):
        raise ConfigurationError(
            "Config oauth.scopes must map each scope name to its description, "
            f'e.g. {{"orders:read" = "Read your orders"}}; got {type(raw).__name__}.'
        )
    flat: dict[str, str] = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, Mapping):
                walk(value, f"{name}.")
            else:
                flat[name] = str(value)

    walk(raw, "")
    for name in flat:
        if not name or any(c in name for c in ' "\\'):
            raise ConfigurationError(
                f"Config oauth.scopes: {name!r} is not a valid scope name (RFC 6749 §3.3: "
                "no spaces, quotes or backslashes)."
            )
    return flat


@dataclass(frozen=True, slots=True)
class OAuthSettings:
    """The server's settings, read once at boot."""

    storage: str = "database"
    issuer: str = "http://localhost:8000"
    audience: str = "http://localhost:8000"
    access_token_lifetime: int = 3600
    refresh_token_lifetime: int = 2_592_000
    auth_code_lifetime: int = 600
    personal_access_token_lifetime: int = 31_536_000
    device_code_lifetime: int = 900
    device_poll_interval: int = 5
    require_pkce: bool = False
    enable_password_grant: bool = False
    signing_alg: str = "RS256"
    private_key: str | None = None
    public_key: str | None = None
    login_url: str = "/auth/login"
    revocation_cache_ttl: float = 5.0
    require_https: bool = False
    app_key: bytes | None = None
    scopes: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        if not 0 < self.auth_code_lifetime <= MAX_AUTH_CODE_LIFETIME:
            raise ConfigurationError(
                f"OAUTH_AUTH_CODE_LIFETIME={self.auth_code_lifetime} is out of range: "
                "authorization codes must expire within 1..600 seconds (RFC 6749 §4.1.2)."
            )
        for name, value in (
            ("OAUTH_ACCESS_TOKEN_LIFETIME", self.access_token_lifetime),
            ("OAUTH_REFRESH_TOKEN_LIFETIME", self.refresh_token_lifetime),
            ("OAUTH_PERSONAL_ACCESS_TOKEN_LIFETIME", self.personal_access_token_lifetime),
            ("OAUTH_DEVICE_CODE_LIFETIME", self.device_code_lifetime),
            ("OAUTH_DEVICE_POLL_INTERVAL", self.device_poll_interval),
        ):
            if value <= 0:
                raise ConfigurationError(f"{name}={value} must be a positive number of seconds.")
        if self.signing_alg not in SIGNING_ALGORITHMS:
            raise ConfigurationError(
                f"OAUTH_SIGNING_ALG={self.signing_alg} is not one of RS256, ES256."
            )
        if bool(self.private_key) != bool(self.public_key):
            raise ConfigurationError(
                "OAUTH_PRIVATE_KEY and OAUTH_PUBLIC_KEY go together: set both, or neither "
                "(and run foundry passport:keys to create storage/oauth/ key files)."
            )

    @property
    def scope_descriptions(self) -> Mapping[str, str]:
        return self.scopes if self.scopes is not None else DEFAULT_SCOPES

    @classmethod
    def from_config(cls, config: ConfigRepository, *, production: bool = False) -> OAuthSettings:
        """Build from the ``oauth.*`` keys (and ``app.url``/``app.key``)."""

        def get(key: str, default: Any) -> Any:
            value = config.get(f"oauth.{key}")
            return default if value is None or value == "" else value

        if get("enable_pkce", True) is False:
            raise ConfigurationError(
                "OAUTH_ENABLE_PKCE=false is refused: RFC 9700 requires authorization servers "
                "to support PKCE, and public clients cannot be secured without it. Leave it "
                "true; OAUTH_REQUIRE_PKCE=true makes it mandatory for every client."
            )
        issuer = str(get("issuer", config.get("app.url") or "http://localhost:8000")).rstrip("/")
        raw_key = config.get("app.key")
        app_key: bytes | None = None
        if raw_key:
            try:
                app_key = decode_key(str(raw_key))
            except ValueError as exc:
                raise ConfigurationError(f"APP_KEY {exc}; run foundry key:generate.") from None
        require_https = config.get("oauth.require_https")
        try:
            return cls(
                storage=str(get("storage", "database")).lower(),
                issuer=issuer,
                audience=str(get("audience", issuer)),
                access_token_lifetime=int(get("access_token_lifetime", 3600)),
                refresh_token_lifetime=int(get("refresh_token_lifetime", 2_592_000)),
                auth_code_lifetime=int(get("auth_code_lifetime", 600)),
                personal_access_token_lifetime=int(
                    get("personal_access_token_lifetime", 31_536_000)
                ),
                device_code_lifetime=int(get("device_code_lifetime", 900)),
                device_poll_interval=int(get("device_poll_interval", 5)),
                require_pkce=bool(get("require_pkce", False)),
                enable_password_grant=bool(get("enable_password_grant", False)),
                signing_alg=str(get("signing_alg", "RS256")).upper(),
                private_key=_pem(get("private_key", None)),
                public_key=_pem(get("public_key", None)),
                login_url=str(get("login_url", "/auth/login")),
                revocation_cache_ttl=float(get("revocation_cache_ttl", 5.0)),
                require_https=production if require_https is None else bool(require_https),
                app_key=app_key,
                scopes=_scopes(config.get("oauth.scopes")),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"OAuth configuration is malformed: {exc}") from None


def _pem(value: Any) -> str | None:
    """PEM text from an environment variable, where newlines are often written ``\\n``."""
    if not value:
        return None
    return str(value).replace("\\n", "\n").strip() + "\n"
