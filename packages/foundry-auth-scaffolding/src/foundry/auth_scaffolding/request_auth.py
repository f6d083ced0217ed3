"""Who a request speaks for: its session, its bearer token, and the user behind them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from foundry.auth_scaffolding.session import EPOCH_KEY, Session
from foundry.auth_scaffolding.tokens import digest
from foundry.domain.auth import AccessToken

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

    from foundry.auth_scaffolding.models import User
    from foundry.auth_scaffolding.services import AuthServices

__all__ = ["STATE_KEY", "RequestAuth", "bearer_token", "cookie_value", "request_auth"]

STATE_KEY = "foundry_auth"


def bearer_token(headers: Any) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    header = headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def cookie_value(raw_header: str | None, name: str) -> str | None:
    """One cookie's value from a ``Cookie`` header (without parsing the others)."""
    if not raw_header:
        return None
    for part in raw_header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            value = value.strip().strip('"')
            return value if 20 <= len(value) <= 128 else None
    return None


class RequestAuth:
    """The authentication state of one request (kept on ``request.state``)."""

    def __init__(
        self,
        services: AuthServices,
        session: Session,
        *,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        self.services = services
        self.session = session
        self.ip_address = ip_address
        self.user_agent = user_agent
        self.access_token: AccessToken | None = None
        self.bearer_given = False
        self.deferred: list[Callable[[], Awaitable[None]]] | None = None
        self._user: User | None = None
        self._resolved = False

    async def later(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` once the response is sent (audit rows: off the login's critical
        path); at once when no middleware manages this request."""
        if self.deferred is None:
            await work()
        else:
            self.deferred.append(work)

    @property
    def via_bearer(self) -> bool:
        return self.access_token is not None

    async def verify_bearer(self, token: str) -> AccessToken | None:
        self.bearer_given = True
        for verifier in self.services.verifiers():
            grant = await verifier.verify(token)
            if grant is not None:
                self.access_token = grant
                return grant
        return None

    @property
    def user_id(self) -> str | None:
        """The id of who is asking, without loading the user."""
        if self.access_token is not None:
            return self.access_token.user_id
        if self.bearer_given:
            return None
        return self.session.user_id

    async def user(self) -> User | None:
        """The user (loaded once per request); a session whose generation no longer
        matches the user's (password changed, other devices logged out) is ended."""
        if self._resolved:
            return self._user
        self._resolved = True
        user_id = self.user_id
        if not user_id:
            return None
        user = await self.services.users.find(user_id)
        if user is None:
            if not self.via_bearer:
                self.session.invalidate()
            return None
        if not self.via_bearer and self.session.get(EPOCH_KEY) != user.remember_token:
            self.session.invalidate()
            return None
        self._user = user
        return user

    def set_user(self, user: User | None) -> None:
        self._user = user
        self._resolved = True


async def request_auth(connection: HTTPConnection) -> RequestAuth:
    """The request's auth state: the one the middleware made, or one built now from the
    cookie and ``Authorization`` header (for code reached without the middleware)."""
    found = connection.scope.get("state", {}).get(STATE_KEY)
    if isinstance(found, RequestAuth):
        return found
    from foundry.auth_scaffolding.services import AuthServices
    from foundry.domain.http import APP_STATE_KEY

    app = getattr(connection.app.state, APP_STATE_KEY)
    services = app.make(AuthServices)
    raw = cookie_value(connection.headers.get("cookie"), services.settings.cookie)
    record = await services.store.read(digest(raw)) if raw else None
    auth = RequestAuth(
        services,
        Session(raw, record),
        ip_address=connection.client.host if connection.client else None,
        user_agent=connection.headers.get("user-agent"),
    )
    token = bearer_token(connection.headers)
    if token:
        await auth.verify_bearer(token)
    connection.scope.setdefault("state", {})[STATE_KEY] = auth
    return auth
