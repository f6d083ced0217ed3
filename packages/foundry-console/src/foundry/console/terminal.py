"""What a stream can show: ANSI styles, and live redrawing (progress bars, spinners).

The rules follow rich's own detection so that a Foundry command and any rich-based tool
behave alike in the same shell, with one deliberate difference: an empty ``FORCE_COLOR``
counts as unset, as https://force-color.org asks.

Styles (``decorated``), in order of precedence:

1. ``NO_COLOR`` set to anything but the empty string: plain (https://no-color.org).
2. ``TTY_COMPATIBLE=0``: plain; ``TTY_COMPATIBLE=1``: the stream counts as a terminal.
3. ``FORCE_COLOR`` non-empty: the stream counts as a terminal even when piped (CI logs).
4. Otherwise the stream is a terminal when ``isatty()`` says so.
5. A terminal whose ``TERM`` is ``dumb`` or ``unknown`` gets no styles.

Live drawing needs a real terminal that can move the cursor: ``isatty()`` true, a ``TERM``
that is not dumb, and ``TTY_INTERACTIVE`` not ``0``. ``FORCE_COLOR`` never turns it on, so
piped output never carries a progress bar.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

__all__ = ["is_tty", "supports_live", "wants_styles"]

_DUMB_TERMS = frozenset({"dumb", "unknown"})


def is_tty(stream: IO[Any]) -> bool:
    """Whether ``stream`` is attached to a terminal (False for closed or odd streams)."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (ValueError, OSError):  # closed file, or a descriptor that went away
        return False


def _dumb(environ: Mapping[str, str]) -> bool:
    return environ.get("TERM", "").strip().lower() in _DUMB_TERMS


def wants_styles(stream: IO[Any], environ: Mapping[str, str]) -> bool:
    """Whether output to ``stream`` should carry ANSI styles (see the module rules)."""
    if environ.get("NO_COLOR", "") != "":
        return False
    tty_compatible = environ.get("TTY_COMPATIBLE", "")
    if tty_compatible == "0":
        return False
    if tty_compatible == "1" or environ.get("FORCE_COLOR", "") != "":
        terminal = True
    else:
        terminal = is_tty(stream)
    return terminal and not _dumb(environ)


def supports_live(stream: IO[Any], environ: Mapping[str, str]) -> bool:
    """Whether progress bars and spinners may redraw themselves on ``stream``."""
    if environ.get("TTY_INTERACTIVE", "") == "0" or environ.get("TTY_COMPATIBLE", "") == "0":
        return False
    return is_tty(stream) and not _dumb(environ)
