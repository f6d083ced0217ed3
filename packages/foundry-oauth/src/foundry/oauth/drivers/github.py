"""GitHub (and GitHub Enterprise Server): OAuth 2.0 without OpenID Connect.

GitHub has no ID token, so the person is read from its REST API: ``GET /user`` for the
stable numeric id, login, name and avatar, and ``GET /user/emails`` (scope ``user:email``)
for the address. The profile's ``email`` is only what the user chose to make public and
says nothing about verification, so the address used is the *primary verified* one of
``/user/emails``, else another verified one; an unverified address is passed on as
unverified (it never links to an existing account).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foundry.oauth.drivers.base import Endpoints, Finding, OAuthDriver
from foundry.oauth.errors import ProviderUnavailable
from foundry.oauth.user import SocialUser

if TYPE_CHECKING:
    from foundry.oauth.state import FlowState

__all__ = ["GitHubDriver", "pick_email"]

_ACCEPT = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def pick_email(emails: object) -> tuple[str | None, bool]:
    """The address to use from ``/user/emails`` and whether GitHub verified it.

    >>> pick_email([{"email": "a@x.io", "primary": False, "verified": True},
    ...             {"email": "b@x.io", "primary": True, "verified": True}])
    ('b@x.io', True)
    >>> pick_email([{"email": "b@x.io", "primary": True, "verified": False}])
    ('b@x.io', False)
    """
    if not isinstance(emails, list):
        return None, False
    rows = [e for e in emails if isinstance(e, dict) and isinstance(e.get("email"), str)]
    preferences = ((True, True), (None, True), (True, None))  # (primary, verified); None: any
    for primary, verified in preferences:
        for row in rows:
            if primary is not None and row.get("primary") is not primary:
                continue
            if verified is not None and row.get("verified") is not verified:
                continue
            return str(row["email"]), row.get("verified") is True
    return None, False


class GitHubDriver(OAuthDriver):
    """github.com, or an Enterprise server by ``OAUTH_GITHUB_URL`` / ``OAUTH_GITHUB_API_URL``."""

    @property
    def web(self) -> str:
        return self.settings.urls["web"]

    @property
    def api(self) -> str:
        return self.settings.urls["api"]

    async def endpoints(self) -> Endpoints:
        return Endpoints(
            f"{self.web}/login/oauth/authorize",
            f"{self.web}/login/oauth/access_token",
            "client_secret_post",
        )

    async def fetch_user(
        self, client: Any, token: Mapping[str, Any], flow: FlowState
    ) -> SocialUser:
        import httpx2

        profile = await self.get_json(client, f"{self.api}/user", headers=_ACCEPT)
        if not isinstance(profile, dict) or profile.get("id") is None:
            raise ProviderUnavailable(
                f"{self.label}'s {self.api}/user did not describe a user.",
                context={"provider": self.name},
            )
        try:
            emails = await self.get_json(client, f"{self.api}/user/emails", headers=_ACCEPT)
        except httpx2.HTTPStatusError:
            emails = None  # no user:email scope: only the public address, unverified
        email, verified = pick_email(emails)
        if email is None and isinstance(profile.get("email"), str):
            email = profile["email"]
        return SocialUser(
            provider=self.name,
            id=str(profile["id"]),
            email=email,
            email_verified=verified,
            name=profile.get("name"),
            nickname=profile.get("login"),
            avatar=profile.get("avatar_url"),
            raw={**profile, "emails": emails if isinstance(emails, list) else []},
        )

    async def diagnose(self) -> list[Finding]:
        import httpx2

        findings: list[Finding] = []
        try:
            async with httpx2.AsyncClient(timeout=self.timeout) as http:
                response = await http.get(self.api + "/", headers=_ACCEPT)
            ok = response.status_code < 500
            findings.append(Finding("api", ok, f"{self.api} answered HTTP {response.status_code}"))
        except httpx2.HTTPError as exc:
            findings.append(Finding("api", False, f"{self.api} is unreachable: {exc}"))
        findings.append(await self.probe_credentials(await self.endpoints()))
        return findings
