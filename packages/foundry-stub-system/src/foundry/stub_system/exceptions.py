"""Errors of the stub system; each names the stub, where it came from, and the fix."""

from __future__ import annotations

from foundry.domain.errors import ConfigurationError, FoundryError, NotFoundError

__all__ = ["DuplicateStubError", "StubNotFoundError", "StubRenderError", "StubWriteError"]


class StubNotFoundError(NotFoundError):
    """No package and not the app ship a stub of this name."""

    code = "STUB_NOT_FOUND"

    def __init__(self, name: str, known: list[str], suggestions: list[str]) -> None:
        hint = f' Did you mean "{suggestions[0]}"?' if suggestions else ""
        listing = ", ".join(known) if known else "none (no installed package ships stubs)"
        super().__init__(
            f'No stub is named "{name}".{hint} Known stubs: {listing}.',
            context={"stub": name, "suggestions": suggestions},
        )
        self.name = name


class DuplicateStubError(ConfigurationError):
    """Two sources ship a stub of the same name, so neither can be chosen safely."""

    code = "DUPLICATE_STUB"


class StubRenderError(ConfigurationError):
    """A stub cannot be rendered: a variable it uses was not given, or its syntax is wrong."""

    code = "STUB_RENDER_FAILED"


class StubWriteError(FoundryError):
    """Writing the rendered files failed part-way; the files written before were undone."""

    code = "STUB_WRITE_FAILED"
