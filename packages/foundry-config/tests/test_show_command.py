"""config:show: sections and keys as dotted rows, secrets masked unless --reveal."""

from __future__ import annotations

import json


async def test_show_a_section_as_dotted_rows(base, write, make_app, run):
    write(base / "config" / "cache.toml", '[stores.redis]\nhost = "cache.local"\nport = 6380\n')
    app = make_app()
    ran = await run(app, "config:show", "cache", format="json")
    assert ran.outcome.exit_code == 0, ran.outcome.error
    assert ran.data == {
        "key": "cache",
        "cached": False,
        "values": {
            "cache.driver": "memory",
            "cache.prefix": "foundry",
            "cache.stores.redis.host": "cache.local",
            "cache.stores.redis.port": 6380,
            "cache.ttl": 3600,
        },
    }


async def test_show_one_key(make_app, run):
    ran = await run(make_app(), "config:show", "cache.ttl", format="json")
    assert ran.data["values"] == {"cache.ttl": 3600}


async def test_show_everything_in_a_human_table(make_app, run):
    ran = await run(make_app(), "config:show")
    assert ran.stdout.splitlines()[0] == "Configuration"
    row = next(line for line in ran.stdout.splitlines() if line.startswith("app.debug"))
    assert row.split() == ["app.debug", "false"]
    assert any(line.split() == ["cache.driver", "memory"] for line in ran.stdout.splitlines())


async def test_secrets_are_masked_unless_reveal(base, write, make_app, run):
    write(base / ".env", "MAIL_PASSWORD=hunter2\n")
    write(
        base / "config" / "services.toml",
        '[stripe]\nsecret = "sk_live"\napi_token = "tok"\npublic = "pk"\n',
    )
    app = make_app()
    ran = await run(app, "config:show", format="json")
    values = ran.data["values"]
    assert values["mail.credential"] == "******"  # fed by a secret variable
    assert values["services.stripe.secret"] == "******"  # named like a secret
    assert values["services.stripe.api_token"] == "******"
    assert values["services.stripe.public"] == "pk"
    assert "hunter2" not in json.dumps(ran.data)
    assert "sk_live" not in json.dumps(ran.data)
    human = await run(app, "config:show", "services")
    assert "sk_live" not in human.stdout
    assert "******" in human.stdout
    revealed = await run(app, "config:show", "mail", "--reveal", format="json")
    assert revealed.data["values"]["mail.credential"] == "hunter2"


async def test_unset_key_fails_with_suggestions(make_app, run):
    ran = await run(make_app(), "config:show", "cache.drivr")
    assert ran.outcome.exit_code == 1
    assert (
        ran.outcome.error
        == 'Configuration key "cache.drivr" is not set. Did you mean: cache.driver?'
    )


async def test_show_says_cached_when_answering_from_the_cache(make_app, run):
    app = make_app()
    await run(app, "config:cache")
    cached = make_app()
    ran = await run(cached, "config:show", "cache")
    assert ran.stdout.splitlines()[0] == "cache (cached)"
    as_json = await run(cached, "config:show", format="json")
    assert as_json.data["cached"] is True


async def test_show_of_a_malformed_value_fails_naming_the_line(base, write, make_app, run):
    write(base / ".env", "APP_DEBUG=maybe\n")
    ran = await run(make_app(), "config:show", "app")
    assert ran.outcome.exit_code == 1
    assert ran.outcome.error == ".env line 1: APP_DEBUG=maybe is not a boolean (true/false)"
