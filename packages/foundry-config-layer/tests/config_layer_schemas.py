"""Schemas the tests declare through providers (imported by reference)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator

from foundry.config_layer import Section


class RedisSettings(Section):
    host: str = "localhost"
    port: int = 6379


class CacheSettings(Section):
    driver: Literal["memory", "redis", "file"] = "memory"
    prefix: str = "foundry"
    ttl: int = 3600
    redis: RedisSettings = Field(default_factory=RedisSettings)
    servers: list[RedisSettings] = Field(default_factory=list)
    secret: SecretStr | None = None
    port: int | None = None

    @field_validator("ttl")
    @classmethod
    def ttl_is_not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be 0 or more seconds")
        return value


class MailSettings(Section):
    mailer: str = "log"
    from_address: str


class NotASchema:
    """A class that is not a pydantic model."""
