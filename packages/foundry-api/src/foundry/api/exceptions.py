"""The HTTP kernel's errors: narrow subclasses of the domain's, each with its status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from foundry.domain.errors import AuthenticationError, FoundryError

__all__ = [
    "BadRequestError",
    "BearerTokenError",
    "PayloadTooLargeError",
    "UnsupportedMediaTypeError",
]


class BadRequestError(FoundryError):
    """The request is malformed (broken JSON, a multipart body without a boundary)."""

    code = "BAD_REQUEST"
    status = 400


class PayloadTooLargeError(FoundryError):
    """A request body or uploaded file is larger than the configured limit."""

    code = "PAYLOAD_TOO_LARGE"
    status = 413

    def __init__(
        self, limit: int, *, setting: str = "API_BODY_LIMIT", what: str = "request body"
    ) -> None:
        super().__init__(
            f"The {what} is larger than the {limit}-byte limit; send less, or raise {setting}.",
            context={"limit": limit},
        )
        self.limit = limit


class UnsupportedMediaTypeError(FoundryError):
    """The request's or the uploaded file's type is not accepted here."""

    code = "UNSUPPORTED_MEDIA_TYPE"
    status = 415


class BearerTokenError(AuthenticationError):
    """No bearer token, or one no verifier accepts; answered with ``WWW-Authenticate``.

    Args:
        message: what is wrong and how to fix it.
        error: the RFC 6750 error code for the challenge (``invalid_token``), if any.
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, context=context)
        self.challenge = f'Bearer error="{error}"' if error else "Bearer"
