"""The named styles Foundry output uses, and the check that a caller's style is valid.

Commands may pass a named style (``output.line("3 pending", style="warning")``) or any
style rich understands (``"bold"``, ``"red on white"``, ``"#ff8800 italic"``). A style is
checked whether or not the output is decorated, so a typo fails in tests and CI — where
output is piped and plain — rather than only on a user's terminal.
"""

from __future__ import annotations

from foundry.domain.errors import OutputError

__all__ = ["THEME", "check_style"]

THEME: dict[str, str] = {
    "info": "cyan",
    "success": "green",
    "warning": "yellow",
    "error": "bold red",
    "verbose": "dim",
    "debug": "dim magenta",
    "muted": "dim",
    "title": "bold",
    "key": "bold cyan",
    "bullet": "cyan",
    "header": "bold",
    "panel": "cyan",
}
"""Named style -> rich style definition (registered as the console's theme)."""

_CHECKED: set[str] = set()


def check_style(style: str, *, method: str) -> None:
    """Raise :class:`OutputError` when ``style`` is neither a named style nor rich syntax.

    Args:
        style: what the caller passed.
        method: the Output method it was passed to, named in the error.
    """
    if style in THEME or style in _CHECKED:
        return
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    try:
        Style.parse(style)
    except StyleSyntaxError as exc:
        names = ", ".join(sorted(THEME))
        raise OutputError(
            f'Output.{method}(): style "{style}" is not valid ({exc}). '
            f'Use a named style ({names}) or rich style words such as "bold red".',
            context={"style": style},
        ) from None
    _CHECKED.add(style)
