"""What a queue can store in a job's payload, checked the way a real queue checks it.

foundry-queue stores payloads as JSON with a few tagged types; anything else (a model
instance, a connection, a function) is refused at dispatch with the field's path, because a
worker could not rebuild it. The fake refuses the same values, so a test catches the
mistake before a worker would.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from foundry.domain.errors import FoundryError
from foundry.testing.expectations import describe

__all__ = ["check_payload"]

_CARRIED: tuple[type[Any], ...] = (
    str,
    int,
    float,
    bool,
    type(None),
    datetime,
    date,
    time,
    timedelta,
    uuid.UUID,
    Decimal,
    bytes,
    enum.Enum,
)


def check_payload(value: Any, path: str) -> None:
    """Refuse what a queue cannot store: the values foundry-queue carries, and no others."""
    if isinstance(value, _CARRIED):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FoundryError(f"{path} has the key {key!r}; payload keys must be strings.")
            check_payload(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            check_payload(item, f"{path}[{index}]")
        return
    raise FoundryError(
        f"{path} is {describe(value, 80)} ({type(value).__name__}), which a queue cannot "
        "store: pass an id and load the object in handle()."
    )
