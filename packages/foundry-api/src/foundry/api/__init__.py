"""Foundry's HTTP kernel on FastAPI.

Pure-ASGI middleware (request ids, timing, security headers, trusted proxies, CORS, body
limit), one JSON error envelope for every failure, the built-in routes ``/commands``,
``/invoke`` and ``/upload``, and the ``serve`` and ``route:list`` commands. The names below
load on first use, so importing the package (as provider discovery does) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.api.auth import INVOKE_ABILITY, UPLOAD_ABILITY, authenticate, require_ability
    from foundry.api.body_limit import BodyLimitMiddleware
    from foundry.api.exceptions import (
        BadRequestError,
        BearerTokenError,
        PayloadTooLargeError,
        UnsupportedMediaTypeError,
    )
    from foundry.api.handlers import exception_handlers, json_response
    from foundry.api.openapi import ErrorEnvelope, document_error_envelope
    from foundry.api.provider import ApiServiceProvider
    from foundry.api.proxies import TrustedProxies, TrustedProxiesMiddleware
    from foundry.api.request_id import (
        RequestIdLogFilter,
        RequestIdMiddleware,
        current_request_id,
    )
    from foundry.api.security_headers import SecurityHeadersMiddleware
    from foundry.api.server_errors import UnhandledErrorMiddleware
    from foundry.api.settings import ApiSettings
    from foundry.api.stack import middleware_specs
    from foundry.api.timing import TimingMiddleware

__version__ = "0.1.0"

_EXPORTS = {
    "INVOKE_ABILITY": "foundry.api.auth",
    "UPLOAD_ABILITY": "foundry.api.auth",
    "authenticate": "foundry.api.auth",
    "require_ability": "foundry.api.auth",
    "BodyLimitMiddleware": "foundry.api.body_limit",
    "BadRequestError": "foundry.api.exceptions",
    "BearerTokenError": "foundry.api.exceptions",
    "PayloadTooLargeError": "foundry.api.exceptions",
    "UnsupportedMediaTypeError": "foundry.api.exceptions",
    "exception_handlers": "foundry.api.handlers",
    "json_response": "foundry.api.handlers",
    "ErrorEnvelope": "foundry.api.openapi",
    "document_error_envelope": "foundry.api.openapi",
    "ApiServiceProvider": "foundry.api.provider",
    "TrustedProxies": "foundry.api.proxies",
    "TrustedProxiesMiddleware": "foundry.api.proxies",
    "RequestIdLogFilter": "foundry.api.request_id",
    "RequestIdMiddleware": "foundry.api.request_id",
    "current_request_id": "foundry.api.request_id",
    "SecurityHeadersMiddleware": "foundry.api.security_headers",
    "UnhandledErrorMiddleware": "foundry.api.server_errors",
    "ApiSettings": "foundry.api.settings",
    "middleware_specs": "foundry.api.stack",
    "TimingMiddleware": "foundry.api.timing",
}

__all__ = [
    "INVOKE_ABILITY",
    "UPLOAD_ABILITY",
    "ApiServiceProvider",
    "ApiSettings",
    "BadRequestError",
    "BearerTokenError",
    "BodyLimitMiddleware",
    "ErrorEnvelope",
    "PayloadTooLargeError",
    "RequestIdLogFilter",
    "RequestIdMiddleware",
    "SecurityHeadersMiddleware",
    "TimingMiddleware",
    "TrustedProxies",
    "TrustedProxiesMiddleware",
    "UnhandledErrorMiddleware",
    "UnsupportedMediaTypeError",
    "__version__",
    "authenticate",
    "current_request_id",
    "document_error_envelope",
    "exception_handlers",
    "json_response",
    "middleware_specs",
    "require_ability",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
