"""Checking the parameters of a programmatic call before a command sees them.

The kernel turns ``params`` into the same words a person would type, so type and rule
validation happen there exactly as on the command line. What is checked here is only what
the command line cannot express: a key given twice (once in the mapping, once as a keyword),
a global flag with an impossible value, and, for queued runs, parameters that could not
survive the trip through a queue.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from foundry.domain.commands import CommandDescriptor, Verbosity
from foundry.domain.errors import InputError

__all__ = [
    "CALL_RESERVED",
    "QUEUE_RESERVED",
    "check_format",
    "check_verbosity",
    "merge_params",
    "queueable_params",
]

CALL_RESERVED: tuple[str, ...] = ("dry_run", "force", "format", "verbosity")
"""Keywords of ``call()``/``call_sync()`` that are global flags, not command options."""

QUEUE_RESERVED: tuple[str, ...] = ("dry_run", "force", "on_queue", "on_connection", "delay")
"""Keywords of ``queue_call()`` that are global flags or delivery options."""


def merge_params(
    command: str, params: Mapping[str, Any] | None, keywords: Mapping[str, Any]
) -> dict[str, Any]:
    """The mapping and the keywords as one dict; a key in both is refused, not guessed."""
    merged = dict(params or {})
    for key, value in keywords.items():
        if key in merged:
            raise InputError(
                key,
                f'"{key}" was given twice to call("{command}"): once in the params mapping '
                "and once as a keyword argument; keep one.",
            )
        merged[key] = value
    return merged


def check_format(command: str, value: object) -> None:
    """Refuse a ``format`` that is not a global output format, naming the way out."""
    if value not in ("human", "json"):
        raise InputError(
            "format",
            f"format={value!r} is not one of human, json. It is the global --format flag; "
            f'to pass the command\'s own --format option write call("{command}", '
            f'{{"format": "{value}"}}).',
        )


def check_verbosity(value: object) -> Verbosity:
    """``Verbosity`` or its number (0 quiet .. 4 debug)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4:
        return Verbosity(value)
    raise InputError(
        "verbosity",
        f"verbosity={value!r} is not a Verbosity (0 quiet, 1 normal, 2-3 verbose, 4 debug)",
    )


def _accepted_keys(descriptor: CommandDescriptor) -> set[str]:
    keys = {argument.name for argument in descriptor.arguments}
    for option in descriptor.options:
        keys.update((option.dest, option.name))
    return keys


def _plain(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def queueable_params(descriptor: CommandDescriptor, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` as they will be stored on a queue, checked now rather than on a worker.

    Every key must be an argument or option of the command (a typo fails at dispatch, not
    hours later on a worker) and every value must be JSON (paths become strings, tuples
    lists). The returned dict is the JSON round trip, so the job holds exactly what the
    worker will rebuild it from.
    """
    import json

    accepted = _accepted_keys(descriptor)
    stored: dict[str, Any] = {}
    for key, value in params.items():
        if key not in accepted:
            raise InputError(
                key,
                f'unknown option --{key.replace("_", "-")} for "{descriptor.name}" '
                "(nothing was queued)",
            )
        plain = _plain(value)
        try:
            stored[key] = json.loads(json.dumps(plain, allow_nan=False))
        except (TypeError, ValueError):
            raise InputError(
                key,
                f"{key}: a {type(value).__name__} cannot be queued; queued parameters must be "
                "JSON (str, int, float, bool, None, and lists of those). Nothing was queued.",
            ) from None
    return stored
