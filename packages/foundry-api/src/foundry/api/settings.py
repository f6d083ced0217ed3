"""The HTTP kernel's settings: every variable it reads, declared once, read once at boot.

Middleware gets plain values from :class:`ApiSettings` when the application is assembled,
so no request ever reads configuration. A bad value fails the boot with a message naming
the variable and the fix, instead of surfacing as a confusing response later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.env import EnvVar, parse_bool
from foundry.domain.errors import ConfigurationError

__all__ = ["ENV", "ApiSettings"]

MIB = 1024 * 1024
DEFAULT_ALLOWED_MIMES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")
FRAME_OPTIONS = ("deny", "sameorigin", "off")

ENV: tuple[EnvVar, ...] = (
    EnvVar(
        "TRUSTED_PROXIES",
        "api.trusted_proxies",
        "list",
        [],
        description="Proxy IPs/CIDRs (or *) whose X-Forwarded-* and X-Request-ID are honoured",
    ),
    EnvVar(
        "API_BODY_LIMIT",
        "api.body_limit",
        "int",
        10 * MIB,
        description="Largest request body in bytes (413 beyond it)",
    ),
    EnvVar("CORS_ORIGINS", "api.cors.origins", "list", [], description="Allowed origins (or *)"),
    EnvVar("CORS_METHODS", "api.cors.methods", "list", ["*"], description="Allowed methods"),
    EnvVar("CORS_HEADERS", "api.cors.headers", "list", ["*"], description="Allowed headers"),
    EnvVar(
        "CORS_EXPOSE_HEADERS",
        "api.cors.expose_headers",
        "list",
        ["X-Request-ID"],
        description="Response headers browsers may read",
    ),
    EnvVar(
        "CORS_CREDENTIALS",
        "api.cors.credentials",
        "bool",
        False,
        description="Allow cookies and Authorization on cross-origin requests",
    ),
    EnvVar("CORS_MAX_AGE", "api.cors.max_age", "int", 600, description="Preflight cache seconds"),
    EnvVar(
        "API_FRAME_OPTIONS",
        "api.frame_options",
        "enum",
        "deny",
        choices=FRAME_OPTIONS,
        description="X-Frame-Options: deny, sameorigin, or off",
    ),
    EnvVar(
        "HSTS_MAX_AGE",
        "api.hsts.max_age",
        "int",
        31536000,
        description="Strict-Transport-Security max-age on https responses (0 turns it off)",
    ),
    EnvVar(
        "HSTS_INCLUDE_SUBDOMAINS",
        "api.hsts.include_subdomains",
        "bool",
        False,
        description="Add includeSubDomains to Strict-Transport-Security",
    ),
    EnvVar(
        "API_INVOKE_ENABLED",
        "api.invoke.enabled",
        "bool",
        False,
        description="Serve POST /invoke (runs commands; needs a token with foundry:invoke)",
    ),
    EnvVar("UPLOAD_DISK", "api.upload.disk", "str", "public", description="Disk POST /upload uses"),
    EnvVar(
        "UPLOAD_MAX_SIZE",
        "api.upload.max_size",
        "int",
        5 * MIB,
        description="Largest uploaded file in bytes",
    ),
    EnvVar(
        "UPLOAD_ALLOWED_MIMES",
        "api.upload.allowed_mimes",
        "list",
        list(DEFAULT_ALLOWED_MIMES),
        description="MIME types POST /upload accepts, checked against the sniffed content",
    ),
    EnvVar(
        "API_UPLOAD_PUBLIC",
        "api.upload.public",
        "bool",
        False,
        description="Let POST /upload accept requests without a foundry:upload token",
    ),
)


def _list(config: ConfigRepository, key: str, name: str) -> tuple[str, ...]:
    value = config.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    if isinstance(value, Sequence):
        return tuple(str(item).strip() for item in value if str(item).strip())
    raise ConfigurationError(f"{name} ({key}) must be a list or comma-separated text.")


def _int(config: ConfigRepository, key: str, name: str, *, minimum: int) -> int:
    value: Any = config.get(key)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{name} ({key}) = {value!r} is not an integer.") from None
    if isinstance(value, bool) or number < minimum:
        raise ConfigurationError(f"{name} ({key}) = {value!r} must be an integer >= {minimum}.")
    return number


def _bool(config: ConfigRepository, key: str, name: str) -> bool:
    value = config.get(key, False)
    if isinstance(value, str):
        try:
            return parse_bool(value)
        except ValueError:
            raise ConfigurationError(f"{name} ({key}) = {value!r} is not true/false.") from None
    return bool(value)


def _mime(value: str, name: str) -> str:
    lowered = value.lower()
    kind, _, sub = lowered.partition("/")
    if not kind or not sub or " " in lowered or ";" in lowered:
        raise ConfigurationError(
            f"{name}: {value!r} is not a MIME type; write type/subtype, like image/png."
        )
    return lowered


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Everything the HTTP kernel reads from configuration (see :data:`ENV`)."""

    trusted_proxies: tuple[str, ...] = ()
    body_limit: int = 10 * MIB
    cors_origins: tuple[str, ...] = ()
    cors_methods: tuple[str, ...] = ("*",)
    cors_headers: tuple[str, ...] = ("*",)
    cors_expose_headers: tuple[str, ...] = ("X-Request-ID",)
    cors_credentials: bool = False
    cors_max_age: int = 600
    frame_options: str | None = "DENY"
    hsts_max_age: int = 31536000
    hsts_include_subdomains: bool = False
    invoke_enabled: bool = False
    upload_disk: str = "public"
    upload_max_size: int = 5 * MIB
    upload_allowed_mimes: tuple[str, ...] = DEFAULT_ALLOWED_MIMES
    upload_public: bool = False

    @classmethod
    def from_config(cls, config: ConfigRepository) -> ApiSettings:
        """Read and check every ``api.*`` key.

        Raises:
            ConfigurationError: a value is malformed; the message names the variable.
        """
        frame = str(config.get("api.frame_options") or "deny").strip().lower()
        if frame not in FRAME_OPTIONS:
            raise ConfigurationError(
                f"API_FRAME_OPTIONS = {frame!r} is not one of {', '.join(FRAME_OPTIONS)}."
            )
        origins = _list(config, "api.cors.origins", "CORS_ORIGINS")
        credentials = _bool(config, "api.cors.credentials", "CORS_CREDENTIALS")
        if credentials and "*" in origins:
            raise ConfigurationError(
                "CORS_CREDENTIALS=true with CORS_ORIGINS=* would let every site send "
                "credentialed requests: list the allowed origins in CORS_ORIGINS instead."
            )
        mimes = _list(config, "api.upload.allowed_mimes", "UPLOAD_ALLOWED_MIMES")
        disk = str(config.get("api.upload.disk") or "public")
        return cls(
            trusted_proxies=_list(config, "api.trusted_proxies", "TRUSTED_PROXIES"),
            body_limit=_int(config, "api.body_limit", "API_BODY_LIMIT", minimum=1),
            cors_origins=origins,
            cors_methods=_list(config, "api.cors.methods", "CORS_METHODS"),
            cors_headers=_list(config, "api.cors.headers", "CORS_HEADERS"),
            cors_expose_headers=_list(config, "api.cors.expose_headers", "CORS_EXPOSE_HEADERS"),
            cors_credentials=credentials,
            cors_max_age=_int(config, "api.cors.max_age", "CORS_MAX_AGE", minimum=0),
            frame_options=None if frame == "off" else frame.upper(),
            hsts_max_age=_int(config, "api.hsts.max_age", "HSTS_MAX_AGE", minimum=0),
            hsts_include_subdomains=_bool(
                config, "api.hsts.include_subdomains", "HSTS_INCLUDE_SUBDOMAINS"
            ),
            invoke_enabled=_bool(config, "api.invoke.enabled", "API_INVOKE_ENABLED"),
            upload_disk=disk,
            upload_max_size=_int(config, "api.upload.max_size", "UPLOAD_MAX_SIZE", minimum=1),
            upload_allowed_mimes=tuple(_mime(m, "UPLOAD_ALLOWED_MIMES") for m in mimes),
            upload_public=_bool(config, "api.upload.public", "API_UPLOAD_PUBLIC"),
        )
