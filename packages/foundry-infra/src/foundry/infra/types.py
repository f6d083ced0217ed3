"""A UUID primary-key field for SQLModel tables.

The portable column types (``UTCDateTime``, ``JSON``) live in :mod:`foundry.domain.sql` and
time-ordered ids in :mod:`foundry.domain.ids`, shared by every package with tables.
"""

from __future__ import annotations

import uuid
from typing import Any

from foundry.domain.ids import uuid7

__all__ = ["uuid_pk"]


def uuid_pk(*, version: int = 7) -> Any:
    """A UUID primary-key field: ``id: uuid.UUID = uuid_pk()``.

    Args:
        version: 7 (time-ordered, the default) or 4 (fully random).
    """
    from sqlmodel import Field

    if version not in (4, 7):
        raise ValueError("uuid_pk(version=...) must be 4 or 7")
    factory = uuid7 if version == 7 else uuid.uuid4
    return Field(default_factory=factory, primary_key=True)
