"""Signing in to the reference app through Foundry's own OAuth server as the OIDC issuer.

The reference app is served for real (`foundry serve`) with foundry-oauth-server as the
issuer and foundry-oauth as the relying party, on SQLite and PostgreSQL. It is reached
under two host names — the issuer as 127.0.0.1, the app as localhost — so the browser
holds one session per side, as it would with two sites. A user signs in at the issuer
with a password, consents, and comes back signed in to the app; the back channel
(discovery, token, JWKS, userinfo) goes over HTTP from the app to the issuer.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from it_support import APP, APP_ENV, foundry

PASSWORD = "correct horse battery staple"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _signing_keys() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


def _hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1).replace("&amp;", "&") if value else ""
    return fields


@contextmanager
def _served(port: int, env: dict[str, str]) -> Iterator[None]:
    """`foundry serve` of the reference app until the block ends (then SIGTERM)."""
    process = subprocess.Popen(
        [str(APP_ENV / "bin" / "foundry"), "serve", "--port", str(port), "--log-level", "warning"],
        cwd=APP,
        env={**os.environ, "FOUNDRY_AUDIT_LOG": "off", "FOUNDRY_COMMAND_CACHE": "off", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"foundry serve exited:\n{process.stdout.read()}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("foundry serve did not answer /health within 60 s")
            time.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize("database", ["sqlite_url", "postgres_url"])
def test_a_user_signs_in_to_the_reference_app_through_its_own_oidc_issuer(
    database: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(database)
    port = _free_port()
    issuer, site = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    callback = f"{site}/auth/oauth/foundry/callback"
    private, public = _signing_keys()
    env = {
        "DATABASE_URL": url,
        "APP_ENV": "local",
        "APP_URL": site,
        "APP_KEY": "base64:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "OAUTH_ISSUER": issuer,
        "OAUTH_PRIVATE_KEY": private,
        "OAUTH_PUBLIC_KEY": public,
        "OAUTH_PROVIDERS": "foundry",
        "OAUTH_FOUNDRY_DISCOVERY_URL": f"{issuer}/.well-known/openid-configuration",
    }
    foundry("migrate", env=env)
    created = json.loads(
        foundry(
            "passport:client",
            "--name",
            "The reference app",
            "--redirect-uri",
            callback,
            "--format",
            "json",
            env=env,
        )
    )["data"]
    env["OAUTH_FOUNDRY_CLIENT_ID"] = created["id"]
    env["OAUTH_FOUNDRY_CLIENT_SECRET"] = created["secret"]
    foundry(
        "make:user", "--name", "Ada Lovelace", "--email", "ada@example.com",
        "--password", PASSWORD, "-n", env=env,
    )  # fmt: skip
    listed = json.loads(foundry("oauth:providers", "--format", "json", env=env))["data"]
    assert [(p["name"], p["redirect_uri"], p["usable"]) for p in listed] == [
        ("foundry", callback, True)
    ]

    with _served(port, env), httpx.Client(timeout=30) as browser:
        checked = json.loads(foundry("oauth:test", "foundry", "--format", "json", env=env))
        assert checked["data"]["usable"] is True, checked

        start = browser.get(f"{site}/auth/oauth/foundry/redirect")
        assert start.status_code == 302, start.text
        authorize = start.headers["location"]
        assert authorize.startswith(f"{issuer}/oauth/authorize?")
        sent = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
        assert sent["code_challenge_method"] == "S256"
        assert sent["nonce"]

        to_login = browser.get(authorize)  # not signed in at the issuer yet
        assert to_login.status_code in (302, 303), to_login.text
        form = browser.get(urljoin(authorize, to_login.headers["location"]))
        signed = browser.post(
            f"{issuer}/auth/login",
            data={**_hidden_fields(form.text), "email": "ada@example.com", "password": PASSWORD},
        )
        assert signed.status_code in (302, 303), signed.text
        consent_page = browser.get(urljoin(issuer, signed.headers["location"]))
        assert consent_page.status_code == 200, consent_page.text
        consent = browser.post(
            f"{issuer}/oauth/authorize",
            data={**_hidden_fields(consent_page.text), "decision": "approve"},
        )
        assert consent.status_code == 302, consent.text
        back = consent.headers["location"]
        assert back.startswith(f"{callback}?code=")

        as_json = {"accept": "application/json"}
        assert browser.get(f"{site}/auth/user", headers=as_json).status_code == 401
        done = browser.get(back)
        assert done.status_code == 302, done.text
        assert done.headers["location"] == "/"
        me = browser.get(f"{site}/auth/user", headers=as_json)
        assert me.status_code == 200, me.text
        assert me.json()["data"]["email"] == "ada@example.com"

        replay = browser.get(back)  # the flow cookie is gone: a second use is refused
        assert replay.status_code == 400
        assert "OAUTH_STATE_INVALID" in replay.text
