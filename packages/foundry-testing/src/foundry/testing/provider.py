"""The testing package's provider: the ``make:test`` generator and its stub.

The fixtures themselves reach pytest through the ``pytest11`` entry point, not through the
application; what the application gains is a generator for test modules.
"""

from __future__ import annotations

from foundry.domain.provider import ServiceProvider

__all__ = ["TestingServiceProvider"]


class TestingServiceProvider(ServiceProvider):
    """Adds ``make:test`` (rendered from this package's ``stubs/``)."""

    __test__ = False
    name = "testing"
    commands = ("foundry.testing.commands:MakeTestCommand",)
    stubs = "foundry.testing:stubs"
