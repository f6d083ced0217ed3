"""Configuration: the declared variables, the settings read from them, and what the routes
answer when a provider cannot be used."""

from __future__ import annotations

import pytest

from foundry.domain.config import MappingConfig
from foundry.oauth.env import declared_env
from foundry.oauth.provider import OAuthServiceProvider
from foundry.oauth.settings import OAuthSettings, secure_url


def _settings(**values: object) -> OAuthSettings:
    return OAuthSettings.from_config(MappingConfig({"app.url": "https://shop.example", **values}))


def test_every_variable_is_declared_including_those_of_listed_oidc_providers(monkeypatch):
    monkeypatch.setenv("OAUTH_PROVIDERS", "github,acme,okta-eu")
    names = {var.name for var in OAuthServiceProvider.env}
    assert {
        "OAUTH_PROVIDERS",
        "OAUTH_REDIRECT_AFTER_LOGIN",
        "OAUTH_STATE_LIFETIME",
        "OAUTH_HTTP_TIMEOUT",
        "OAUTH_GITHUB_CLIENT_ID",
        "OAUTH_GITHUB_CLIENT_SECRET",
        "OAUTH_GITHUB_SCOPES",
        "OAUTH_GITHUB_URL",
        "OAUTH_GITHUB_API_URL",
        "OAUTH_GOOGLE_DISCOVERY_URL",
        "OAUTH_FACEBOOK_CLIENT_SECRET",
        "OAUTH_ACME_CLIENT_ID",
        "OAUTH_ACME_CLIENT_SECRET",
        "OAUTH_ACME_SCOPES",
        "OAUTH_ACME_DISCOVERY_URL",
        "OAUTH_OKTA_EU_DISCOVERY_URL",
    } <= names
    secrets = {var.name for var in OAuthServiceProvider.env if var.secret}
    assert secrets == {
        "OAUTH_GITHUB_CLIENT_SECRET",
        "OAUTH_GOOGLE_CLIENT_SECRET",
        "OAUTH_FACEBOOK_CLIENT_SECRET",
        "OAUTH_ACME_CLIENT_SECRET",
        "OAUTH_OKTA_EU_CLIENT_SECRET",
    }


def test_variables_of_unlisted_providers_are_not_declared():
    names = {var.name for var in declared_env({"OAUTH_PROVIDERS": "github"})}
    assert "OAUTH_ACME_CLIENT_ID" not in names
    assert "OAUTH_GITHUB_CLIENT_ID" in names


def test_settings_read_each_provider_from_its_services_section():
    settings = _settings(
        **{
            "socialite.providers": ["google", "acme"],
            "services.google": {"client_id": "g-id", "client_secret": "g-secret"},
            "services.acme": {
                "client_id": "a-id",
                "scopes": "email profile groups",
                "discovery_url": "https://id.acme.test/.well-known/openid-configuration",
            },
        }
    )
    google, acme = settings.provider("google"), settings.provider("acme")
    assert google.usable
    assert google.label == "Google"
    assert google.discovery_url == "https://accounts.google.com/.well-known/openid-configuration"
    assert google.redirect_uri == "https://shop.example/auth/oauth/google/callback"
    assert acme.usable
    assert acme.client_secret is None
    assert acme.scopes == ("openid", "email", "profile", "groups")  # openid is always asked
    assert settings.secure_cookies


def test_settings_refuse_a_plain_http_discovery_url_except_on_loopback():
    settings = _settings(
        **{
            "socialite.providers": ["acme", "dev"],
            "services.acme": {"client_id": "x", "discovery_url": "http://id.acme.test/x"},
            "services.dev": {"client_id": "x", "discovery_url": "http://127.0.0.1:9000/x"},
        }
    )
    assert "must be an https URL" in settings.provider("acme").problems[0]
    assert settings.provider("dev").usable


@pytest.mark.parametrize(
    ("url", "secure"),
    [
        ("https://id.example", True),
        ("http://localhost:8000/x", True),
        ("http://127.0.0.1/x", True),
        ("http://[::1]/x", True),
        ("http://id.example", False),
        ("http://10.0.0.1/x", False),
        ("ftp://id.example", False),
    ],
)
def test_secure_url_means_https_or_loopback(url, secure):
    assert secure_url(url) is secure


async def test_an_unknown_provider_is_a_404_page(fake, make_site):
    async with make_site(fake) as site:
        answer = await site.browser.get("http://app.test/auth/oauth/gitlab/redirect")
        assert answer.status_code == 404
        assert "OAUTH_PROVIDER_UNKNOWN" in answer.text
        assert "add it to OAUTH_PROVIDERS" in answer.text


async def test_an_incomplete_provider_answers_503_naming_the_variable(make_site):
    async with make_site(None, env={"OAUTH_PROVIDERS": "github"}) as site:
        answer = await site.browser.get(
            "http://app.test/auth/oauth/github/redirect", headers={"accept": "application/json"}
        )
        assert answer.status_code == 503
        error = answer.json()["error"]
        assert error["code"] == "OAUTH_PROVIDER_MISCONFIGURED"
        assert "OAUTH_GITHUB_CLIENT_ID is not set" in error["message"]


async def test_without_an_app_key_the_redirect_says_how_to_make_one(fake, make_site):
    async with make_site(fake, env={"APP_KEY": ""}) as site:
        answer = await site.browser.get("http://app.test/auth/oauth/acme/redirect")
        assert answer.status_code == 503
        assert "APP_KEY is not set" in answer.text
        assert "foundry key:generate" in answer.text
        assert fake.authorize_requests == []


async def test_an_unreachable_issuer_is_a_502_not_a_crash(make_site):
    env = {
        "OAUTH_PROVIDERS": "acme",
        "OAUTH_ACME_CLIENT_ID": "x",
        "OAUTH_ACME_DISCOVERY_URL": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    async with make_site(None, env=env) as site:
        answer = await site.browser.get("http://app.test/auth/oauth/acme/redirect")
        assert answer.status_code == 502
        assert "OAUTH_PROVIDER_UNAVAILABLE" in answer.text
