"""``foundry config:show [key]``: the merged configuration, secrets masked."""

from __future__ import annotations

import difflib
import json
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.config import ConfigRepository, flatten
from foundry.domain.errors import ConfigurationError

__all__ = ["ConfigShowCommand"]

_MISSING = object()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _suggestion(config: ConfigRepository, key: str) -> str:
    """`` Did you mean: cache.driver?`` from the keys and sections that exist."""
    try:
        known = list(flatten(config.all()))
    except ConfigurationError:  # a malformed value elsewhere: no suggestions, same answer
        return ""
    sections = {k.rsplit(".", n)[0] for k in known for n in range(1, k.count(".") + 1)}
    close = difflib.get_close_matches(key, sorted({*known, *sections}), n=3, cutoff=0.8)
    return f" Did you mean: {', '.join(close)}?" if close else ""


class ConfigShowCommand(Command):
    name = "config:show"
    summary = "Show the configuration, a section or one key (secrets masked)"
    description = (
        "Nested keys are shown as dotted rows. Values fed by secret variables, and keys "
        "named like *password*, *secret*, *key* or *token*, are masked unless --reveal. "
        'Says "(cached)" when answering from bootstrap/cache/config.json.'
    )
    arguments = (Argument("key", "A section (cache) or a key (cache.driver)", required=False),)
    options = (Option("reveal", "Show secret values in clear", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.config.masking import MASK, is_secret_key, secret_keys

        config = ctx.app.config
        cached = bool(getattr(config, "is_cached", False))
        key: str | None = ctx.argument("key")
        if key is None:
            rows = flatten(config.all())
        else:
            value = config.get(key, _MISSING)
            if value is _MISSING:
                hint = _suggestion(config, key)
                return CommandResult.failure(f'Configuration key "{key}" is not set.{hint}')
            rows = flatten(value, f"{key}.") if isinstance(value, dict) else {key: value}
        reveal = bool(ctx.option("reveal", False))
        secrets = secret_keys(ctx.app.env_vars)
        shown = {
            k: MASK if not reveal and v not in (None, "") and is_secret_key(k, secrets) else v
            for k, v in sorted(rows.items())
        }
        suffix = " (cached)" if cached else ""
        data = {"key": key, "cached": cached, "values": shown}
        if not ctx.json:
            title = f"Configuration{suffix}" if key is None else f"{key}{suffix}"
            ctx.output.table(
                ("Key", "Value"), [(k, _text(v)) for k, v in shown.items()], title=title
            )
        return CommandResult.success(data=data)
