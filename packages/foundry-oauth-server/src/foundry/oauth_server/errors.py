"""The OAuth server's own errors (command and configuration failures).

Protocol errors on the OAuth endpoints are not these: they answer in the RFC 6749 §5.2
format (``{"error", "error_description"}``) through authlib's error classes.
"""

from __future__ import annotations

from foundry.domain.errors import ConfigurationError, NotFoundError, ValidationError

__all__ = ["ClientNotFound", "InvalidClientSettings", "SigningKeyMissing"]


class SigningKeyMissing(ConfigurationError):
    """No private key to sign tokens with."""

    code = "OAUTH_SIGNING_KEY_MISSING"


class ClientNotFound(NotFoundError):
    """No OAuth client has this id."""

    code = "OAUTH_CLIENT_NOT_FOUND"


class InvalidClientSettings(ValidationError):
    """A client definition (redirect URIs, grants, scopes) is not acceptable."""

    code = "OAUTH_INVALID_CLIENT"
