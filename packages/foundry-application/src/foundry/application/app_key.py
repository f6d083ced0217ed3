"""The boot-time check of ``APP_KEY``.

Sessions, signed URLs, encrypted columns and OAuth tokens are only as strong as the key, so
a key that does not decode (too short, broken base64) must not be used quietly: the
environment layer leaves a malformed value out of configuration, and every package would
then run as if no key were set, or fail later and somewhere else. A production application
without a key is refused too; elsewhere a missing key is fine until something needs one.

Commands that only ``register`` (``requires_boot = False``: ``key:generate``,
``env:validate``) never reach this check, so a broken key can always be repaired.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from foundry.domain.env import decode_key
from foundry.domain.errors import ConfigurationError

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["check_app_key"]

KEY_NAME = "APP_KEY"


def _configured_key(app: Application) -> str:
    """The key the application would use, or the malformed text configuration refused."""
    try:
        value = app.config.get("app.key")
    except ConfigurationError:  # the layered repository refuses a malformed APP_KEY
        value = None
    if value is None or value == "":
        # Configuration leaves a malformed environment value out rather than guessing.
        value = os.environ.get(KEY_NAME, "")
    return str(value).strip()


def check_app_key(app: Application) -> None:
    """Refuse a malformed ``APP_KEY``, and a missing one in production.

    Raises:
        ConfigurationError: one line naming the problem and ``foundry key:generate``; the
            key itself is never part of the message.
    """
    key = _configured_key(app)
    if key:
        try:
            decode_key(key)
        except ValueError as exc:
            raise ConfigurationError(
                f"{KEY_NAME} is malformed: it {exc}. Run `foundry key:generate --force` to "
                "replace it with a new 256-bit key in .env (or set a valid one where the "
                "environment is configured).",
                context={"variable": KEY_NAME},
            ) from None
    elif app.is_production():
        raise ConfigurationError(
            f"{KEY_NAME} is not set, and APP_ENV=production needs it (sessions, signed URLs "
            "and encryption depend on it). Run `foundry key:generate` to write one into .env, "
            "or set it where the environment is configured.",
            context={"variable": KEY_NAME},
        )
