"""The package's settings, read from config (``notifications.*``, fed by the env vars)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.domain.env import EnvVar, parse_bool
from foundry.notifications.exceptions import NotificationConfigurationError

__all__ = ["ENV_VARS", "NotificationSettings"]

ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(
        "NOTIFICATIONS_WEBHOOK_SECRET",
        "notifications.webhook_secret",
        secret=True,
        description="Signs webhook notifications (X-Foundry-Signature) unless a route has its own",
    ),
    EnvVar(
        "NOTIFICATIONS_SLACK_WEBHOOK_URL",
        "notifications.slack_webhook_url",
        "url",
        secret=True,
        description="Slack incoming webhook used when a notifiable routes none of its own",
    ),
    EnvVar(
        "NOTIFICATIONS_PRUNE_DAYS",
        "notifications.prune_days",
        "int",
        30,
        description="notifications:prune deletes read notifications older than this many days",
    ),
    EnvVar(
        "NOTIFICATIONS_HTTP_TIMEOUT",
        "notifications.http.timeout",
        "float",
        10.0,
        description="Seconds a Slack or webhook request may take",
    ),
    EnvVar(
        "NOTIFICATIONS_HTTP_TRIES",
        "notifications.http.tries",
        "int",
        3,
        description="Attempts per Slack or webhook delivery (on 5xx, 429, connection errors)",
    ),
    EnvVar(
        "NOTIFICATIONS_HTTP_BACKOFF",
        "notifications.http.backoff",
        "float",
        1.0,
        description="Seconds before the first HTTP retry; doubled for each further retry",
    ),
    EnvVar(
        "NOTIFICATIONS_HTTP_MAX_WAIT",
        "notifications.http.max_wait",
        "float",
        30.0,
        description="Longest Retry-After waited for in-process; longer is left to the queue",
    ),
    EnvVar(
        "NOTIFICATIONS_ROUTES",
        "notifications.routes",
        "bool",
        True,
        description="Serve GET/POST/DELETE /notifications for the authenticated user",
    ),
)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        try:
            return parse_bool(value)
        except ValueError:
            raise NotificationConfigurationError(
                f"NOTIFICATIONS_ROUTES={value!r} is not a boolean (true/false)."
            ) from None
    return bool(value)


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """Typed settings; :meth:`from_config` reads them and rejects nonsense early."""

    webhook_secret: str | None = None
    slack_webhook_url: str | None = None
    prune_days: int = 30
    http_timeout: float = 10.0
    http_tries: int = 3
    http_backoff: float = 1.0
    http_max_wait: float = 30.0
    routes: bool = True

    def __post_init__(self) -> None:
        checks = (
            (self.prune_days >= 1, "NOTIFICATIONS_PRUNE_DAYS", "a whole number of days, 1+"),
            (self.http_timeout > 0, "NOTIFICATIONS_HTTP_TIMEOUT", "more than 0 seconds"),
            (self.http_tries >= 1, "NOTIFICATIONS_HTTP_TRIES", "1 or more"),
            (self.http_backoff >= 0, "NOTIFICATIONS_HTTP_BACKOFF", "0 seconds or more"),
            (self.http_max_wait >= 0, "NOTIFICATIONS_HTTP_MAX_WAIT", "0 seconds or more"),
        )
        for ok, name, wanted in checks:
            if not ok:
                raise NotificationConfigurationError(f"{name} must be {wanted}.")

    @classmethod
    def from_config(cls, config: Any) -> NotificationSettings:
        """Read ``notifications.*`` from a ``ConfigRepository``."""

        def get(key: str, default: Any) -> Any:
            value = config.get(f"notifications.{key}")
            return default if value is None or value == "" else value

        return cls(
            webhook_secret=get("webhook_secret", None),
            slack_webhook_url=get("slack_webhook_url", None),
            prune_days=int(get("prune_days", 30)),
            http_timeout=float(get("http.timeout", 10.0)),
            http_tries=int(get("http.tries", 3)),
            http_backoff=float(get("http.backoff", 1.0)),
            http_max_wait=float(get("http.max_wait", 30.0)),
            routes=_flag(get("routes", True)),
        )
