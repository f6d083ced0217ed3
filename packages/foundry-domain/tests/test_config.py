from foundry.domain.config import ConfigRepository, MappingConfig, flatten, unflatten


def test_dotted_get_set_has():
    config = MappingConfig({"cache": {"driver": "memory", "stores": {"redis": {"db": 1}}}})
    assert config.get("cache.driver") == "memory"
    assert config.get("cache.stores.redis.db") == 1
    assert config.get("cache.missing", "d") == "d"
    assert config.get("cache.driver.deeper") is None
    assert config.has("cache.stores")
    assert not config.has("nope")
    config.set("cache.stores.redis.db", 2)
    assert config.get("cache.stores") == {"redis": {"db": 2}}


def test_sections_come_back_as_copies():
    config = MappingConfig({"app": {"name": "Foundry"}})
    section = config.get("app")
    section["name"] = "changed"
    assert config.get("app.name") == "Foundry"


def test_setting_a_mapping_merges_into_the_section():
    config = MappingConfig({"mail": {"host": "a", "port": 25}})
    config.set("mail", {"port": 587})
    assert config.all() == {"mail": {"host": "a", "port": 587}}


def test_a_scalar_replaced_by_a_section():
    config = MappingConfig({"a": 1})
    config.set("a.b", 2)
    assert config.get("a") == {"b": 2}


def test_flatten_roundtrip():
    nested = {"a": {"b": 1, "c": {"d": [1, 2]}}, "e": None}
    assert flatten(nested) == {"a.b": 1, "a.c.d": [1, 2], "e": None}
    assert unflatten(flatten(nested)) == nested


def test_satisfies_the_protocol():
    assert isinstance(MappingConfig(), ConfigRepository)
