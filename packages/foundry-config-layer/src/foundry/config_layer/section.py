"""The base class of typed configuration sections.

A provider names a schema per config section (``config_sections = {"cache":
"foundry.cache.settings:CacheSettings"}``); at boot the section's values are validated
against it and the instance is bound in the container, so code asks for typed settings
(``app.make(CacheSettings).ttl``) instead of digging through ``config.get("cache.ttl")``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Section"]


class Section(BaseModel):
    """A configuration section: frozen, and strict about unknown keys.

    Frozen, because the instance bound at boot is shared by every consumer: a service
    that changed it would change it for all of them. Unknown keys are errors, because a
    misspelt key (``tll = 60``) would otherwise be dropped silently and the default used.
    Defaults are validated too, so a schema cannot ship a default its own type refuses.

    A field whose type is itself a ``Section`` is a nested table
    (``[redis]`` inside ``config/cache.toml``)::

        class RedisSettings(Section):
            host: str = "localhost"
            port: int = 6379

        class CacheSettings(Section):
            driver: Literal["memory", "redis", "file"] = "memory"
            ttl: int = 3600
            redis: RedisSettings = RedisSettings()

    Any pydantic ``BaseModel`` is accepted as a schema; ``Section`` is the one with the
    strict defaults. A package that may depend only on ``foundry-domain`` (and pydantic)
    gets the same behaviour from ``model_config = ConfigDict(frozen=True, extra="forbid")``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)
