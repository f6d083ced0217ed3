"""The errors ``tinker`` raises, narrow subclasses of foundry.domain's."""

from __future__ import annotations

from foundry.domain.errors import CommandError, MissingDependencyError, NotFoundError

__all__ = ["CodeError", "MagicError", "ShellUnavailableError"]


class CodeError(CommandError):
    """Code given to ``tinker --execute`` failed to compile or raised.

    The message is one line (``ZeroDivisionError: division by zero (line 2 of the
    --execute code)``); the original exception is the ``__cause__``, which the CLI shows
    as a traceback at ``-vvv``.
    """

    code = "TINKER_CODE_FAILED"


class MagicError(NotFoundError):
    """A ``%magic`` line names no magic, or asks for something that does not exist."""

    code = "TINKER_MAGIC"


class ShellUnavailableError(MissingDependencyError):
    """``--shell`` (or ``TINKER_SHELL``) names a shell that is not installed."""

    code = "TINKER_SHELL_UNAVAILABLE"

    def __init__(self, shell: str, extra: str) -> None:
        super().__init__(
            f"The {shell} shell of foundry tinker", f"'foundry-tinker-enhanced[{extra}]'"
        )
        self.shell = shell
