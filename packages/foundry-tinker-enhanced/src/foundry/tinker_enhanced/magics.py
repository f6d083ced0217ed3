"""The magics every tinker shell answers: ``%routes``, ``%commands``, ``%config KEY``.

IPython registers them as real line magics. The standard console, ptpython and
``--execute`` rewrite a line that starts with ``%name`` into a call of the magic
dispatcher (``__tinker_magic__("name", "argument")``), so a magic is an expression: its
value is displayed like any other, and ``--execute "%routes"`` prints the table.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable
from typing import Any

from foundry.domain.application import Application
from foundry.domain.config import flatten
from foundry.domain.errors import FoundryError
from foundry.tinker_enhanced.errors import MagicError
from foundry.tinker_enhanced.listing import Listing
from foundry.tinker_enhanced.masking import mask_value, secret_keys
from foundry.tinker_enhanced.routes import RouteTable

__all__ = ["MAGICS", "MAGIC_CALL", "Magics", "rewrite_magics"]

MAGIC_CALL = "__tinker_magic__"
MAGICS: dict[str, str] = {
    "routes": "%routes [TEXT]      the HTTP routes (method, path, name), optionally filtered",
    "commands": "%commands [TEXT]    the console commands, optionally filtered",
    "config": "%config [KEY]       a configuration value or section, secrets masked",
}
_MAGIC_LINE = re.compile(r"^(?P<indent>[ \t]*)%(?P<name>[A-Za-z_]\w*)(?:[ \t]+(?P<arg>.*?))?\s*$")
_MISSING = object()


def rewrite_magics(source: str) -> str:
    """Replace every ``%name argument`` line of ``source`` with a dispatcher call.

    The indentation is kept, so a magic may stand inside a block. Lines that do not start
    with ``%`` are left exactly as they are.

    >>> rewrite_magics("%config app.name")
    "__tinker_magic__('config', 'app.name')"
    """
    lines = source.split("\n")
    for index, line in enumerate(lines):
        match = _MAGIC_LINE.match(line)
        if match:
            call = f"{MAGIC_CALL}({match['name']!r}, {(match['arg'] or '')!r})"
            lines[index] = match["indent"] + call
    return "\n".join(lines)


class Magics:
    """The magics of one application.

    Args:
        app: the booted application.
    """

    def __init__(self, app: Application) -> None:
        self._app = app
        self._routes = RouteTable(app)

    def handlers(self) -> dict[str, Callable[[str], Any]]:
        """Magic name -> the method answering it (one string argument)."""
        return {"routes": self.routes, "commands": self.commands, "config": self.config}

    def __call__(self, name: str, argument: str = "") -> Any:
        """Run ``%name argument``.

        Raises:
            MagicError: no magic has this name, or the argument names nothing.
        """
        handler = self.handlers().get(name)
        if handler is None:
            known = ", ".join(f"%{magic}" for magic in MAGICS)
            raise MagicError(f"%{name} is not a tinker magic; the magics are {known}.")
        return handler(argument.strip())

    def reporting(self, name: str, argument: str = "") -> Any:
        """Like calling the magic, but a failure is one line on stderr instead of a
        traceback: what the interactive shells use."""
        try:
            return self(name, argument)
        except FoundryError as exc:
            print(f"Error: {exc.message}", file=sys.stderr)
            return None

    def routes(self, text: str = "") -> Listing:
        """The HTTP routes whose path or name contains ``text`` (all when empty)."""
        rows = [
            row
            for row in self._routes.rows()
            if not text or text in row[1] or text.lower() in row[2].lower()
        ]
        title = f'Routes matching "{text}"' if text else "Routes"
        return Listing(("Method", "Path", "Name"), rows, title=title, empty="No routes.")

    def commands(self, text: str = "") -> Listing:
        """The visible console commands whose name contains ``text`` (all when empty)."""
        rows = [
            (d.name, ", ".join(d.aliases), d.summary)
            for d in self._app.commands.descriptors()
            if not text or text.lower() in d.name.lower()
        ]
        title = f'Commands matching "{text}"' if text else "Commands"
        return Listing(("Name", "Aliases", "Summary"), rows, title=title, empty="No commands.")

    def config(self, key: str = "") -> Any:
        """A configuration value (a leaf) or a table of a section (all when ``key`` is
        empty), secrets masked.

        Raises:
            MagicError: ``key`` is not set.
        """
        config = self._app.config
        secrets = secret_keys(self._app.env_vars)
        if key:
            value = config.get(key, _MISSING)
            if value is _MISSING:
                raise MagicError(f'Configuration key "{key}" is not set.{self._hint(key)}')
            if not isinstance(value, dict):
                return mask_value(key, value, secrets)
            values = flatten(value, f"{key}.")
        else:
            values = flatten(config.all())
        rows = [(k, mask_value(k, v, secrets)) for k, v in sorted(values.items())]
        return Listing(("Key", "Value"), rows, title=key or "Configuration", empty="(empty)")

    def _hint(self, key: str) -> str:
        known = list(flatten(self._app.config.all()))
        sections = {k.rsplit(".", 1)[0] for k in known if "." in k}
        close = difflib.get_close_matches(key, [*known, *sections], n=3, cutoff=0.6)
        return f" Did you mean: {', '.join(close)}?" if close else ""
