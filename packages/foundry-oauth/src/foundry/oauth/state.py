"""The sign-in in flight: ``state``, PKCE verifier and nonce, kept in the browser.

No server session holds them. The redirect route seals them (AES-256-GCM under a key
derived from ``APP_KEY``, with an expiry inside) into an ``HttpOnly``, ``SameSite=Lax``
cookie scoped to the provider's callback path; the callback opens it and compares the
``state`` the provider sent back with the sealed one in constant time. Only the browser
that started a sign-in can finish it (CSRF, RFC 6749 section 10.12), only once, and only
within ``OAUTH_STATE_LIFETIME`` seconds.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie

from foundry.domain.clock import Clock
from foundry.oauth.crypto import Sealer, SealError
from foundry.oauth.errors import StateExpired, StateInvalid
from foundry.oauth.settings import CALLBACK_PATH

__all__ = ["FlowState", "StateCookies", "cookie_header", "cookie_name"]

_RESTART = "Start the sign-in again from the application."


def cookie_name(provider: str) -> str:
    """The flow cookie of ``provider`` (one sign-in per provider at a time)."""
    return f"foundry_oauth_{provider.replace('-', '_')}"


def cookie_header(provider: str, value: str, max_age: int, *, secure: bool) -> str:
    """A ``Set-Cookie`` value for the flow cookie, scoped to the provider's callback path
    (``max_age=0`` removes it)."""
    jar: SimpleCookie = SimpleCookie()
    name = cookie_name(provider)
    jar[name] = value
    morsel = jar[name]
    morsel["path"] = CALLBACK_PATH.format(provider=provider)
    morsel["max-age"] = str(max_age)
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()


@dataclass(frozen=True, slots=True)
class FlowState:
    """One sign-in between the redirect and the callback.

    Attributes:
        provider: the provider name.
        state: the opaque value the provider must send back.
        code_verifier: the PKCE verifier (RFC 7636), None when PKCE is not used.
        nonce: the OpenID Connect nonce the ID token must carry, None for plain OAuth.
        user_id: who was signed in when the sign-in started (a linking flow), or None.
        expires_at: Unix time after which the callback is refused.
    """

    provider: str
    state: str
    code_verifier: str | None
    nonce: str | None
    user_id: str | None
    expires_at: float


class StateCookies:
    """Makes, seals and checks :class:`FlowState` cookies."""

    PURPOSE = "foundry-oauth/state"

    def __init__(self, app_key: bytes, *, lifetime: int, clock: Clock, secure: bool) -> None:
        self._sealer = Sealer(app_key, self.PURPOSE)
        self._lifetime = lifetime
        self._clock = clock
        self._secure = secure

    def start(
        self, provider: str, *, pkce: bool, openid: bool, user_id: str | None = None
    ) -> FlowState:
        """A new flow: 256-bit state and nonce, a 64-character PKCE verifier."""
        return FlowState(
            provider=provider,
            state=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(48) if pkce else None,
            nonce=secrets.token_urlsafe(32) if openid else None,
            user_id=user_id,
            expires_at=self._clock.timestamp() + self._lifetime,
        )

    def seal(self, flow: FlowState) -> str:
        payload = json.dumps(asdict(flow), separators=(",", ":")).encode()
        return self._sealer.seal(payload, self._context(flow.provider))

    def set_cookie(self, flow: FlowState) -> str:
        """The ``Set-Cookie`` value that hands ``flow`` to the browser."""
        return cookie_header(flow.provider, self.seal(flow), self._lifetime, secure=self._secure)

    def verify(self, provider: str, cookie: str | None, returned_state: str | None) -> FlowState:
        """The flow this browser started, if ``returned_state`` is its state and it is fresh.

        Raises:
            StateInvalid: no cookie (another browser, cookies blocked, already finished), a
                cookie that does not open, or a ``state`` that differs from it.
            StateExpired: the sign-in started more than ``OAUTH_STATE_LIFETIME`` ago.
        """
        if not cookie:
            raise StateInvalid(
                "This sign-in was not started in this browser, or it has already finished. "
                + _RESTART
            )
        try:
            data = json.loads(self._sealer.open(cookie, self._context(provider)))
            flow = FlowState(**data)
        except (SealError, ValueError, TypeError):
            raise StateInvalid("The sign-in cookie is not valid. " + _RESTART) from None
        if flow.provider != provider:
            raise StateInvalid("The sign-in cookie belongs to another provider. " + _RESTART)
        if not returned_state or not hmac.compare_digest(
            flow.state.encode(), returned_state.encode()
        ):
            raise StateInvalid(
                "The state returned by the provider does not match this browser's sign-in "
                "(a forged or mixed-up callback). " + _RESTART
            )
        if self._clock.timestamp() > flow.expires_at:
            raise StateExpired(
                f"The sign-in took longer than {self._lifetime} seconds and expired. " + _RESTART
            )
        return flow

    @staticmethod
    def _context(provider: str) -> bytes:
        return f"state:{provider}".encode()
