"""Queries on the ``notifications`` table, always scoped to one notifiable.

Each takes the caller's ``AsyncSession`` (from ``Database.session()`` or a request's
``DbSession``) and an owner, so one user can never read or change another's rows: the
HTTP routes, the ``Notifiable`` mixin and ``notifications:prune`` all go through here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from foundry.domain.clock import utcnow
from foundry.notifications.models import DatabaseNotification

__all__ = [
    "NotifiableKey",
    "count_for",
    "delete_for",
    "find_for",
    "list_for",
    "mark_all_read",
    "notifiable_key",
    "prune_read",
]


@dataclass(frozen=True, slots=True)
class NotifiableKey:
    """Who rows belong to: the notifiable's table (or class) name and its id as text."""

    type: str
    id: str


def notifiable_key(notifiable: Any) -> NotifiableKey:
    """The owner of ``notifiable``'s rows.

    A ``Notifiable`` model says itself (``notifiable_key()``); any other user object (the
    auth package's ``User``) is its table name and ``auth_identifier`` (else ``id``), which
    is what the mixin gives for the same table.
    """
    own = getattr(notifiable, "notifiable_key", None)
    if callable(own):
        key = own()
        if isinstance(key, NotifiableKey):
            return key
    cls = type(notifiable)
    kind = getattr(cls, "__tablename__", None)
    kind = kind if isinstance(kind, str) else cls.__name__
    identifier = getattr(notifiable, "auth_identifier", None)
    if identifier is None:
        identifier = getattr(notifiable, "id", None)
    if identifier is None:
        raise ValueError(
            f"{cls.__qualname__} has no id to own notifications: give it an id, an "
            "auth_identifier, or the Notifiable mixin."
        )
    return NotifiableKey(kind, str(identifier))


_TABLE: Any = DatabaseNotification.__table__  # type: ignore[attr-defined]


async def _core(session: Any, statement: Any) -> Any:
    """Run a Core statement (a count, a bulk update or delete) in the session's
    transaction; works for SQLModel and plain SQLAlchemy sessions alike."""
    connection = await session.connection()
    return await connection.execute(statement)


async def _models(session: Any, statement: Any) -> list[Any]:
    """The rows of an ORM ``select`` (SQLModel's ``exec``, else SQLAlchemy's ``execute``)."""
    run = getattr(session, "exec", None)
    if run is not None:
        return list((await run(statement)).all())
    return list((await session.execute(statement)).scalars().all())


def _owned(owner: NotifiableKey, unread: bool | None = None) -> list[Any]:
    column = _TABLE.c
    conditions: list[Any] = [column.notifiable_type == owner.type, column.notifiable_id == owner.id]
    if unread is True:
        conditions.append(column.read_at.is_(None))
    elif unread is False:
        conditions.append(column.read_at.is_not(None))
    return conditions


async def list_for(
    session: Any,
    owner: NotifiableKey,
    *,
    unread: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[DatabaseNotification]:
    """The owner's notifications, newest first (``unread``: True only unread, False only
    read, None all)."""
    from sqlmodel import select

    column = _TABLE.c
    query = (
        select(DatabaseNotification)
        .where(*_owned(owner, unread))
        .order_by(column.created_at.desc(), column.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return await _models(session, query)


async def count_for(session: Any, owner: NotifiableKey, *, unread: bool | None = None) -> int:
    """How many notifications the owner has (optionally only unread or read)."""
    from sqlalchemy import func, select

    query = select(func.count()).select_from(_TABLE).where(*_owned(owner, unread))
    return int((await _core(session, query)).scalar_one())


def _uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


async def find_for(
    session: Any, owner: NotifiableKey, notification_id: uuid.UUID | str
) -> DatabaseNotification | None:
    """One of the owner's notifications; None when it does not exist *or* is someone
    else's (callers answer both the same way, so ids of others cannot be probed)."""
    key = _uuid(notification_id)
    if key is None:
        return None
    found: DatabaseNotification | None = await session.get(DatabaseNotification, key)
    if found is None or (found.notifiable_type, found.notifiable_id) != (owner.type, owner.id):
        return None
    return found


async def mark_all_read(session: Any, owner: NotifiableKey, at: datetime | None = None) -> int:
    """Mark every unread notification of the owner read; returns how many."""
    from sqlalchemy import update

    statement = update(_TABLE).where(*_owned(owner, unread=True)).values(read_at=at or utcnow())
    result = await _core(session, statement)
    return int(result.rowcount or 0)


async def delete_for(session: Any, owner: NotifiableKey, notification_id: uuid.UUID | str) -> bool:
    """Delete one of the owner's notifications; False when there is none to delete."""
    found = await find_for(session, owner, notification_id)
    if found is None:
        return False
    await session.delete(found)
    return True


async def prune_read(session: Any, before: datetime, *, dry_run: bool = False) -> int:
    """Delete every notification read before ``before``; returns how many (a dry run
    only counts them)."""
    from sqlalchemy import delete, func, select

    conditions = (_TABLE.c.read_at.is_not(None), _TABLE.c.read_at < before)
    if dry_run:
        counted = select(func.count()).select_from(_TABLE).where(*conditions)
        return int((await _core(session, counted)).scalar_one())
    result = await _core(session, delete(_TABLE).where(*conditions))
    return int(result.rowcount or 0)
