"""The one error of this package that is not the user's fault.

Bad input raises :class:`foundry.domain.errors.InputError` (exit 2, HTTP 422). A command
that *declares* something the parser cannot honour (an unknown rule, a required flag, a
list argument before another argument) raises :class:`DeclarationError` instead: it is a bug
in the command, so it must not look like a usage error, and its message names the
declaration and the fix.
"""

from __future__ import annotations

from foundry.domain.errors import ConfigurationError

__all__ = ["DeclarationError"]


class DeclarationError(ConfigurationError):
    """A command's ``arguments``/``options`` declaration cannot be parsed as written."""

    code = "INPUT_DECLARATION_ERROR"

    def __init__(self, subject: str, message: str) -> None:
        super().__init__(
            f"Invalid declaration of {subject}: {message}", context={"declaration": subject}
        )
        self.subject = subject
