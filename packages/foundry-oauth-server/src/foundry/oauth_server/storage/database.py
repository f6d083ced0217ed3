"""The ``oauth_*`` tables through the application's ``Database`` (``OAUTH_STORAGE=database``).

Every instance sharing the database sees the same clients and tokens, and they survive
restarts. Single-use transitions are conditional ``UPDATE``s whose row count says who
won, so they are atomic on SQLite, PostgreSQL and MySQL/MariaDB alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from foundry.domain.database import Database
from foundry.oauth_server.models import (
    AccessTokenRecord,
    AuthorizationCode,
    Client,
    DeviceCode,
    PersonalAccessToken,
    RefreshTokenRecord,
    SigningKeyRecord,
    TokenFamily,
)
from foundry.oauth_server.storage import tables as t
from foundry.oauth_server.storage.base import TokenState

__all__ = ["DatabaseStore"]

_UUID_COLUMNS = frozenset(
    {"id", "client_id", "family_id", "access_token_id"}
)  # text ids in records, UUIDs in the tables


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


def _row(record: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in record.__slots__:
        value = getattr(record, name)
        if name in _UUID_COLUMNS and isinstance(value, str):
            value = uuid.UUID(value)
        values[name] = value
    return values


def _record(cls: type[Any], row: Mapping[str, Any]) -> Any:
    values = {}
    for name in cls.__slots__:
        value = row[name]
        if name in _UUID_COLUMNS and isinstance(value, uuid.UUID):
            value = str(value)
        values[name] = value
    return cls(**values)


class DatabaseStore:
    """Implements :class:`~foundry.oauth_server.storage.base.OAuthStore` on SQL."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def _one(self, statement: Any) -> Mapping[str, Any] | None:
        async with self.database.engine.connect() as connection:
            row: Mapping[str, Any] | None = (await connection.execute(statement)).mappings().first()
        return row

    async def _all(self, statement: Any) -> list[Mapping[str, Any]]:
        async with self.database.engine.connect() as connection:
            return list((await connection.execute(statement)).mappings().all())

    async def _write(self, *statements: Any) -> list[int]:
        """Run statements in one transaction; their row counts."""
        async with self.database.engine.begin() as connection:
            return [(await connection.execute(s)).rowcount for s in statements]

    # --- clients --------------------------------------------------------------------------

    async def add_client(self, client: Client) -> None:
        values = _row(client)
        values["updated_at"] = client.created_at
        await self._write(sa.insert(t.clients).values(**values))

    async def find_client(self, client_id: str) -> Client | None:
        ident = _uuid(client_id)
        if ident is None:
            return None
        row = await self._one(sa.select(t.clients).where(t.clients.c.id == ident))
        return _record(Client, row) if row else None

    async def clients(self) -> list[Client]:
        rows = await self._all(
            sa.select(t.clients).order_by(t.clients.c.created_at, t.clients.c.id)
        )
        return [_record(Client, row) for row in rows]

    async def revoke_client(self, client_id: str) -> list[str] | None:
        ident = _uuid(client_id)
        if ident is None:
            return None
        async with self.database.engine.begin() as connection:
            done = await connection.execute(
                sa.update(t.clients).where(t.clients.c.id == ident).values(revoked=True)
            )
            if done.rowcount == 0:
                return None
            revoked = [
                str(r)
                for r in (
                    await connection.execute(
                        sa.select(t.access_tokens.c.id).where(
                            t.access_tokens.c.client_id == ident,
                            t.access_tokens.c.revoked.is_(False),
                        )
                    )
                ).scalars()
            ]
            revoked += [
                str(r)
                for r in (
                    await connection.execute(
                        sa.select(t.personal_tokens.c.id).where(
                            t.personal_tokens.c.client_id == ident,
                            t.personal_tokens.c.revoked.is_(False),
                        )
                    )
                ).scalars()
            ]
            for table in (
                t.access_tokens,
                t.refresh_tokens,
                t.authorization_codes,
                t.personal_tokens,
            ):
                await connection.execute(
                    sa.update(table).where(table.c.client_id == ident).values(revoked=True)
                )
        return revoked

    # --- authorization codes --------------------------------------------------------------

    async def add_code(self, code: AuthorizationCode) -> None:
        await self._write(sa.insert(t.authorization_codes).values(**_row(code)))

    async def find_code(self, code_hash: str) -> AuthorizationCode | None:
        table = t.authorization_codes
        row = await self._one(sa.select(table).where(table.c.code_hash == code_hash))
        return _record(AuthorizationCode, row) if row else None

    async def use_code(self, code_id: str, at: datetime) -> bool:
        table = t.authorization_codes
        (count,) = await self._write(
            sa.update(table)
            .where(
                table.c.id == uuid.UUID(code_id),
                table.c.used_at.is_(None),
                table.c.revoked.is_(False),
            )
            .values(used_at=at)
        )
        return count == 1

    # --- families and tokens --------------------------------------------------------------

    async def add_family(self, family: TokenFamily) -> None:
        await self._write(sa.insert(t.families).values(**_row(family)))

    async def revoke_family(self, family_id: str, reason: str) -> list[str]:
        ident = uuid.UUID(family_id)
        access = t.access_tokens
        async with self.database.engine.begin() as connection:
            revoked = [
                str(r)
                for r in (
                    await connection.execute(
                        sa.select(access.c.id).where(
                            access.c.family_id == ident, access.c.revoked.is_(False)
                        )
                    )
                ).scalars()
            ]
            await connection.execute(
                sa.update(t.families)
                .where(t.families.c.id == ident, t.families.c.revoked.is_(False))
                .values(revoked=True, revoked_reason=reason[:255])
            )
            await connection.execute(
                sa.update(access).where(access.c.family_id == ident).values(revoked=True)
            )
            await connection.execute(
                sa.update(t.refresh_tokens)
                .where(t.refresh_tokens.c.family_id == ident)
                .values(revoked=True)
            )
        return revoked

    async def add_access_token(self, token: AccessTokenRecord) -> None:
        await self._write(sa.insert(t.access_tokens).values(**_row(token)))

    async def find_access_token(self, token_id: str) -> AccessTokenRecord | None:
        ident = _uuid(token_id)
        if ident is None:
            return None
        row = await self._one(sa.select(t.access_tokens).where(t.access_tokens.c.id == ident))
        return _record(AccessTokenRecord, row) if row else None

    async def revoke_access_token(self, token_id: str) -> bool:
        ident = _uuid(token_id)
        if ident is None:
            return False
        table = t.access_tokens
        (count,) = await self._write(
            sa.update(table)
            .where(table.c.id == ident, table.c.revoked.is_(False))
            .values(revoked=True)
        )
        return count == 1

    async def token_state(self, token_id: str) -> TokenState:
        ident = _uuid(token_id)
        if ident is None:
            return "unknown"
        statement = sa.union_all(
            sa.select(t.access_tokens.c.revoked).where(t.access_tokens.c.id == ident),
            sa.select(t.personal_tokens.c.revoked).where(t.personal_tokens.c.id == ident),
        )
        async with self.database.engine.connect() as connection:
            found = (await connection.execute(statement)).first()
        if found is None:
            return "unknown"
        return "revoked" if found[0] else "active"

    async def add_refresh_token(self, token: RefreshTokenRecord) -> None:
        await self._write(sa.insert(t.refresh_tokens).values(**_row(token)))

    async def find_refresh_token(self, token_hash: str) -> RefreshTokenRecord | None:
        table = t.refresh_tokens
        row = await self._one(sa.select(table).where(table.c.token_hash == token_hash))
        return _record(RefreshTokenRecord, row) if row else None

    async def use_refresh_token(self, token_id: str, at: datetime) -> bool:
        table = t.refresh_tokens
        (count,) = await self._write(
            sa.update(table)
            .where(
                table.c.id == uuid.UUID(token_id),
                table.c.used_at.is_(None),
                table.c.revoked.is_(False),
            )
            .values(used_at=at)
        )
        return count == 1

    async def revoke_refresh_token(self, token_id: str) -> bool:
        table = t.refresh_tokens
        (count,) = await self._write(
            sa.update(table)
            .where(table.c.id == uuid.UUID(token_id), table.c.revoked.is_(False))
            .values(revoked=True)
        )
        return count == 1

    # --- device codes ---------------------------------------------------------------------

    async def add_device_code(self, device: DeviceCode) -> None:
        await self._write(sa.insert(t.device_codes).values(**_row(device)))

    async def find_device_code(self, device_code_hash: str) -> DeviceCode | None:
        table = t.device_codes
        row = await self._one(sa.select(table).where(table.c.device_code_hash == device_code_hash))
        return _record(DeviceCode, row) if row else None

    async def find_device_by_user_code(self, user_code_hash: str) -> DeviceCode | None:
        table = t.device_codes
        row = await self._one(sa.select(table).where(table.c.user_code_hash == user_code_hash))
        return _record(DeviceCode, row) if row else None

    async def decide_device_code(
        self, device_id: str, status: str, user_id: str, at: datetime
    ) -> bool:
        table = t.device_codes
        (count,) = await self._write(
            sa.update(table)
            .where(table.c.id == uuid.UUID(device_id), table.c.status == "pending")
            .values(status=status, user_id=user_id, auth_time=at)
        )
        return count == 1

    async def poll_device_code(self, device_id: str, at: datetime, interval: int) -> None:
        table = t.device_codes
        await self._write(
            sa.update(table)
            .where(table.c.id == uuid.UUID(device_id))
            .values(last_polled_at=at, interval=interval)
        )

    async def consume_device_code(self, device_id: str) -> bool:
        table = t.device_codes
        (count,) = await self._write(
            sa.update(table)
            .where(table.c.id == uuid.UUID(device_id), table.c.status == "approved")
            .values(status="consumed")
        )
        return count == 1

    # --- personal access tokens -----------------------------------------------------------

    async def add_personal_token(self, token: PersonalAccessToken) -> None:
        await self._write(sa.insert(t.personal_tokens).values(**_row(token)))

    async def personal_tokens(self, user_id: str) -> list[PersonalAccessToken]:
        table = t.personal_tokens
        rows = await self._all(
            sa.select(table)
            .where(table.c.user_id == user_id)
            .order_by(table.c.created_at, table.c.id)
        )
        return [_record(PersonalAccessToken, row) for row in rows]

    async def revoke_personal_token(self, token_id: str) -> bool:
        ident = _uuid(token_id)
        if ident is None:
            return False
        table = t.personal_tokens
        (count,) = await self._write(
            sa.update(table)
            .where(table.c.id == ident, table.c.revoked.is_(False))
            .values(revoked=True)
        )
        return count == 1

    # --- housekeeping and keys ------------------------------------------------------------

    async def purge(self, *, revoked: bool, expired: bool, now: datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        dated = (
            t.authorization_codes,
            t.refresh_tokens,
            t.access_tokens,
            t.personal_tokens,
            t.device_codes,
        )
        async with self.database.engine.begin() as connection:
            for table in dated:
                conditions: list[Any] = []
                if revoked and "revoked" in table.c:
                    conditions.append(table.c.revoked.is_(True))
                if expired:
                    conditions.append(table.c.expires_at <= now)
                if not conditions:
                    counts[table.name] = 0
                    continue
                done = await connection.execute(sa.delete(table).where(sa.or_(*conditions)))
                counts[table.name] = done.rowcount
            family = t.families
            conditions = []
            if revoked:
                conditions.append(family.c.revoked.is_(True))
            if expired:
                conditions.append(
                    sa.and_(
                        ~family.c.id.in_(sa.select(t.refresh_tokens.c.family_id)),
                        ~family.c.id.in_(
                            sa.select(t.access_tokens.c.family_id).where(
                                t.access_tokens.c.family_id.is_not(None)
                            )
                        ),
                        ~family.c.id.in_(sa.select(t.authorization_codes.c.family_id)),
                    )
                )
            count = 0
            if conditions:
                count = (
                    await connection.execute(sa.delete(family).where(sa.or_(*conditions)))
                ).rowcount
            counts[family.name] = count
        return counts

    async def save_signing_key(self, key: SigningKeyRecord) -> None:
        table = t.signing_keys
        async with self.database.engine.begin() as connection:
            done = await connection.execute(
                sa.update(table)
                .where(table.c.kid == key.kid)
                .values(retired_at=key.retired_at, verify_until=key.verify_until)
            )
            if done.rowcount == 0:
                await connection.execute(sa.insert(table).values(**_row(key)))

    async def signing_keys(self) -> list[SigningKeyRecord]:
        rows = await self._all(sa.select(t.signing_keys).order_by(t.signing_keys.c.created_at))
        return [_record(SigningKeyRecord, row) for row in rows]
