"""The README's configuration example works as written in ``config/cache.toml``.

A file of ``config/`` holds the keys of the section it is named after: ``config/cache.toml``
is read as ``cache.*``. An example whose tables repeat the section (``[cache.stores.x]``)
ends up as ``cache.cache.stores.x`` and configures nothing.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from foundry.cache import RedisStore
from foundry.cache.manager import CacheManager
from foundry.domain.config import MappingConfig

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_toml(containing: str) -> dict[str, Any]:
    """The README's ``toml`` block that mentions ``containing``, parsed."""
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(), re.DOTALL)
    (block,) = [b for b in blocks if containing in b]
    return tomllib.loads(block)


def test_the_readme_stores_example_configures_stores_from_config_cache_toml(
    tmp_path: Path,
) -> None:
    config = MappingConfig({"cache": readme_toml("sessions")})  # config/cache.toml
    manager = CacheManager(config, base_path=tmp_path)
    assert manager.names()[:2] == ["sessions", "failover"]
    sessions = manager.raw("sessions")
    assert isinstance(sessions, RedisStore)
    assert (sessions.prefix, sessions.address) == ("sessions_", "redis://10.0.0.5:6379/2")
    assert config.get("cache.stores.failover.stores") == ["redis", "database"]
