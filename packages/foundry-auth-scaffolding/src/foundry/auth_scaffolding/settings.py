"""The auth package's settings: every variable it reads, and the values built from them.

Lifetimes follow RustForge's ``.env.example``: ``AUTH_*_LIFETIME`` are seconds,
``SESSION_LIFETIME`` is minutes (Laravel's unit). They are read once, at boot, and a
malformed value stops the boot naming the variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.domain.config import ConfigRepository
from foundry.domain.env import REDIS_URL, EnvVar, parse_bool
from foundry.domain.errors import ConfigurationError

__all__ = ["ENV_VARS", "SESSION_DRIVERS", "AuthSettings", "HashingSettings"]

SESSION_DRIVERS = ("database", "redis", "memory")

ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(
        "SESSION_DRIVER",
        "session.driver",
        "enum",
        "database",
        choices=SESSION_DRIVERS,
        aliases=("AUTH_SESSION_STORAGE",),
        description="Where login sessions live: database (default), redis or memory",
    ),
    EnvVar(
        "SESSION_LIFETIME",
        "session.lifetime",
        "int",
        120,
        description="Minutes a session may stay idle before it expires",
    ),
    EnvVar(
        "SESSION_COOKIE",
        "session.cookie",
        "str",
        "foundry_session",
        description="Name of the session cookie",
    ),
    EnvVar(
        "SESSION_SECURE_COOKIE",
        "session.secure",
        "bool",
        description="Send cookies over HTTPS only (default: when the request or APP_URL is "
        "https, and always in production)",
    ),
    EnvVar(
        "SESSION_SAME_SITE",
        "session.same_site",
        "enum",
        "lax",
        choices=("lax", "strict"),
        description="SameSite attribute of the session cookie",
    ),
    EnvVar(
        "SESSION_PREFIX",
        "session.prefix",
        "str",
        "foundry:session:",
        description="Key prefix of the redis session driver (apps sharing a Redis keep "
        "their sessions apart with their own)",
    ),
    EnvVar(
        "SESSION_CLIENT_CACHE",
        "session.client_cache",
        "bool",
        True,
        description="Keep redis sessions in process memory, dropped the moment Redis reports "
        "a change from any instance (CLIENT TRACKING; Redis 6+). false: read Redis on "
        "every request",
    ),
    EnvVar(
        "AUTH_SESSION_LIFETIME",
        "auth.session_lifetime",
        "int",
        7200,
        description="Seconds a login lasts without 'remember me' (absolute, from login)",
    ),
    EnvVar(
        "AUTH_REMEMBER_LIFETIME",
        "auth.remember_lifetime",
        "int",
        2_592_000,
        description="Seconds a login with 'remember me' lasts",
    ),
    EnvVar(
        "AUTH_PASSWORD_RESET_LIFETIME",
        "auth.password_reset_lifetime",
        "int",
        3600,
        description="Seconds a password reset link stays valid",
    ),
    EnvVar(
        "AUTH_EMAIL_VERIFICATION_LIFETIME",
        "auth.email_verification_lifetime",
        "int",
        86_400,
        description="Seconds an e-mail verification link stays valid",
    ),
    EnvVar(
        "AUTH_REQUIRE_EMAIL_VERIFICATION",
        "auth.require_email_verification",
        "bool",
        False,
        description="Users must verify their e-mail before using the account area",
    ),
    EnvVar(
        "AUTH_ENABLE_TWO_FACTOR",
        "auth.enable_two_factor",
        "bool",
        False,
        description="Offer TOTP two-factor authentication in the account area",
    ),
    REDIS_URL,
)

# Argon2id, OWASP's minimum: 19 MiB, 2 iterations, 1 lane. Weaker settings are refused.
MIN_MEMORY_KIB = 19_456
MIN_TIME_COST = 2
MIN_PARALLELISM = 1


@dataclass(frozen=True, slots=True)
class HashingSettings:
    """Argon2id parameters (``auth.hashing.*`` in config; never below OWASP's minimum)."""

    memory_cost: int = MIN_MEMORY_KIB
    time_cost: int = MIN_TIME_COST
    parallelism: int = MIN_PARALLELISM

    def __post_init__(self) -> None:
        if (
            self.memory_cost < MIN_MEMORY_KIB
            or self.time_cost < MIN_TIME_COST
            or self.parallelism < MIN_PARALLELISM
        ):
            raise ConfigurationError(
                f"auth.hashing: memory_cost={self.memory_cost} KiB, time_cost="
                f"{self.time_cost}, parallelism={self.parallelism} is weaker than OWASP's "
                f"Argon2id minimum (memory_cost >= {MIN_MEMORY_KIB}, time_cost >= "
                f"{MIN_TIME_COST}, parallelism >= {MIN_PARALLELISM}); raise the values."
            )


@dataclass(frozen=True, slots=True)
class AuthSettings:
    """Everything the package builds from (see the README for each variable).

    Attributes:
        session_driver: ``database``, ``redis`` or ``memory``.
        idle_lifetime: seconds a session may stay idle (``SESSION_LIFETIME`` minutes).
        session_lifetime: seconds a login lasts without remember-me.
        remember_lifetime: seconds a remembered login lasts.
        reset_lifetime / verification_lifetime: seconds the e-mailed links stay valid.
        require_verification: gate the account area on a verified e-mail.
        two_factor: offer TOTP two-factor authentication.
        cookie / secure / same_site: the session cookie's name and flags (``secure=None``:
            secure when the request or ``APP_URL`` is https, or in production).
        redis_url / redis_prefix: the ``redis`` session driver's server and key prefix.
        client_cache: cache ``redis`` sessions in process, kept coherent by Redis's
            invalidation messages.
        app_name / app_url: shown in pages and mails, and the base of e-mailed links.
        max_attempts / decay: failed logins allowed per (e-mail, IP) before lockout, and
            the seconds the count lasts.
        password_timeout: seconds a password confirmation lasts.
        min_password_length: the shortest password accepted.
        token_cache_ttl: seconds a verified API token is trusted without a lookup.
        hashing: Argon2id parameters.
    """

    session_driver: str = "database"
    idle_lifetime: int = 7200
    session_lifetime: int = 7200
    remember_lifetime: int = 2_592_000
    reset_lifetime: int = 3600
    verification_lifetime: int = 86_400
    require_verification: bool = False
    two_factor: bool = False
    cookie: str = "foundry_session"
    secure: bool | None = None
    same_site: str = "lax"
    redis_url: str | None = None
    redis_prefix: str = "foundry:session:"
    client_cache: bool = True
    app_name: str = "Foundry"
    app_url: str = "http://localhost:8000"
    production: bool = False
    max_attempts: int = 5
    decay: int = 60
    password_timeout: int = 10_800
    min_password_length: int = 8
    token_cache_ttl: float = 5.0
    hashing: HashingSettings = HashingSettings()

    @classmethod
    def from_config(cls, config: ConfigRepository) -> AuthSettings:
        """Read ``auth.*``, ``session.*``, ``app.*`` and ``redis.url``.

        Raises:
            ConfigurationError: a value does not parse, naming its variable.
        """

        def get(key: str, default: Any) -> Any:
            value = config.get(key)
            return default if value is None or value == "" else value

        driver = str(get("session.driver", "database")).strip().lower()
        if driver not in SESSION_DRIVERS:
            raise ConfigurationError(
                f"SESSION_DRIVER={driver!r} is not one of {', '.join(SESSION_DRIVERS)}."
            )
        redis_url = config.get("redis.url")
        if driver == "redis" and not redis_url:
            raise ConfigurationError(
                "SESSION_DRIVER=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379/0); set "
                "it, or use SESSION_DRIVER=database."
            )
        same_site = str(get("session.same_site", "lax")).strip().lower()
        if same_site not in ("lax", "strict"):
            raise ConfigurationError(f"SESSION_SAME_SITE={same_site!r} is not lax or strict.")
        secure = config.get("session.secure")
        hashing = get("auth.hashing", {})
        return cls(
            session_driver=driver,
            idle_lifetime=_positive("SESSION_LIFETIME", get("session.lifetime", 120)) * 60,
            session_lifetime=_positive("AUTH_SESSION_LIFETIME", get("auth.session_lifetime", 7200)),
            remember_lifetime=_positive(
                "AUTH_REMEMBER_LIFETIME", get("auth.remember_lifetime", 2_592_000)
            ),
            reset_lifetime=_positive(
                "AUTH_PASSWORD_RESET_LIFETIME", get("auth.password_reset_lifetime", 3600)
            ),
            verification_lifetime=_positive(
                "AUTH_EMAIL_VERIFICATION_LIFETIME",
                get("auth.email_verification_lifetime", 86_400),
            ),
            require_verification=_flag(
                "AUTH_REQUIRE_EMAIL_VERIFICATION", get("auth.require_email_verification", False)
            ),
            two_factor=_flag("AUTH_ENABLE_TWO_FACTOR", get("auth.enable_two_factor", False)),
            cookie=str(get("session.cookie", "foundry_session")),
            secure=None
            if secure is None or secure == ""
            else _flag("SESSION_SECURE_COOKIE", secure),
            same_site=same_site,
            redis_url=str(redis_url) if redis_url else None,
            redis_prefix=str(get("session.prefix", "foundry:session:")),
            client_cache=_flag("SESSION_CLIENT_CACHE", get("session.client_cache", True)),
            app_name=str(get("app.name", "Foundry")),
            app_url=str(get("app.url", "http://localhost:8000")).rstrip("/"),
            production=str(get("app.env", "local")) == "production",
            max_attempts=_positive(
                "auth.throttle.max_attempts", get("auth.throttle.max_attempts", 5)
            ),
            decay=_positive("auth.throttle.decay", get("auth.throttle.decay", 60)),
            password_timeout=_positive(
                "auth.password_timeout", get("auth.password_timeout", 10_800)
            ),
            min_password_length=_positive(
                "auth.min_password_length", get("auth.min_password_length", 8)
            ),
            token_cache_ttl=float(get("auth.token_cache_ttl", 5.0)),
            hashing=HashingSettings(
                memory_cost=int(hashing.get("memory_cost", MIN_MEMORY_KIB)),
                time_cost=int(hashing.get("time_cost", MIN_TIME_COST)),
                parallelism=int(hashing.get("parallelism", MIN_PARALLELISM)),
            ),
        )


def _positive(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{name}={value!r} is not a whole number.") from None
    if number <= 0:
        raise ConfigurationError(f"{name}={value!r} must be above 0.")
    return number


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    try:
        return parse_bool(str(value))
    except ValueError as exc:
        raise ConfigurationError(f"{name}={value!r} {exc}.") from None
