"""The README's limiters example works as written in ``config/ratelimit.toml``.

A file of ``config/`` holds the keys of the section it is named after:
``config/ratelimit.toml`` is read as ``ratelimit.*``. An example whose table repeats the
section (``[ratelimit.limiters]``) ends up as ``ratelimit.ratelimit.limiters`` and defines
no limiter.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from foundry.domain.config import MappingConfig
from foundry.ratelimit.factory import build_registry
from foundry.ratelimit.rates import Rate
from foundry.ratelimit.settings import RateLimitSettings

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_toml(containing: str) -> dict[str, Any]:
    """The README's ``toml`` block that mentions ``containing``, parsed."""
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(), re.DOTALL)
    (block,) = [b for b in blocks if containing in b]
    return tomllib.loads(block)


def test_the_readme_limiters_example_defines_limiters_from_config_ratelimit_toml() -> None:
    config = MappingConfig({"ratelimit": readme_toml("search")})  # config/ratelimit.toml
    registry = build_registry(RateLimitSettings.from_config(config))
    assert {"search", "export"} <= set(registry.names())
    assert registry.resolve("search").rate == Rate.parse("100/minute")
    export = registry.resolve("export")
    assert (export.rate, export.algorithm, export.cost) == (Rate.parse("20/hour"), "gcra", 1)
