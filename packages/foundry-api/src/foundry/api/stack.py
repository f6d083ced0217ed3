"""The kernel's middleware, as ``MiddlewareSpec``s placed by the domain's priorities.

Outermost first::

    request-id (100)  timing (110)  trusted-proxies (200, when configured)
    security-headers (300)  cors (400, when origins are configured)
    server-errors (425)  body-limit (450)

Request ids and timing wrap everything, so every response carries them. The request id
checks the *direct* peer (before proxy rewriting) to decide whether to accept an incoming
``X-Request-ID``. Security headers run inside the proxy rewriting, so HSTS sees the scheme
the client used. Unexpected errors become the 500 envelope inside the header middleware,
so error responses carry the same headers as any other.
"""

from __future__ import annotations

from foundry.api.body_limit import BodyLimitMiddleware
from foundry.api.proxies import TrustedProxies, TrustedProxiesMiddleware
from foundry.api.request_id import RequestIdMiddleware
from foundry.api.security_headers import SecurityHeadersMiddleware
from foundry.api.server_errors import UnhandledErrorMiddleware
from foundry.api.settings import ApiSettings
from foundry.api.timing import TimingMiddleware
from foundry.domain.http import MiddlewareSpec, Priority

__all__ = ["SERVER_ERRORS", "TIMING", "middleware_specs"]

TIMING = Priority.REQUEST_ID + 10
SERVER_ERRORS = Priority.CORS + 25


def _cors(settings: ApiSettings) -> MiddlewareSpec:
    from starlette.middleware.cors import CORSMiddleware

    return MiddlewareSpec(
        CORSMiddleware,
        {
            "allow_origins": settings.cors_origins,
            "allow_methods": settings.cors_methods,
            "allow_headers": settings.cors_headers,
            "allow_credentials": settings.cors_credentials,
            "expose_headers": settings.cors_expose_headers,
            "max_age": settings.cors_max_age,
        },
        priority=Priority.CORS,
        name="cors",
    )


def middleware_specs(settings: ApiSettings, *, debug: bool) -> list[MiddlewareSpec]:
    """The specs for ``settings``; ``debug`` shows exception details in 500 envelopes."""
    proxies = TrustedProxies(settings.trusted_proxies)
    specs = [
        MiddlewareSpec(
            RequestIdMiddleware, {"proxies": proxies}, Priority.REQUEST_ID, "request-id"
        ),
        MiddlewareSpec(TimingMiddleware, {}, TIMING, "timing"),
        MiddlewareSpec(
            SecurityHeadersMiddleware,
            {
                "frame_options": settings.frame_options,
                "hsts_max_age": settings.hsts_max_age,
                "hsts_include_subdomains": settings.hsts_include_subdomains,
            },
            Priority.SECURITY_HEADERS,
            "security-headers",
        ),
        MiddlewareSpec(UnhandledErrorMiddleware, {"debug": debug}, SERVER_ERRORS, "server-errors"),
        MiddlewareSpec(
            BodyLimitMiddleware, {"limit": settings.body_limit}, Priority.BODY_LIMIT, "body-limit"
        ),
    ]
    if proxies:
        specs.append(
            MiddlewareSpec(
                TrustedProxiesMiddleware,
                {"proxies": proxies},
                Priority.TRUSTED_PROXIES,
                "trusted-proxies",
            )
        )
    if settings.cors_origins:
        specs.append(_cors(settings))
    return sorted(specs, key=lambda spec: spec.priority)
