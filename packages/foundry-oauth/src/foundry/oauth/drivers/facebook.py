"""Facebook Login: OAuth 2.0 and the Graph API.

The person is read from ``GET /me`` with ``appsecret_proof`` (the HMAC-SHA256 of the access
token under the app secret, which Graph API calls should carry so a stolen token alone is
not enough). Facebook does not say whether the ``email`` it returns was verified, so it is
treated as unverified: a Facebook sign-in never links to an existing account by e-mail
alone (the account's owner links Facebook while signed in instead).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foundry.oauth.drivers.base import Endpoints, Finding, OAuthDriver
from foundry.oauth.errors import ProviderUnavailable
from foundry.oauth.user import SocialUser

if TYPE_CHECKING:
    from foundry.oauth.state import FlowState

__all__ = ["FacebookDriver", "appsecret_proof"]

FIELDS = "id,name,email,picture.type(large)"


def appsecret_proof(access_token: str, secret: str) -> str:
    """Graph API's ``appsecret_proof``: hex HMAC-SHA256 of the token keyed by the secret."""
    return hmac.new(secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


class FacebookDriver(OAuthDriver):
    """Facebook Login (Graph API version from ``services.facebook.graph_url``)."""

    @property
    def graph(self) -> str:
        return self.settings.urls["graph"]

    async def endpoints(self) -> Endpoints:
        return Endpoints(
            self.settings.urls["dialog"], f"{self.graph}/oauth/access_token", "client_secret_post"
        )

    async def fetch_user(
        self, client: Any, token: Mapping[str, Any], flow: FlowState
    ) -> SocialUser:
        proof = appsecret_proof(str(token["access_token"]), self.settings.client_secret or "")
        profile = await self.get_json(
            client, f"{self.graph}/me", params={"fields": FIELDS, "appsecret_proof": proof}
        )
        if not isinstance(profile, dict) or not profile.get("id"):
            raise ProviderUnavailable(
                f"{self.label}'s Graph API /me did not describe a user.",
                context={"provider": self.name},
            )
        picture = profile.get("picture")
        avatar = None
        if isinstance(picture, dict) and isinstance(picture.get("data"), dict):
            avatar = picture["data"].get("url")
        email = profile.get("email")
        return SocialUser(
            provider=self.name,
            id=str(profile["id"]),
            email=str(email) if email else None,
            email_verified=False,
            name=profile.get("name"),
            avatar=avatar,
            raw=profile,
        )

    async def diagnose(self) -> list[Finding]:
        """An app access token (client credentials grant) proves the id and secret."""
        import httpx2

        params = {
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret or "",
            "grant_type": "client_credentials",
        }
        try:
            async with httpx2.AsyncClient(timeout=self.timeout) as http:
                response = await http.get(f"{self.graph}/oauth/access_token", params=params)
        except httpx2.HTTPError as exc:
            return [Finding("graph", False, f"{self.graph} is unreachable: {exc}")]
        findings = [Finding("graph", True, f"{self.graph} answered HTTP {response.status_code}")]
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 200 and isinstance(body, dict) and body.get("access_token"):
            findings.append(Finding("credentials", True, "Facebook accepted the app id and secret"))
        else:
            error = body.get("error", {}) if isinstance(body, dict) else {}
            message = error.get("message") if isinstance(error, dict) else None
            findings.append(
                Finding(
                    "credentials",
                    False,
                    f"Facebook rejected the app id or secret ({message or response.status_code})",
                )
            )
        return findings
