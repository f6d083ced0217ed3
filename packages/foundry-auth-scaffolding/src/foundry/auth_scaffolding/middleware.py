"""The session middleware (pure ASGI, at ``Priority.SESSION``).

Audit rows the flows queue (``RequestAuth.later``) are written after the response.

Before the endpoint: load the session named by the cookie, verify a bearer token through
the tagged verifiers, and record the user id (``set_user_id``) so the rate limiter, which
runs next, counts per user. When the response starts: destroy replaced session ids, save
the session if it changed (or touch it once a minute so idle expiry slides), and set or
clear the cookie — ``HttpOnly``, ``SameSite``, ``Secure`` on https (or when configured),
``Max-Age`` only for remembered logins.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from foundry.auth_scaffolding.request_auth import (
    STATE_KEY,
    RequestAuth,
    bearer_token,
    cookie_value,
)
from foundry.auth_scaffolding.session import Session
from foundry.auth_scaffolding.tokens import digest
from foundry.domain.context import current_user_id, set_user_id
from foundry.domain.session import SessionRecord

if TYPE_CHECKING:
    from foundry.auth_scaffolding.services import AuthServices
    from foundry.domain.application import Application

__all__ = ["AuthSessionMiddleware"]

log = logging.getLogger("foundry.auth")

TOUCH_AFTER = timedelta(seconds=60)


class _Headers:
    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        self._raw = raw

    def get(self, name: str) -> str | None:
        wanted = name.encode("latin-1")
        for key, value in self._raw:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None


class AuthSessionMiddleware:
    """Loads and saves sessions; resolves bearer tokens; sets the current user id."""

    def __init__(self, app: Any, application: Application) -> None:
        self.app = app
        self.application = application
        self._services: AuthServices | None = None

    @property
    def services(self) -> AuthServices:
        if self._services is None:
            from foundry.auth_scaffolding.services import AuthServices

            self._services = self.application.make(AuthServices)
        return self._services

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        services = self.services
        headers = _Headers(scope.get("headers") or [])
        raw = cookie_value(headers.get("cookie"), services.settings.cookie)
        record = await services.store.read(digest(raw)) if raw else None
        client = scope.get("client")
        auth = RequestAuth(
            services,
            Session(raw, record),
            ip_address=client[0] if client else None,
            user_agent=headers.get("user-agent"),
        )
        auth.deferred = []
        scope.setdefault("state", {})[STATE_KEY] = auth
        token = bearer_token(headers)
        if token:
            await auth.verify_bearer(token)
        previous = current_user_id()
        if auth.user_id:
            set_user_id(auth.user_id)
        started = False

        async def send_wrapper(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not started:
                started = True
                extra = await self._commit(auth, scope)
                if extra:
                    message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            set_user_id(previous)
            for work in auth.deferred:
                try:
                    await work()
                except Exception:
                    log.exception("deferred auth work failed after %s", scope.get("path"))

    async def _commit(self, auth: RequestAuth, scope: Any) -> list[tuple[bytes, bytes]]:
        services = self.services
        settings = services.settings
        session = auth.session
        store = services.store
        for old in session.replaced:
            await store.destroy(old)
        session.replaced.clear()
        now = services.clock.now()
        stale = (
            session.exists
            and session.record is not None
            and now - session.record.last_activity >= TOUCH_AFTER
        )
        if not (session.dirty or stale):
            return []
        if not session.data:
            if session.from_cookie:
                await store.destroy(session.id)
                return [self._cookie(scope, "", max_age=0)]
            return []
        expires = session.expiry(
            now,
            idle=settings.idle_lifetime,
            session_lifetime=settings.session_lifetime,
            remember_lifetime=settings.remember_lifetime,
        )
        await store.write(
            SessionRecord(
                id=session.id,
                user_id=session.user_id,
                expires_at=expires,
                last_activity=now,
                data=session.data,
                ip_address=auth.ip_address,
                user_agent=(auth.user_agent or "")[:500] or None,
            )
        )
        if session.exists and session.from_cookie:
            return []  # same id as the cookie already holds
        session.exists = True
        max_age = int((expires - now).total_seconds()) if session.remembered else None
        return [self._cookie(scope, session.raw_id, max_age=max_age)]

    def _cookie(self, scope: Any, value: str, *, max_age: int | None) -> tuple[bytes, bytes]:
        settings = self.services.settings
        secure = settings.secure
        if secure is None:
            secure = (
                scope.get("scheme") == "https"
                or settings.app_url.startswith("https://")
                or settings.production
            )
        parts = [
            f"{settings.cookie}={value}",
            "Path=/",
            "HttpOnly",
            f"SameSite={settings.same_site.title()}",
        ]
        if secure:
            parts.append("Secure")
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        return (b"set-cookie", "; ".join(parts).encode("latin-1"))
