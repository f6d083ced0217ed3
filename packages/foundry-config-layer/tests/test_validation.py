"""Problems name the key, say what is wrong and where the value came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from config_layer_schemas import CacheSettings, MailSettings
from pydantic import BaseModel

from foundry.config_layer import SectionSchema, ValueSources, validate_section
from foundry.domain.env import EnvVar

CACHE = SectionSchema("cache", "config_layer_schemas:CacheSettings", "cache", CacheSettings)
MAIL = SectionSchema("mail", "config_layer_schemas:MailSettings", "mail", MailSettings)
TTL = EnvVar("CACHE_TTL", "cache.ttl", "str")
SECRET = EnvVar("CACHE_SECRET", "cache.secret", "str", secret=True)


def problems(
    base: Path,
    raw: dict[str, Any],
    *,
    schema: SectionSchema = CACHE,
    env_vars: tuple[EnvVar, ...] = (),
    environ: dict[str, str] | None = None,
    origins: dict[str, str] | None = None,
) -> list[str]:
    sources = ValueSources(base, env_vars, environ or {}, origins)
    result = validate_section(schema, raw, sources)
    assert (result.instance is None) == bool(result.problems)
    return [str(p) for p in result.problems]


def test_a_bad_value_from_a_config_file_names_the_file(base, write):
    write("config/cache.toml", 'ttl = "soon"\n')
    assert problems(base, {"ttl": "soon"}) == [
        'cache.ttl: Input should be a valid integer (got "soon" from config/cache.toml)'
    ]


def test_a_bad_value_from_the_environment_names_the_variable(base):
    found = problems(base, {"ttl": "soon"}, env_vars=(TTL,), environ={"CACHE_TTL": "soon"})
    assert found == ['cache.ttl: Input should be a valid integer (got "soon" from CACHE_TTL)']


def test_a_variable_set_in_dotenv_names_its_line(base):
    found = problems(
        base,
        {"ttl": "soon"},
        env_vars=(TTL,),
        environ={"CACHE_TTL": "soon"},
        origins={"CACHE_TTL": ".env line 4"},
    )
    assert found == [
        'cache.ttl: Input should be a valid integer (got "soon" from CACHE_TTL, .env line 4)'
    ]


def test_the_environment_wins_over_the_file_as_it_does_in_the_layers(base, write):
    write("config/cache.toml", "ttl = 60\n")
    found = problems(base, {"ttl": "later"}, env_vars=(TTL,), environ={"CACHE_TTL": "later"})
    assert found == ['cache.ttl: Input should be a valid integer (got "later" from CACHE_TTL)']


def test_an_unset_variable_is_not_named(base, write):
    write("config/cache.toml", 'ttl = "soon"\n')
    found = problems(base, {"ttl": "soon"}, env_vars=(TTL,), environ={})
    assert found == [
        'cache.ttl: Input should be a valid integer (got "soon" from config/cache.toml)'
    ]


def test_a_value_from_neither_file_nor_environment_is_a_default(base):
    assert problems(base, {"ttl": "soon"}) == [
        'cache.ttl: Input should be a valid integer (got "soon" from default)'
    ]


def test_unknown_keys_list_the_known_ones(base, write):
    write("config/cache.toml", 'colour = "red"\n')
    assert problems(base, {"colour": "red"}) == [
        "cache.colour: unknown key (in config/cache.toml); "
        "known keys: driver, port, prefix, redis, secret, servers, ttl"
    ]


def test_unknown_keys_in_a_nested_section_list_that_sections_keys(base, write):
    write("config/cache.toml", "[redis]\nhots = 'x'\n")
    assert problems(base, {"redis": {"hots": "x"}}) == [
        "cache.redis.hots: unknown key (in config/cache.toml); known keys: host, port"
    ]


def test_nested_values_and_list_items_are_named_by_their_full_path(base, write):
    write("config/cache.toml", "[redis]\nport = 'x'\n[[servers]]\nport = 'y'\n")
    raw = {"redis": {"port": "x"}, "servers": [{"port": "y"}]}
    assert problems(base, raw) == [
        'cache.redis.port: Input should be a valid integer (got "x" from config/cache.toml)',
        'cache.servers[0].port: Input should be a valid integer (got "y" from config/cache.toml)',
    ]


def test_a_missing_required_key_says_where_to_set_it(base):
    mail_from = EnvVar("MAIL_FROM_ADDRESS", "mail.from_address", "email")
    assert problems(base, {}, schema=MAIL, env_vars=(mail_from,)) == [
        "mail.from_address: Field required (set it in config/mail.toml or MAIL_FROM_ADDRESS)"
    ]


def test_every_problem_of_a_section_is_reported(base, write):
    write("config/cache.toml", 'ttl = "soon"\ndriver = "disk"\ncolour = 1\n')
    found = problems(base, {"ttl": "soon", "driver": "disk", "colour": 1})
    assert [line.split(":", 1)[0] for line in found] == [
        "cache.driver",
        "cache.ttl",
        "cache.colour",
    ]
    assert found[0] == (
        "cache.driver: Input should be 'memory', 'redis' or 'file' "
        '(got "disk" from config/cache.toml)'
    )


def test_a_validator_message_is_shown_without_pydantic_prefix(base):
    assert problems(base, {"ttl": -5}) == [
        "cache.ttl: must be 0 or more seconds (got -5 from default)"
    ]


def test_the_alternatives_of_a_union_make_one_problem(base):
    found = problems(base, {"port": [1]})
    assert found == ["cache.port: Input should be a valid integer (got [1] from default)"]


def test_secret_values_are_never_shown(base):
    found = problems(base, {"secret": 12345}, env_vars=(SECRET,), environ={"CACHE_SECRET": "x"})
    assert found == ["cache.secret: Input should be a valid string (got ****** from CACHE_SECRET)"]


def test_secret_fields_are_masked_whatever_set_them(base, write):
    write("config/cache.toml", "secret = 12345\n")
    assert problems(base, {"secret": 12345}) == [
        "cache.secret: Input should be a valid string (got ****** from config/cache.toml)"
    ]


def test_a_section_that_is_not_a_table_is_one_problem(base):
    sources = ValueSources(base, (), {})
    result = validate_section(CACHE, "redis", sources)
    assert [str(p) for p in result.problems] == [
        'cache: should be a table of settings (got "redis" from default)'
    ]


def test_long_values_are_shortened(base):
    found = problems(base, {"ttl": "x" * 200})
    assert len(found[0]) < 160
    assert '..." from default)' in found[0]


def test_valid_values_give_an_instance_and_no_problem(base):
    sources = ValueSources(base, (), {})
    result = validate_section(CACHE, {"ttl": "60", "redis": {"port": 1}}, sources)
    assert result.ok
    assert isinstance(result.instance, CacheSettings)
    assert result.instance.ttl == 60
    assert result.instance.redis.port == 1


def test_none_counts_as_an_empty_section(base):
    result = validate_section(CACHE, None, ValueSources(base, (), {}))
    assert result.instance == CacheSettings()


def test_any_pydantic_model_is_accepted_as_a_schema(base):
    class Plain(BaseModel):
        size: int = 1

    schema = SectionSchema("plain", "x:Plain", "test", Plain)
    result = validate_section(schema, {"size": "2"}, ValueSources(base, (), {}))
    assert result.instance == Plain(size=2)


def test_an_unparseable_config_file_is_reported_not_raised(base, write):
    write("config/cache.toml", "ttl = = 5\n")
    sources = ValueSources(base, (), {})
    assert sources.file_data("cache") is None
    [problem] = sources.file_problems()
    assert (problem.key, problem.kind, problem.source) == ("cache", "file", "config/cache.toml")
    assert problem.message.startswith("config/cache.toml is not valid TOML (")
    assert problem.message.endswith("); fix the syntax")
