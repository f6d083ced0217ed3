import base64

import pytest

from foundry.domain.env import EnvVar, decode_key, defaults_of, parse_bool, resolve_env


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("YES", True), ("0", False), ("off", False)]
)
def test_bool_accepts_the_usual_spellings(raw, expected):
    assert parse_bool(raw) is expected


def test_bool_rejects_anything_else():
    with pytest.raises(ValueError, match="not a boolean"):
        parse_bool("maybe")


def test_int_float_enum_list():
    assert EnvVar("N", kind="int").parse(" 42 ") == 42
    assert EnvVar("F", kind="float").parse("1.5") == 1.5
    assert EnvVar("E", kind="enum", choices=("memory", "redis")).parse("Redis") == "redis"
    assert EnvVar("L", kind="list").parse("a, b,,c") == ["a", "b", "c"]
    with pytest.raises(ValueError, match="not an integer"):
        EnvVar("N", kind="int").parse("4x")
    with pytest.raises(ValueError, match="not one of memory, redis"):
        EnvVar("E", kind="enum", choices=("memory", "redis")).parse("disk")


def test_url_and_email():
    assert EnvVar("U", kind="url").parse("sqlite:///storage/db.sqlite").startswith("sqlite")
    assert EnvVar("U", kind="url").parse("postgresql://u@h/db")
    with pytest.raises(ValueError, match="not a URL"):
        EnvVar("U", kind="url").parse("localhost")
    with pytest.raises(ValueError, match="e-mail"):
        EnvVar("M", kind="email").parse("nobody")


def test_str_keeps_the_raw_text():
    assert EnvVar("S").parse("  spaced  ") == "  spaced  "


def test_application_key_needs_256_bits():
    good = "base64:" + base64.b64encode(b"k" * 32).decode()
    assert len(decode_key(good)) == 32
    with pytest.raises(ValueError, match="256 bits"):
        decode_key("base64:" + base64.b64encode(b"short").decode())
    with pytest.raises(ValueError, match="not valid base64"):
        decode_key("base64:!!!")
    with pytest.raises(ValueError, match="at least 32 characters"):
        decode_key("tiny")


def test_resolve_env_maps_names_to_config_keys_and_reports_bad_values():
    declared = [
        EnvVar("CACHE_DRIVER", "cache.driver", "enum", "memory", choices=("memory", "redis")),
        EnvVar("APP_DEBUG", "app.debug", "bool", False),
        EnvVar("SESSION_DRIVER", "session.driver", aliases=("AUTH_SESSION_STORAGE",)),
        EnvVar("DB_PASSWORD", "db.password", "int", secret=True),
        EnvVar("UNMAPPED"),
    ]
    values, problems = resolve_env(
        declared,
        {
            "CACHE_DRIVER": "redis",
            "APP_DEBUG": "maybe",
            "AUTH_SESSION_STORAGE": "redis",
            "DB_PASSWORD": "hunter2",
            "UNMAPPED": "x",
        },
    )
    assert values == {"cache.driver": "redis", "session.driver": "redis"}
    assert [str(p) for p in problems] == [
        "APP_DEBUG=maybe is not a boolean (true/false)",
        "DB_PASSWORD=****** is not an integer",
    ]


def test_primary_name_wins_over_alias():
    var = EnvVar("SESSION_DRIVER", "session.driver", aliases=("AUTH_SESSION_STORAGE",))
    values, _ = resolve_env([var], {"SESSION_DRIVER": "memory", "AUTH_SESSION_STORAGE": "redis"})
    assert values == {"session.driver": "memory"}


def test_defaults_of_skips_unmapped_and_none():
    declared = [EnvVar("A", "a.x", default=1), EnvVar("B", default=2), EnvVar("C", "c.x")]
    assert defaults_of(declared) == {"a.x": 1}


def test_empty_typed_values_count_as_unset():
    declared = [EnvVar("APP_KEY", "app.key", "key"), EnvVar("APP_NAME", "app.name")]
    values, problems = resolve_env(declared, {"APP_KEY": "", "APP_NAME": ""})
    assert values == {"app.name": ""}
    assert problems == []
