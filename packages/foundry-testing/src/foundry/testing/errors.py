"""The errors the testing package raises, narrow subclasses of foundry.domain's.

Assertion helpers raise plain :class:`AssertionError` (pytest reports those as test
failures, with the message); these errors are for set-up that cannot work as configured.
"""

from __future__ import annotations

from foundry.domain.errors import ConfigurationError, FoundryError

__all__ = ["StrayRequestError", "TestSetupError"]


class TestSetupError(ConfigurationError):
    """The test application cannot be built: no app root, no kernel, a failed migration."""

    __test__ = False  # a class named Test* is not a test case
    code = "TEST_SETUP_ERROR"


class StrayRequestError(FoundryError):
    """Code under test sent an HTTP request no fake matches while strays are prevented."""

    code = "STRAY_HTTP_REQUEST"
