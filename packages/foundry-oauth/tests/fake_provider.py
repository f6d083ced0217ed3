"""A small OpenID Connect issuer and GitHub look-alike, served for real over HTTP.

It behaves like a strict provider: codes are single-use and bound to the client and
redirect URI, PKCE S256 is checked, clients authenticate (basic or post), ID tokens are
RS256 JWTs signed with a key published in its JWKS. Knobs let a test deny consent, sign
with a key the JWKS does not hold, put a wrong nonce or audience in the ID token, or
rotate keys; every authorization and token request is recorded.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "foundry-app"
CLIENT_SECRET = "s3cret-of-the-client"


@dataclass
class Person:
    """Who is signed in at the fake provider."""

    sub: str = "acme-user-1"
    email: str | None = "ada@example.com"
    email_verified: bool | str = True
    name: str = "Ada Lovelace"
    picture: str = "https://cdn.example.com/ada.png"


@dataclass
class GitHubAccount:
    id: int = 4242
    login: str = "ada"
    name: str | None = "Ada Lovelace"
    avatar_url: str = "https://avatars.example.com/u/4242"
    public_email: str | None = None
    emails: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {"email": "ada@old-mail.example", "primary": False, "verified": True},
            {"email": "ada@example.com", "primary": True, "verified": True},
        ]
    )


class FakeProvider:
    """The provider's state and its Starlette app."""

    def __init__(self) -> None:
        self.base_url = ""
        self.key = RSAKey.generate_key(2048, parameters={"kid": "fake-1", "use": "sig"})
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "fake-1", "use": "sig"})
        self.published = [self.key]
        self.signing_key = self.key
        self.person = Person()
        self.github = GitHubAccount()
        self.deny = False
        self.id_token_overrides: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.tokens: dict[str, dict[str, Any]] = {}
        self.jwks_fetches = 0
        self.facebook_fields = ""
        self.now: Any = time.time  # the issuer's clock (tests align it with the app's)

    # --- the app ------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/userinfo", self.userinfo),
                Route("/jwks", self.jwks),
                Route("/login/oauth/authorize", self.authorize),
                Route("/login/oauth/access_token", self.github_token, methods=["POST"]),
                Route("/api/", self.github_root),
                Route("/api/user", self.github_user),
                Route("/api/user/emails", self.github_emails),
                Route("/facebook/dialog/oauth", self.authorize),
                Route("/graph/oauth/access_token", self.facebook_token, methods=["GET", "POST"]),
                Route("/graph/me", self.facebook_me),
            ]
        )

    async def discovery(self, request: Request) -> Response:
        base = self.base_url
        return JSONResponse(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token",
                "userinfo_endpoint": f"{base}/userinfo",
                "jwks_uri": f"{base}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
            }
        )

    async def jwks(self, request: Request) -> Response:
        self.jwks_fetches += 1
        return JSONResponse(KeySet(list(self.published)).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        query = dict(request.query_params)
        self.authorize_requests.append(query)
        redirect_uri, state = query["redirect_uri"], query.get("state", "")
        if query.get("client_id") != CLIENT_ID:
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        if self.deny:
            return RedirectResponse(
                f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}", 302
            )
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "client_id": CLIENT_ID,
            "redirect_uri": redirect_uri,
            "challenge": query.get("code_challenge"),
            "method": query.get("code_challenge_method"),
            "nonce": query.get("nonce"),
            "person": Person(**vars(self.person)),
        }
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", 302)

    def _client(self, request: Request, form: dict[str, str]) -> str | None:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            raw = base64.b64decode(header[6:]).decode()
            client_id, _, secret = raw.partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return client_id if (client_id, secret) == (CLIENT_ID, CLIENT_SECRET) else None

    def _redeem(self, form: dict[str, str]) -> tuple[dict[str, Any] | None, str]:
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        if grant is None:
            return None, "invalid_grant"
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return None, "invalid_grant"
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant["method"] != "S256" or expected != grant["challenge"]:
                return None, "invalid_grant"
        return grant, ""

    async def token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.token_requests.append(form)
        if self._client(request, form) is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant, error = self._redeem(form)
        if grant is None:
            return JSONResponse({"error": error}, status_code=400)
        person: Person = grant["person"]
        access = secrets.token_urlsafe(24)
        self.tokens[access] = {"person": person}
        now = int(self.now())
        claims: dict[str, Any] = {
            "iss": self.base_url,
            "sub": person.sub,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "email": person.email,
            "email_verified": person.email_verified,
            "name": person.name,
        }
        claims = {k: v for k, v in {**claims, **self.id_token_overrides}.items() if v is not None}
        header = {"alg": "RS256", "kid": self.signing_key.kid}
        id_token = jwt.encode(header, claims, self.signing_key)
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 3600,
                "refresh_token": secrets.token_urlsafe(24),
                "id_token": id_token,
                "scope": "openid email profile",
            }
        )

    async def userinfo(self, request: Request) -> Response:
        person = self._bearer(request)
        if person is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse(
            {"sub": person.sub, "name": person.name, "picture": person.picture, "locale": "en"}
        )

    def _bearer(self, request: Request) -> Any:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        found = self.tokens.get(token)
        return found.get("person") if found else None

    # --- GitHub -------------------------------------------------------------------------

    async def github_token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.token_requests.append(form)
        if self._client(request, form) is None:  # GitHub answers 200 with an error body
            return JSONResponse({"error": "incorrect_client_credentials"})
        grant, _ = self._redeem(form)
        if grant is None:
            return JSONResponse({"error": "bad_verification_code"})
        access = "gho_" + secrets.token_urlsafe(24)
        self.tokens[access] = {"github": True}
        return JSONResponse({"access_token": access, "token_type": "bearer", "scope": "user:email"})

    async def facebook_token(self, request: Request) -> Response:
        if request.method == "GET":  # the app access token (client credentials)
            form = dict(request.query_params)
            if self._client(request, form) is None:
                error = {"message": "Error validating client secret.", "code": 1}
                return JSONResponse({"error": error}, status_code=400)
            return JSONResponse({"access_token": f"{CLIENT_ID}|app", "token_type": "bearer"})
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.token_requests.append(form)
        if self._client(request, form) is None:
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        grant, error = self._redeem(form)
        if grant is None:
            return JSONResponse({"error": error}, status_code=400)
        access = "EAA" + secrets.token_urlsafe(24)
        self.tokens[access] = {"facebook": grant["person"]}
        return JSONResponse({"access_token": access, "token_type": "bearer", "expires_in": 5183944})

    async def facebook_me(self, request: Request) -> Response:
        import hmac

        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        person = self.tokens.get(token, {}).get("facebook")
        proof = hmac.new(CLIENT_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
        if person is None or request.query_params.get("appsecret_proof") != proof:
            return JSONResponse({"error": {"message": "Invalid OAuth access token."}}, 400)
        self.facebook_fields = request.query_params.get("fields", "")
        return JSONResponse(
            {
                "id": "10150000000000001",
                "name": person.name,
                "email": person.email,
                "picture": {"data": {"url": person.picture}},
            }
        )

    async def github_root(self, request: Request) -> Response:
        return JSONResponse({"current_user_url": f"{self.base_url}/api/user"})

    async def github_user(self, request: Request) -> Response:
        if not self._github_token(request):
            return JSONResponse({"message": "Requires authentication"}, status_code=401)
        account = self.github
        return JSONResponse(
            {
                "id": account.id,
                "login": account.login,
                "name": account.name,
                "avatar_url": account.avatar_url,
                "email": account.public_email,
            }
        )

    async def github_emails(self, request: Request) -> Response:
        if not self._github_token(request):
            return JSONResponse({"message": "Requires authentication"}, status_code=401)
        return JSONResponse(self.github.emails)

    def _github_token(self, request: Request) -> bool:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return bool(self.tokens.get(token, {}).get("github"))


@asynccontextmanager
async def serve(app: Any, *, port: int = 0, lifespan: str = "off") -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn on this event loop, on ``port`` of the loopback interface
    (a free one by default); yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan=lifespan, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(1000):
            if server.started:
                break
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
