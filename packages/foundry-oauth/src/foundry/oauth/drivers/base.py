"""What every provider driver does: the authorization URL, the code exchange, the user.

The OAuth 2.0 mechanics are authlib's client: ``OAuth2Client.create_authorization_url``
builds the redirect (with the S256 ``code_challenge``) and the httpx2 ``AsyncOAuth2Client``
exchanges the code (sending the ``code_verifier``) and calls the provider's API with the
access token. A driver adds only what differs between providers: where the endpoints are
and how the person is described.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.clock import Clock
from foundry.oauth.errors import ProviderUnavailable, TokenExchangeFailed

if TYPE_CHECKING:
    from foundry.oauth.settings import ProviderSettings
    from foundry.oauth.state import FlowState
    from foundry.oauth.user import ProviderToken, SocialUser

__all__ = ["Endpoints", "Finding", "OAuthDriver"]

_RESTART = "Start the sign-in again."


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where a provider authorizes and issues tokens, and how the client authenticates."""

    authorize: str
    token: str
    auth_method: str = "client_secret_basic"


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of ``oauth:test``: what was checked, whether it passed, and the detail."""

    check: str
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "detail": self.detail}


class OAuthDriver(ABC):
    """A provider's OAuth 2.0 (and OpenID Connect) behaviour."""

    openid: ClassVar[bool] = False
    """Sends a nonce and verifies an ID token."""

    pkce: ClassVar[bool] = True
    """Sends an S256 code challenge (servers that do not know PKCE ignore it)."""

    def __init__(self, settings: ProviderSettings, *, timeout: float, clock: Clock) -> None:
        self.settings = settings
        self.timeout = timeout
        self.clock = clock

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def label(self) -> str:
        return self.settings.label

    @abstractmethod
    async def endpoints(self) -> Endpoints:
        """The authorization and token endpoints (from discovery for OIDC)."""

    @abstractmethod
    async def fetch_user(
        self, client: Any, token: Mapping[str, Any], flow: FlowState
    ) -> SocialUser:
        """Describe the person, with ``client`` (holding the access token) for API calls."""

    @abstractmethod
    async def diagnose(self) -> list[Finding]:
        """Check the provider answers and accepts the configuration (``oauth:test``)."""

    async def uses_pkce(self) -> bool:
        return self.pkce

    async def authorization_url(self, flow: FlowState) -> str:
        """Where to send the browser: the authorization endpoint with the request in the
        query (``response_type=code``, ``state``, ``code_challenge``, ``nonce``)."""
        from authlib.oauth2.client import OAuth2Client  # type: ignore[import-untyped]

        endpoints = await self.endpoints()
        client = OAuth2Client(
            None,
            client_id=self.settings.client_id,
            scope=" ".join(self.settings.scopes),
            redirect_uri=self.settings.redirect_uri,
            code_challenge_method="S256" if flow.code_verifier else None,
        )
        extra = {"nonce": flow.nonce} if flow.nonce else {}
        url, _ = client.create_authorization_url(
            endpoints.authorize, state=flow.state, code_verifier=flow.code_verifier, **extra
        )
        return str(url)

    async def authenticate(self, code: str, flow: FlowState) -> tuple[SocialUser, ProviderToken]:
        """Exchange ``code`` (with the PKCE verifier) and describe the person.

        Raises:
            TokenExchangeFailed: the provider refused the code or the client.
            IdentityTokenInvalid: the ID token failed verification (OIDC).
            ProviderUnavailable: the provider did not answer properly.
        """
        from authlib.integrations.base_client import (  # type: ignore[import-untyped]
            OAuthError,
        )
        from httpx2 import HTTPError

        from foundry.oauth.user import ProviderToken

        endpoints = await self.endpoints()
        async with self.client(endpoints) as client:
            params: dict[str, Any] = {"code": code}
            if flow.code_verifier:
                params["code_verifier"] = flow.code_verifier
            try:
                token = await client.fetch_token(endpoints.token, **params)
            except OAuthError as exc:
                reason = f"{exc.error}: {exc.description}" if exc.description else exc.error
                raise TokenExchangeFailed(
                    f"{self.label} refused to exchange the authorization code ({reason}). "
                    + _RESTART,
                    context={"provider": self.name, "error": str(exc.error)},
                ) from None
            except (HTTPError, ValueError) as exc:
                raise TokenExchangeFailed(
                    f"{self.label}'s token endpoint {endpoints.token} did not answer with "
                    f"tokens ({type(exc).__name__}). " + _RESTART,
                    context={"provider": self.name},
                ) from None
            if not token.get("access_token"):
                raise TokenExchangeFailed(
                    f"{self.label}'s token endpoint answered without an access token. " + _RESTART,
                    context={"provider": self.name},
                )
            try:
                user = await self.fetch_user(client, token, flow)
            except HTTPError as exc:
                raise ProviderUnavailable(
                    f"{self.label} did not describe the signed-in user ({type(exc).__name__}: "
                    f"{exc}). " + _RESTART,
                    context={"provider": self.name},
                ) from None
        return user, ProviderToken.from_response(token, self.clock.now())

    def client(self, endpoints: Endpoints) -> Any:
        """authlib's httpx2 ``AsyncOAuth2Client`` for this provider."""
        from authlib.integrations.httpx_client import (  # type: ignore[import-untyped]
            AsyncOAuth2Client,
        )

        method = endpoints.auth_method if self.settings.client_secret else "none"
        return AsyncOAuth2Client(
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret,
            token_endpoint_auth_method=method,
            redirect_uri=self.settings.redirect_uri,
            timeout=self.timeout,
            headers={"User-Agent": "foundry-oauth"},
        )

    async def get_json(self, client: Any, url: str, **kwargs: Any) -> Any:
        """GET ``url`` with the access token and return its JSON (raises httpx2 errors)."""
        response = await client.get(url, **kwargs)
        response.raise_for_status()
        return response.json()

    async def fetch_public_json(self, url: str) -> Any:
        """GET a public document (discovery, JWKS).

        Raises:
            ProviderUnavailable: unreachable, an error status, or not JSON.
        """
        import httpx2

        try:
            async with httpx2.AsyncClient(timeout=self.timeout) as http:
                response = await http.get(url, headers={"Accept": "application/json"})
                response.raise_for_status()
                return response.json()
        except (httpx2.HTTPError, ValueError) as exc:
            raise ProviderUnavailable(
                f"{self.label}: {url} did not answer with JSON ({type(exc).__name__}: {exc}).",
                context={"provider": self.name, "url": url},
            ) from None

    async def probe_credentials(self, endpoints: Endpoints) -> Finding:
        """Send the token endpoint a made-up code: a server that accepts the client says
        the *code* is bad (``invalid_grant``), one that rejects it says the client is."""
        import httpx2

        try:
            async with self.client(endpoints) as client:
                response = await client.post(
                    endpoints.token,
                    data={
                        "grant_type": "authorization_code",
                        "code": "foundry-oauth-test",
                        "redirect_uri": self.settings.redirect_uri,
                    },
                    auth=client.client_auth(client.token_endpoint_auth_method),
                    headers={"Accept": "application/json"},
                )
        except httpx2.HTTPError as exc:
            return Finding("credentials", False, f"token endpoint unreachable: {exc}")
        return judge_credentials(self.label, response)


def judge_credentials(label: str, response: Any) -> Finding:
    """Read a token endpoint's answer to a made-up code."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = str(body.get("error") or "") if isinstance(body, dict) else ""
    if error in ("invalid_client", "unauthorized_client", "incorrect_client_credentials"):
        return Finding(
            "credentials",
            False,
            f"{label} rejected the client id or secret ({error}); copy them again from "
            f"the provider's console.",
        )
    if error in ("invalid_grant", "bad_verification_code"):
        return Finding("credentials", True, f"{label} accepted the client id and secret")
    return Finding(
        "credentials",
        True,
        f"inconclusive: the token endpoint answered HTTP {response.status_code} "
        f"{error or '(no OAuth error code)'}",
    )
