"""The global flags every command accepts, taken out of the command line before the
command's own input is parsed.

``--format human|json``, ``--dry-run``, ``--force``, ``-n/--no-interaction``,
``-q/--quiet``, ``-v/-vv/-vvv/--verbose``, ``--ansi/--no-ansi``, ``-h/--help``,
``-V/--version``. They may stand anywhere before ``--``; everything else is the command's.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing`/`dataclasses` would double the cost of `foundry --version`
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["FlagError", "GlobalFlags", "split_flags"]

FORMATS = ("human", "json")


class FlagError(ValueError):
    """A global flag is malformed (``--format xml``)."""


class GlobalFlags:
    """The parsed global flags; ``rest`` is the command name and its own words."""

    __slots__ = (
        "ansi",
        "dry_run",
        "force",
        "format",
        "help",
        "no_interaction",
        "quiet",
        "rest",
        "verbose",
        "version",
    )

    def __init__(self) -> None:
        self.format = "human"
        self.dry_run = False
        self.force = False
        self.no_interaction = False
        self.quiet = False
        self.verbose = 0
        self.ansi: bool | None = None
        self.help = False
        self.version = False
        self.rest: list[str] = []

    @property
    def verbosity_level(self) -> int:
        """0 quiet, 1 normal, 2 -v, 3 -vv, 4 -vvv (``foundry.domain.commands.Verbosity``)."""
        if self.quiet:
            return 0
        return min(4, 1 + self.verbose)


_SIMPLE = {
    "--dry-run": "dry_run",
    "--force": "force",
    "-n": "no_interaction",
    "--no-interaction": "no_interaction",
    "-q": "quiet",
    "--quiet": "quiet",
    "-h": "help",
    "--help": "help",
    "-V": "version",
    "--version": "version",
}


def split_flags(argv: Sequence[str]) -> GlobalFlags:
    """Separate global flags from the command name and its own words."""
    flags = GlobalFlags()
    words = list(argv)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            flags.rest.extend(words[index - 1 :])
            break
        if word in _SIMPLE:
            setattr(flags, _SIMPLE[word], True)
        elif word in ("-v", "-vv", "-vvv"):
            flags.verbose = max(flags.verbose, len(word) - 1)
        elif word == "--verbose":
            flags.verbose = max(flags.verbose, 1)
        elif word.startswith("--verbose="):
            level = word.partition("=")[2]
            if level not in ("1", "2", "3"):
                raise FlagError(f"--verbose: {level!r} is not 1, 2 or 3")
            flags.verbose = int(level)
        elif word == "--ansi":
            flags.ansi = True
        elif word == "--no-ansi":
            flags.ansi = False
        elif word == "--format" or word.startswith("--format="):
            if "=" in word:
                value = word.partition("=")[2]
            elif index < len(words):
                value = words[index]
                index += 1
            else:
                raise FlagError("--format needs a value: human or json")
            if value not in FORMATS:
                raise FlagError(f'--format: "{value}" is not one of human, json')
            flags.format = value
        else:
            flags.rest.append(word)
    return flags
