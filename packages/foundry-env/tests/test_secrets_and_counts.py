"""What is masked, and what env:example says it wrote.

A declared variable is a secret when its package declares it so (``EnvVar.secret``):
``RATE_LIMIT_MAX_KEYS``, ``PUSHER_APP_KEY`` and ``OAUTH_ACCESS_TOKEN_LIFETIME`` carry KEY or
TOKEN in their names and are not secrets. The name alone decides only for variables no
package declares (an undeclared ``STRIPE_SECRET`` is still hidden).
"""

from __future__ import annotations

import json
import re
from typing import ClassVar

from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider
from foundry.env import is_secret

NAMED_LIKE_SECRETS = {
    "RATE_LIMIT_MAX_KEYS": "5000",
    "PUSHER_APP_KEY": "app-key-is-public",
    "OAUTH_ACCESS_TOKEN_LIFETIME": "900",
}


class NamedLikeSecretsProvider(ServiceProvider):
    name = "named-like-secrets"
    package = "foundry-named"
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar("RATE_LIMIT_MAX_KEYS", "ratelimit.max_keys", "int", 100_000, description="Keys"),
        EnvVar("PUSHER_APP_KEY", "broadcast.key", "str", description="Public app key"),
        EnvVar(
            "OAUTH_ACCESS_TOKEN_LIFETIME",
            "oauth.access_token_lifetime",
            "int",
            3600,
            description="Seconds",
        ),
        EnvVar("WEBHOOK_SIGNING", "hooks.signing", "str", secret=True, description="Signs"),
    )


class DescribedWithEquals(ServiceProvider):
    """Descriptions that contain ``=``, as real ones do (``APP_ENV=production``)."""

    name = "described"
    package = "foundry-described"
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar("LOG_FORMAT", "logs.format", "str", "pretty", description="json when APP_ENV=x"),
        EnvVar("LOGIN_URL", "auth.login", "str", description="Where visitors go (?next=...)"),
    )


def written(base) -> set[str]:
    """The variables a .env.example sets, active or commented out."""
    text = (base / ".env.example").read_text()
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


async def test_env_trusts_the_secret_flag_of_declared_variables(base, write, make_app, run):
    lines = "".join(f"{name}={value}\n" for name, value in NAMED_LIKE_SECRETS.items())
    write(base / ".env", lines + "WEBHOOK_SIGNING=whsec-123\nMAIL_PASSWORD=hunter2\n")
    ran = await run(make_app(NamedLikeSecretsProvider), "env", format="json")
    assert ran.outcome.exit_code == 0
    rows = {row["name"]: row for row in ran.data["variables"]}
    for name, value in NAMED_LIKE_SECRETS.items():
        assert (rows[name]["value"], rows[name]["secret"]) == (value, False), name
    assert (rows["WEBHOOK_SIGNING"]["value"], rows["WEBHOOK_SIGNING"]["secret"]) == (
        "******",
        True,
    )
    assert rows["MAIL_PASSWORD"]["value"] == "******"
    assert "whsec-123" not in json.dumps(ran.data)
    assert "hunter2" not in json.dumps(ran.data)


async def test_env_reload_masks_by_name_only_what_no_package_declares(base, write, make_app, run):
    write(base / ".env", "PUSHER_APP_KEY=old\n")
    app = make_app(NamedLikeSecretsProvider)
    write(base / ".env", "PUSHER_APP_KEY=new\nSTRIPE_SECRET=sk_live_1\nWEBHOOK_SIGNING=whsec\n")
    ran = await run(app, "env:reload", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["changed"] == {"PUSHER_APP_KEY": {"old": "old", "new": "new"}}
    assert ran.data["added"] == {"STRIPE_SECRET": "******", "WEBHOOK_SIGNING": "******"}


async def test_env_validate_shows_malformed_values_of_declared_non_secrets(
    base, write, make_app, run
):
    write(base / ".env", "RATE_LIMIT_MAX_KEYS=lots\nOAUTH_ACCESS_TOKEN_LIFETIME=long\n")
    ran = await run(make_app(NamedLikeSecretsProvider), "env:validate", format="json")
    messages = [error["message"] for error in ran.data["errors"]]
    assert any("RATE_LIMIT_MAX_KEYS=lots is not an integer" in m for m in messages)
    assert any("OAUTH_ACCESS_TOKEN_LIFETIME=long is not an integer" in m for m in messages)


def test_the_name_heuristic_is_for_undeclared_variables_only() -> None:
    from foundry.env.masking import secret_checker

    checker = secret_checker(NamedLikeSecretsProvider.env)
    assert [checker(name) for name in NAMED_LIKE_SECRETS] == [False, False, False]
    assert checker("WEBHOOK_SIGNING") is True
    assert checker("STRIPE_SECRET") is True  # undeclared: judged by its name
    assert checker("SENTRY_AUTH_TOKEN") is True
    assert checker("GREETING") is False
    assert is_secret("PUSHER_APP_KEY") is True  # the bare heuristic is unchanged


async def test_env_example_reports_as_many_variables_as_it_writes(base, make_app, run):
    app = make_app(NamedLikeSecretsProvider, DescribedWithEquals)
    ran = await run(app, "env:example", format="json")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    names = written(base)
    assert {"LOG_FORMAT", "LOGIN_URL", "RATE_LIMIT_MAX_KEYS", "CACHE_DRIVER"} <= names
    assert ran.data["variables"] == len(names)
    assert ran.message == f"Wrote .env.example ({len(names)} variables)."
    dry = await run(app, "env:example", dry_run=True, format="json")
    assert dry.data["variables"] == len(names)
