"""Any OpenID Connect issuer, found by its discovery document (Google is one).

The discovery document (OpenID Connect Discovery 1.0) gives the endpoints and the JWKS;
its ``issuer`` must be exactly the discovery URL without ``/.well-known/openid-configuration``
(section 4.3), which stops one issuer impersonating another. The ID token is verified as
OpenID Connect Core section 3.1.3.7 asks: signature against the issuer's JWKS (fetched again
once when a token names an unknown ``kid``: key rotation), algorithm among those the issuer
advertises (never ``none``), ``iss``, ``aud`` (and ``azp``), ``exp``/``iat``, the ``nonce``
this browser's flow holds, and ``at_hash`` when present. Claims from the userinfo endpoint
are used only when their ``sub`` is the ID token's.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foundry.oauth.drivers.base import Endpoints, Finding, OAuthDriver
from foundry.oauth.errors import IdentityTokenInvalid, ProviderUnavailable
from foundry.oauth.settings import secure_url
from foundry.oauth.user import SocialUser

if TYPE_CHECKING:
    from foundry.oauth.state import FlowState

__all__ = ["OpenIDDriver", "claim_true"]

SUFFIX = "/.well-known/openid-configuration"
METADATA_TTL = 3600.0
LEEWAY = 60


def claim_true(value: object) -> bool:
    """``email_verified`` as a boolean: True, or the text ``"true"`` some issuers send."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


