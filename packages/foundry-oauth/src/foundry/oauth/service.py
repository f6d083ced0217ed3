"""The two steps of a social sign-in: send the browser to the provider, take it back.

:meth:`SocialLogin.redirect` starts a flow (state, PKCE verifier, nonce) and returns the
provider's authorization URL and the cookie that holds the flow. :meth:`SocialLogin.callback`
checks the cookie against the returned ``state``, refuses a flow already completed (when a
``Cache`` is bound), exchanges the code, verifies the person, applies the linking rules and
signs the user in through the ``StatefulGuard`` contract.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from foundry.domain.auth import StatefulGuard
from foundry.domain.cache import Cache
from foundry.oauth.crypto import app_key_bytes
from foundry.oauth.errors import (
    ProviderDenied,
    ProviderMisconfigured,
    ProviderUnavailable,
    StateInvalid,
)
from foundry.oauth.state import StateCookies, cookie_name

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.clock import Clock
    from foundry.oauth.drivers import Drivers
    from foundry.oauth.linking import AccountLinker, LinkOutcome
    from foundry.oauth.settings import OAuthSettings

__all__ = ["CallbackResult", "SocialLogin"]

_DENIALS = {
    "access_denied": "You declined to sign in with {label}.",
    "consent_required": "{label} needs your consent before you can sign in with it.",
    "login_required": "You are not signed in at {label}.",
    "interaction_required": "{label} needs you to finish signing in there first.",
}


@dataclass(frozen=True, slots=True)
class CallbackResult:
    """A completed sign-in: where the browser goes next and what happened."""

    redirect_to: str
    outcome: LinkOutcome
    signed_in: bool
    two_factor: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.outcome.user.auth_identifier,
            "identity": self.outcome.identity.public(),
            "created_user": self.outcome.created_user,
            "linked": self.outcome.linked,
            "signed_in": self.signed_in,
            "two_factor": self.two_factor,
            "redirect_to": self.redirect_to,
        }


class SocialLogin:
    """Redirect and callback of every configured provider."""

    def __init__(
        self,
        app: Application,
        settings: OAuthSettings,
        drivers: Drivers,
        linker: AccountLinker,
        clock: Clock,
    ) -> None:
        self._app = app
        self.settings = settings
        self.drivers = drivers
        self.linker = linker
        self._clock = clock
        self._cookies: StateCookies | None = None

    @property
    def cookies(self) -> StateCookies:
        """The state cookie maker (raises ProviderMisconfigured without ``APP_KEY``)."""
        if self._cookies is None:
            self._cookies = StateCookies(
                app_key_bytes(self.settings.app_key),
                lifetime=self.settings.state_lifetime,
                clock=self._clock,
                secure=self.settings.secure_cookies,
            )
        return self._cookies

    async def redirect(self, provider: str, request: Any) -> tuple[str, str]:
        """The authorization URL and the ``Set-Cookie`` value holding the new flow."""
        driver = self.drivers.get(provider)
        cookies = self.cookies
        current = await self.linker.current_user(request)
        flow = cookies.start(
            driver.name,
            pkce=await driver.uses_pkce(),
            openid=driver.openid,
            user_id=current.auth_identifier if current is not None else None,
        )
        return await driver.authorization_url(flow), cookies.set_cookie(flow)

    async def callback(
        self, provider: str, request: Any, params: Mapping[str, str]
    ) -> CallbackResult:
        """Finish the sign-in the provider sent the browser back from.

        Raises:
            SocialLoginError: state, denial, exchange, ID token, linking failures.
            ProviderUnknown / ProviderMisconfigured: the provider cannot be used.
        """
        driver = self.drivers.get(provider)
        guard = self._guard()
        self.linker.users()  # fail before any work when no UserProvider is bound
        cookies = self.cookies
        flow = cookies.verify(
            driver.name, request.cookies.get(cookie_name(driver.name)), params.get("state")
        )
        error = params.get("error")
        if error:
            template = _DENIALS.get(error, "{label} refused the sign-in ({error}).")
            safe = "".join(c for c in error if c.isalnum() or c == "_")[:64]
            raise ProviderDenied(
                template.format(label=driver.label, error=safe), context={"provider": driver.name}
            )
        code = params.get("code")
        if not code:
            raise ProviderUnavailable(
                f"{driver.label} sent the browser back without an authorization code.",
                context={"provider": driver.name},
            )
        current = await self.linker.current_user(request)
        current_id = current.auth_identifier if current is not None else None
        if flow.user_id is not None and flow.user_id != current_id:
            raise StateInvalid(
                "The signed-in account changed while the sign-in was in progress. Start it "
                "again from your account.",
                context={"provider": driver.name},
            )
        await self._claim(flow.state)
        person, token = await driver.authenticate(code, flow)
        outcome = await self.linker.resolve(person, token, current=current, label=driver.label)
        target = self.settings.redirect_after_login
        if outcome.already_signed_in:
            return CallbackResult(target, outcome, signed_in=True)
        challenge = await guard.login(request, outcome.user, via=f"oauth:{driver.name}")
        if challenge:
            return CallbackResult(challenge, outcome, signed_in=False, two_factor=True)
        return CallbackResult(target, outcome, signed_in=True)

    async def _claim(self, state: str) -> None:
        """Refuse a flow that already reached this point (a replayed callback), through
        the ``Cache`` when one is bound; without one the provider's single-use codes are
        the guard."""
        if not self._app.bound(Cache):
            return
        key = "oauth:flow:" + hashlib.sha256(state.encode()).hexdigest()
        cache = self._app.make(Cache)
        if not await cache.add(key, 1, self.settings.state_lifetime):
            raise StateInvalid(
                "This sign-in has already been completed; a callback cannot be used twice. "
                "Start the sign-in again."
            )

    def _guard(self) -> StatefulGuard:
        if not self._app.bound(StatefulGuard):
            raise ProviderMisconfigured(
                "Social login needs a StatefulGuard to sign users in: install "
                "foundry-auth-scaffolding or bind foundry.domain.auth.StatefulGuard."
            )
        return self._app.make(StatefulGuard)
