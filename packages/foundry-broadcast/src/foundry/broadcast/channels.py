"""Channel authorisation callbacks, registered in code as Laravel's ``Broadcast::channel``.

::

    channels = app.make(ChannelRegistry)

    @channels.channel("private-orders.{order_id}")
    async def order(user, order_id: str) -> bool:
        return await Order.owned_by(user, order_id)

    channels.register("presence-room.{room}", lambda user, room: {"name": user.name})

A pattern without a ``private-``/``presence-`` prefix (``orders.{id}``) matches both kinds,
as in Laravel. ``{name}`` captures one dot-free segment, passed to the callback by keyword.
The callback returns True (allowed), False/None (refused) or, for presence channels, a
dict: the member's ``user_info``. Callbacks may be sync or async; the first registered
pattern that matches decides.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ChannelCallback", "ChannelRegistry", "ChannelRule"]

ChannelCallback = Callable[
    ..., Awaitable[bool | dict[str, Any] | None] | bool | dict[str, Any] | None
]
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_KIND_PREFIXES = ("private-", "presence-")


@dataclass(frozen=True, slots=True)
class ChannelRule:
    """One registered pattern and its callback."""

    pattern: str
    regex: re.Pattern[str]
    callback: ChannelCallback
    prefixed: bool

    def match(self, channel: str) -> dict[str, str] | None:
        """The captured parameters when ``channel`` matches, else None."""
        name = channel
        if not self.prefixed:
            for prefix in _KIND_PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix) :]
                    break
            else:
                return None
        found = self.regex.fullmatch(name)
        return found.groupdict() if found else None


def _compile(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for found in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[position : found.start()]))
        parts.append(f"(?P<{found.group(1)}>[^.]+)")
        position = found.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("".join(parts))


class ChannelRegistry:
    """The app's channel authorisation rules (bound as a singleton)."""

    def __init__(self) -> None:
        self._rules: list[ChannelRule] = []

    def register(self, pattern: str, callback: ChannelCallback) -> ChannelRule:
        """Authorise channels matching ``pattern`` with ``callback(user, **params)``."""
        if not pattern or pattern.startswith("public-"):
            raise ValueError(f"Channel pattern {pattern!r} must name a private or presence channel")
        rule = ChannelRule(pattern, _compile(pattern), callback, pattern.startswith(_KIND_PREFIXES))
        self._rules.append(rule)
        return rule

    def channel(self, pattern: str) -> Callable[[ChannelCallback], ChannelCallback]:
        """Decorator form of :meth:`register`."""

        def decorate(callback: ChannelCallback) -> ChannelCallback:
            self.register(pattern, callback)
            return callback

        return decorate

    def find(self, channel: str) -> tuple[ChannelRule, dict[str, str]] | None:
        for rule in self._rules:
            params = rule.match(channel)
            if params is not None:
                return rule, params
        return None

    async def authorise(self, channel: str, user: Any) -> bool | dict[str, Any] | None:
        """Run the matching callback; None when no pattern matches (refused)."""
        found = self.find(channel)
        if found is None:
            return None
        rule, params = found
        result = rule.callback(user, **params)
        if inspect.isawaitable(result):
            result = await result
        return result

    @property
    def patterns(self) -> list[str]:
        return [rule.pattern for rule in self._rules]