class OpenIDDriver(OAuthDriver):
    """OpenID Connect authorization code flow with PKCE and nonce."""

    openid = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._jwks: dict[str, Any] | None = None

    @property
    def discovery_url(self) -> str:
        assert self.settings.discovery_url is not None
        return self.settings.discovery_url

    async def metadata(self, *, force: bool = False) -> dict[str, Any]:
        """The discovery document (cached for an hour).

        Raises:
            ProviderUnavailable: unreachable, not JSON, missing endpoints, or an issuer
                that is not the discovery URL's.
        """
        fresh = time.monotonic() - self._metadata_at < METADATA_TTL
        if self._metadata is not None and fresh and not force:
            return self._metadata
        document = await self.fetch_public_json(self.discovery_url)
        problems = self.metadata_problems(document)
        if problems:
            raise ProviderUnavailable(
                f"{self.label}'s discovery document {self.discovery_url} is not usable: "
                + " ".join(problems),
                context={"provider": self.name},
            )
        self._metadata, self._metadata_at = dict(document), time.monotonic()
        self._jwks = None
        return self._metadata

    def metadata_problems(self, document: object) -> list[str]:
        if not isinstance(document, dict):
            return ["it is not a JSON object."]
        problems: list[str] = []
        expected = self.discovery_url.removesuffix(SUFFIX)
        issuer = document.get("issuer")
        if issuer != expected:
            problems.append(f"its issuer {issuer!r} is not {expected!r}.")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            url = document.get(key)
            if not isinstance(url, str) or not url:
                problems.append(f"it has no {key}.")
            elif not secure_url(url):
                problems.append(f"its {key} {url} is not https.")
        types = document.get("response_types_supported")
        if isinstance(types, list) and "code" not in types:
            problems.append("it does not support response_type=code.")
        return problems

    async def endpoints(self) -> Endpoints:
        metadata = await self.metadata()
        methods = metadata.get("token_endpoint_auth_methods_supported")
        method = "client_secret_basic"
        if isinstance(methods, list) and method not in methods and "client_secret_post" in methods:
            method = "client_secret_post"
        return Endpoints(metadata["authorization_endpoint"], metadata["token_endpoint"], method)

    async def uses_pkce(self) -> bool:
        methods = (await self.metadata()).get("code_challenge_methods_supported")
        return not isinstance(methods, list) or "S256" in methods

    async def jwks(self, *, force: bool = False) -> dict[str, Any]:
        if self._jwks is None or force:
            metadata = await self.metadata()
            document = await self.fetch_public_json(metadata["jwks_uri"])
            if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
                raise ProviderUnavailable(
                    f"{self.label}'s JWKS {metadata['jwks_uri']} holds no keys.",
                    context={"provider": self.name},
                )
            self._jwks = document
        return self._jwks

    async def verify_id_token(
        self, id_token: str, *, nonce: str | None, access_token: str | None
    ) -> dict[str, Any]:
        """The ID token's claims, once every check of OIDC Core 3.1.3.7 passed.

        Raises:
            IdentityTokenInvalid: naming the check that failed.
        """
        from authlib.oidc.core import CodeIDToken  # type: ignore[import-untyped]
        from joserfc import jwt
        from joserfc.errors import InvalidKeyIdError, JoseError, MissingKeyError
        from joserfc.jwk import KeySet

        metadata = await self.metadata()
        advertised = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in advertised if isinstance(a, str) and a.upper() != "NONE"]
        try:
            try:
                keys = KeySet.import_key_set(await self.jwks())  # type: ignore[arg-type]
                decoded = jwt.decode(id_token, keys, algorithms=algorithms)
            except (InvalidKeyIdError, MissingKeyError):
                keys = KeySet.import_key_set(await self.jwks(force=True))  # type: ignore[arg-type]
                decoded = jwt.decode(id_token, keys, algorithms=algorithms)
            claims = CodeIDToken(
                decoded.claims,
                decoded.header,
                {
                    "iss": {"essential": True, "value": metadata["issuer"]},
                    "aud": {"essential": True, "value": self.settings.client_id},
                },
                {
                    "nonce": nonce,
                    "client_id": self.settings.client_id,
                    "access_token": access_token,
                },
            )
            claims.validate(now=int(self.clock.timestamp()), leeway=LEEWAY)
        except JoseError as exc:
            raise IdentityTokenInvalid(
                f"{self.label}'s ID token failed verification: {_describe(exc)}. The sign-in "
                "was refused; start it again.",
                context={"provider": self.name},
            ) from None
        return dict(claims)

    async def fetch_user(
        self, client: Any, token: Mapping[str, Any], flow: FlowState
    ) -> SocialUser:
        id_token = token.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise IdentityTokenInvalid(
                f"{self.label} issued no ID token; the openid scope must be granted.",
                context={"provider": self.name},
            )
        claims = await self.verify_id_token(
            id_token, nonce=flow.nonce, access_token=str(token.get("access_token") or "")
        )
        profile: dict[str, Any] = {}
        endpoint = (await self.metadata()).get("userinfo_endpoint")
        if isinstance(endpoint, str) and endpoint:
            import httpx2

            try:  # the ID token is enough; userinfo only adds profile claims
                info = await self.get_json(client, endpoint)
            except (httpx2.HTTPError, ValueError):
                info = None
            if isinstance(info, dict) and info.get("sub") == claims["sub"]:
                profile = info
        merged = {**profile, **claims}
        source = claims if "email" in claims else profile
        email = source.get("email")
        return SocialUser(
            provider=self.name,
            id=str(claims["sub"]),
            email=str(email) if email else None,
            email_verified=bool(email) and claim_true(source.get("email_verified")),
            name=merged.get("name"),
            nickname=merged.get("preferred_username") or merged.get("nickname"),
            avatar=merged.get("picture"),
            raw=merged,
        )

    async def diagnose(self) -> list[Finding]:
        findings: list[Finding] = []
        try:
            document = await self.fetch_public_json(self.discovery_url)
        except ProviderUnavailable as exc:
            return [Finding("discovery", False, exc.message)]
        problems = self.metadata_problems(document)
        if problems:
            return [Finding("discovery", False, " ".join(problems))]
        findings.append(
            Finding("discovery", True, f"{self.discovery_url} (issuer {document['issuer']})")
        )
        await self.metadata(force=True)
        methods = document.get("code_challenge_methods_supported")
        findings.append(
            Finding(
                "pkce",
                True,
                "S256 supported"
                if isinstance(methods, list) and "S256" in methods
                else "S256 not advertised; the code challenge is sent anyway"
                if not isinstance(methods, list)
                else f"S256 not supported ({', '.join(map(str, methods))}): sign-in runs "
                "without PKCE",
            )
        )
        try:
            keys = await self.jwks(force=True)
            findings.append(Finding("jwks", True, f"{len(keys['keys'])} signing key(s)"))
        except ProviderUnavailable as exc:
            findings.append(Finding("jwks", False, exc.message))
        supported = document.get("scopes_supported")
        if isinstance(supported, list):
            missing = [s for s in self.settings.scopes if s not in supported]
            findings.append(
                Finding(
                    "scopes",
                    not missing,
                    "all requested scopes are offered"
                    if not missing
                    else f"not offered by the issuer: {', '.join(missing)}",
                )
            )
        findings.append(await self.probe_credentials(await self.endpoints()))
        return findings


def _describe(exc: Exception) -> str:
    from joserfc.errors import BadSignatureError, ExpiredTokenError

    if isinstance(exc, BadSignatureError):
        return "the signature does not match the issuer's keys"
    if isinstance(exc, ExpiredTokenError):
        return "it has expired"
    description = getattr(exc, "description", None) or str(exc) or type(exc).__name__
    return str(description).rstrip(".")
