"""Users in the ``users`` table: lookups, changes, and the ``UserProvider`` contract.

E-mail addresses are stored and compared lower-cased. A short-lived per-process cache of
users by id keeps the guards cheap: a cached user is one detached object shared by the
requests of the next couple of seconds, so change users through
:meth:`UserRepository.update` (which drops them from the cache), never by assigning to
the object a guard returned.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from foundry.auth_scaffolding.models import ActivityLog, User
from foundry.domain.clock import Clock, SystemClock
from foundry.domain.errors import ValidationError

if TYPE_CHECKING:
    from foundry.domain.auth import Authenticatable
    from foundry.domain.database import Database
    from foundry.domain.hashing import PasswordHasher

__all__ = ["DatabaseUserProvider", "UserRepository", "normalise_email", "valid_email"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(value: str) -> str:
    return value.strip().lower()


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value)) and len(value) <= 255


class UserRepository:
    """Reads and writes users, and appends to ``user_activity_log``."""

    def __init__(
        self, database: Database, clock: Clock | None = None, cache_ttl: float = 2.0
    ) -> None:
        self.database = database
        self._clock = clock or SystemClock()
        self._ttl = cache_ttl
        self._cache: dict[str, tuple[float, User]] = {}

    def forget(self, user_id: str | uuid.UUID) -> None:
        """Drop a user from the cache (after a change)."""
        self._cache.pop(str(user_id), None)

    async def find(self, user_id: str | uuid.UUID, *, fresh: bool = False) -> User | None:
        """The user with this id (served from the cache for a couple of seconds)."""
        key = str(user_id)
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and not fresh and cached[0] > now:
            return cached[1]
        try:
            ident = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(key)
        except ValueError:
            return None
        async with self.database.session() as db:
            user: User | None = await db.get(User, ident)
        if user is None:
            self._cache.pop(key, None)
            return None
        if self._ttl > 0:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now + self._ttl, _detached(user))
        return user

    async def find_by_email(self, email: str) -> User | None:
        from sqlmodel import select

        async with self.database.session() as db:
            statement = select(User).where(User.email == normalise_email(email))
            found: User | None = (await db.exec(statement)).first()
            return found

    async def all(self) -> list[User]:
        from sqlmodel import col, select

        async with self.database.session() as db:
            return list((await db.exec(select(User).order_by(col(User.created_at)))).all())

    async def create(
        self, *, name: str, email: str, password_hash: str, verified: bool = False
    ) -> User:
        """Insert a user.

        Raises:
            ValidationError: the e-mail is taken (``fields["email"]``).
        """
        from sqlalchemy.exc import IntegrityError

        now = self._clock.now()
        user = User(
            name=name.strip(),
            email=normalise_email(email),
            password_hash=password_hash,
            email_verified_at=now if verified else None,
            remember_token=_epoch(),
            created_at=now,
            updated_at=now,
        )
        if await self.find_by_email(user.email) is not None:
            raise _taken()
        try:
            async with self.database.session() as db:
                db.add(user)
        except IntegrityError:
            raise _taken() from None
        return user

    async def update(self, user_id: str | uuid.UUID, **changes: Any) -> User | None:
        """Apply ``changes`` to the user and stamp ``updated_at``; returns the new state."""
        ident = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
        async with self.database.session() as db:
            user: User | None = await db.get(User, ident)
            if user is None:
                return None
            for key, value in changes.items():
                setattr(user, key, value)
            user.updated_at = self._clock.now()
            db.add(user)
        self.forget(ident)
        return user

    async def rotate_epoch(self, user_id: str | uuid.UUID) -> str:
        """A new session generation: every session recorded under the old one ends."""
        epoch = _epoch()
        await self.update(user_id, remember_token=epoch)
        return epoch

    async def claim_totp_step(self, user_id: str | uuid.UUID, step: int) -> bool:
        """Record ``step`` as used, atomically; False when it (or a later one) was used."""
        from sqlalchemy import or_, update
        from sqlmodel import col

        ident = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
        statement: Any = (
            update(User)
            .where(col(User.id) == ident)
            .where(
                or_(
                    col(User.two_factor_last_step).is_(None),
                    col(User.two_factor_last_step) < step,
                )
            )
            .values(two_factor_last_step=step)
        )
        async with self.database.session() as db:
            result = await db.exec(statement)
        self.forget(ident)
        return bool(result.rowcount)

    async def record(
        self,
        activity: str,
        user_id: str | uuid.UUID | None,
        *,
        ip_address: str | None = None,
        user_agent: str | None = None,
        **details: Any,
    ) -> None:
        """Append one row to ``user_activity_log`` (never a secret in ``details``)."""
        ident = None
        if user_id is not None:
            ident = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
        row = ActivityLog(
            user_id=ident,
            activity_type=activity,
            ip_address=ip_address,
            user_agent=(user_agent or None) and user_agent[:1000],
            details=details,
            created_at=self._clock.now(),
        )
        async with self.database.session() as db:
            db.add(row)

    async def activity(self, user_id: str | uuid.UUID, limit: int = 20) -> list[ActivityLog]:
        from sqlmodel import col, select

        ident = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
        statement = (
            select(ActivityLog)
            .where(ActivityLog.user_id == ident)
            .order_by(col(ActivityLog.created_at).desc())
            .limit(limit)
        )
        async with self.database.session() as db:
            return list((await db.exec(statement)).all())

    def now(self) -> datetime:
        return self._clock.now()


class DatabaseUserProvider:
    """Implements :class:`foundry.domain.auth.UserProvider` over :class:`UserRepository`.

    ``validate_credentials`` verifies with Argon2id off the event loop.
    """

    def __init__(self, users: UserRepository, hasher: PasswordHasher) -> None:
        self._users = users
        self._hasher = hasher

    async def retrieve_by_id(self, identifier: str) -> Authenticatable | None:
        return await self._users.find(identifier)

    async def retrieve_by_credentials(
        self, credentials: Mapping[str, Any]
    ) -> Authenticatable | None:
        email = credentials.get("email")
        return await self._users.find_by_email(str(email)) if email else None

    async def validate_credentials(
        self, user: Authenticatable, credentials: Mapping[str, Any]
    ) -> bool:
        hashed = getattr(user, "password_hash", None)
        password = credentials.get("password")
        if not hashed or not isinstance(password, str):
            return False
        return await self._hasher.verify(str(hashed), password)


def _detached(user: User) -> User:
    """A copy bound to no database session (safe to hand to several requests)."""
    return User.model_validate(user.model_dump())


def _epoch() -> str:
    from foundry.auth_scaffolding.tokens import new_token

    return new_token(24)


def _taken() -> ValidationError:
    return ValidationError(
        "The email has already been taken.",
        fields={"email": ["The email has already been taken."]},
    )
