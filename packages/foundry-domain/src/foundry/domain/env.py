"""Environment variables as declared data.

Every variable the framework reads is declared once, by the package that reads it, as an
:class:`EnvVar` on its provider. From those declarations ``foundry env:validate`` knows every
variable (and reports unknown or malformed ones), the config repository knows which config key
each variable feeds (``CACHE_DRIVER`` -> ``cache.driver``), and ``.env.example`` is generated.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

__all__ = [
    "EnvKind",
    "EnvProblem",
    "EnvVar",
    "parse_bool",
    "problems_by_key",
    "refuse_malformed",
    "resolve_env",
]

EnvKind = Literal["str", "int", "float", "bool", "url", "path", "enum", "list", "key", "email"]

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_bool(raw: str) -> bool:
    """``true/false``, ``1/0``, ``yes/no``, ``on/off`` (any case); anything else is an error."""
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("is not a boolean (true/false)")


@dataclass(frozen=True, slots=True)
class EnvVar:
    """One environment variable the framework reads.

    Attributes:
        name: the variable (``CACHE_DRIVER``).
        key: the config key it sets (``cache.driver``), or None when read directly.
        kind: how the text is converted and checked.
        default: the value when unset (already typed), shown in ``.env.example``.
        choices: allowed values for ``enum``.
        secret: never printed or logged in clear.
        description: one line for ``env:validate`` and ``.env.example``.
        aliases: older names accepted too (``AUTH_SESSION_STORAGE`` for ``SESSION_DRIVER``).
    """

    name: str
    key: str | None = None
    kind: EnvKind = "str"
    default: Any = None
    choices: tuple[str, ...] = ()
    secret: bool = False
    description: str = ""
    aliases: tuple[str, ...] = ()

    def parse(self, raw: str) -> Any:
        """Convert the raw text; raises ValueError with a message fit to follow the name."""
        value = raw.strip()
        kind = self.kind
        if kind == "str":
            return raw
        if kind == "bool":
            return parse_bool(value)
        if kind == "int":
            try:
                return int(value)
            except ValueError:
                raise ValueError("is not an integer") from None
        if kind == "float":
            try:
                return float(value)
            except ValueError:
                raise ValueError("is not a number") from None
        if kind == "enum":
            if value.lower() not in {c.lower() for c in self.choices}:
                raise ValueError(f"is not one of {', '.join(self.choices)}")
            return value.lower()
        if kind == "list":
            return [item.strip() for item in value.split(",") if item.strip()]
        if kind == "url":
            parts = urlsplit(value)
            if not parts.scheme or not (parts.netloc or parts.path):
                raise ValueError("is not a URL (scheme://host/...)")
            return value
        if kind == "email":
            if not _EMAIL.match(value):
                raise ValueError("is not an e-mail address")
            return value
        if kind == "key":
            decode_key(value)
            return value
        return value  # path: any text names a path

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def decode_key(value: str) -> bytes:
    """Decode an application key (``base64:...`` of 32 bytes, or 32+ raw characters)."""
    if value.startswith("base64:"):
        try:
            raw = base64.b64decode(value[7:], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("is not valid base64 after the base64: prefix") from None
        if len(raw) < 32:
            raise ValueError("must hold at least 256 bits (32 bytes)")
        return raw
    if len(value.encode()) < 32:
        raise ValueError("must be at least 32 characters, or base64: and 32 bytes")
    return value.encode()


__all__ += ["decode_key"]


@dataclass(frozen=True, slots=True)
class EnvProblem:
    """A declared variable whose value does not parse."""

    name: str
    value: str
    message: str
    secret: bool = False

    def __str__(self) -> str:
        shown = "******" if self.secret else self.value
        return f"{self.name}={shown} {self.message}"

    def describe(self, origins: Mapping[str, str] | None = None) -> str:
        """``.env line 3: APP_DEBUG=maybe is not a boolean (true/false)`` when the line is
        known (``origins``: variable -> where it was set), else ``APP_DEBUG=maybe
        (environment) is not a boolean (true/false)``; a secret's value is masked."""
        shown = "******" if self.secret and self.value else self.value
        origin = (origins or {}).get(self.name)
        if origin:
            return f"{origin}: {self.name}={shown} {self.message}"
        return f"{self.name}={shown} (environment) {self.message}"


def problems_by_key(
    declared: Iterable[EnvVar], problems: Iterable[EnvProblem]
) -> dict[str, EnvProblem]:
    """The problems of :func:`resolve_env`, keyed by the config key their variable feeds."""
    keys = {name: var.key for var in declared if var.key for name in var.names()}
    return {keys[p.name]: p for p in problems if p.name in keys}


def refuse_malformed(
    problems: Mapping[str, EnvProblem],
    key: str | None,
    *,
    overridden: Iterable[str] = (),
    origins: Mapping[str, str] | None = None,
) -> None:
    """Refuse to answer ``key`` (a section: any key inside it; None: every key) from a
    layer below a malformed environment value, so a bad value never silently becomes the
    default. Keys set at run time (``overridden``) answer regardless.

    Raises:
        ConfigurationError: naming the first such variable (and how many more).
    """
    if not problems:
        return
    skip = set(overridden)
    hits = [
        problem
        for problem_key, problem in problems.items()
        if problem_key not in skip
        and (key is None or problem_key == key or problem_key.startswith(f"{key}."))
    ]
    if not hits:
        return
    from foundry.domain.errors import ConfigurationError

    message = hits[0].describe(origins)
    if len(hits) > 1:
        message += f" (and {len(hits) - 1} more: {', '.join(p.name for p in hits[1:])})"
    origin = (origins or {}).get(hits[0].name, "environment")
    raise ConfigurationError(message, context={"variable": hits[0].name, "origin": origin})


def resolve_env(
    declared: Iterable[EnvVar], environ: Mapping[str, str]
) -> tuple[dict[str, Any], list[EnvProblem]]:
    """The config values the environment sets, keyed by dotted config key.

    Unset variables contribute nothing (defaults are a separate, lower layer), and neither
    do empty values of typed variables (a fresh ``.env`` holds ``APP_KEY=``); malformed
    values are reported and left out, so a bad value never silently becomes a default.
    """
    values: dict[str, Any] = {}
    problems: list[EnvProblem] = []
    for var in declared:
        if var.key is None:
            continue
        for name in var.names():
            raw = environ.get(name)
            if raw is None or (not raw.strip() and var.kind != "str"):
                continue  # unset; an empty typed value (`APP_KEY=`) counts as unset too
            try:
                values[var.key] = var.parse(raw)
            except ValueError as exc:
                problems.append(EnvProblem(name, raw, str(exc), var.secret))
            break
    return values, problems


__all__ += ["defaults_of"]


def defaults_of(declared: Iterable[EnvVar]) -> dict[str, Any]:
    """Dotted config key -> declared default, for variables that feed a key."""
    return {v.key: v.default for v in declared if v.key is not None and v.default is not None}


# --- Variables several packages read --------------------------------------------------
# Declared once here and listed in the `env` tuple of every provider that reads them, so
# `env:validate` and `.env.example` see one declaration however many packages use it.

REDIS_URL = EnvVar(
    "REDIS_URL",
    "redis.url",
    "url",
    description="Redis server shared by the cache, queue, rate limiter and broadcaster",
)

__all__ += ["REDIS_URL"]
