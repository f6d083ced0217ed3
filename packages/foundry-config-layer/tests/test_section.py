from __future__ import annotations

import pytest
from config_layer_schemas import CacheSettings, RedisSettings
from pydantic import ValidationError

from foundry.config_layer import Section


def test_sections_are_frozen():
    settings = CacheSettings(ttl=5)
    with pytest.raises(ValidationError, match="frozen"):
        settings.ttl = 10  # type: ignore[misc]
    assert settings.ttl == 5


def test_sections_refuse_unknown_keys():
    with pytest.raises(ValidationError) as caught:
        CacheSettings.model_validate({"tll": 60})
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_nested_sections_validate_from_nested_tables():
    settings = CacheSettings.model_validate({"redis": {"port": "6380"}, "servers": [{}]})
    assert settings.redis == RedisSettings(host="localhost", port=6380)
    assert settings.servers == [RedisSettings()]


def test_nested_sections_refuse_unknown_keys_too():
    with pytest.raises(ValidationError) as caught:
        CacheSettings.model_validate({"redis": {"hots": "x"}})
    assert caught.value.errors()[0]["loc"] == ("redis", "hots")


def test_a_default_the_schema_itself_refuses_is_an_error():
    class Broken(Section):
        ttl: int = "soon"  # type: ignore[assignment]

    with pytest.raises(ValidationError, match="valid integer"):
        Broken()
