"""Everything in dictionaries of this process (``OAUTH_STORAGE=memory``: tests, demos).

Nothing survives a restart and other instances see nothing; use the database store for
anything real. Every method runs without awaiting in between, so each compare-and-set is
atomic on the event loop.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import TypeVar

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
from foundry.oauth_server.storage.base import TokenState

__all__ = ["MemoryStore"]

T = TypeVar("T")


def _copy(record: T | None) -> T | None:
    """Hand out copies, as a database would: changing one must not change the store."""
    return copy.copy(record)


class MemoryStore:
    """Implements :class:`~foundry.oauth_server.storage.base.OAuthStore` in memory."""

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        self._families: dict[str, TokenFamily] = {}
        self._access: dict[str, AccessTokenRecord] = {}
        self._refresh: dict[str, RefreshTokenRecord] = {}
        self._devices: dict[str, DeviceCode] = {}
        self._personal: dict[str, PersonalAccessToken] = {}
        self._keys: dict[str, SigningKeyRecord] = {}

    # --- clients --------------------------------------------------------------------------

    async def add_client(self, client: Client) -> None:
        self._clients[client.id] = copy.copy(client)

    async def find_client(self, client_id: str) -> Client | None:
        return _copy(self._clients.get(client_id))

    async def clients(self) -> list[Client]:
        ordered = sorted(self._clients.values(), key=lambda c: (c.created_at, c.id))
        return [copy.copy(c) for c in ordered]

    async def revoke_client(self, client_id: str) -> list[str] | None:
        client = self._clients.get(client_id)
        if client is None:
            return None
        client.revoked = True
        revoked: list[str] = []
        for token in self._access.values():
            if token.client_id == client_id and not token.revoked:
                token.revoked = True
                revoked.append(token.id)
        for refresh in self._refresh.values():
            if refresh.client_id == client_id:
                refresh.revoked = True
        for code in self._codes.values():
            if code.client_id == client_id:
                code.revoked = True
        for personal in self._personal.values():
            if personal.client_id == client_id and not personal.revoked:
                personal.revoked = True
                revoked.append(personal.id)
        return revoked

    # --- authorization codes --------------------------------------------------------------

    async def add_code(self, code: AuthorizationCode) -> None:
        self._codes[code.id] = copy.copy(code)

    async def find_code(self, code_hash: str) -> AuthorizationCode | None:
        for code in self._codes.values():
            if code.code_hash == code_hash:
                return copy.copy(code)
        return None

    async def use_code(self, code_id: str, at: datetime) -> bool:
        code = self._codes.get(code_id)
        if code is None or code.used_at is not None or code.revoked:
            return False
        code.used_at = at
        return True

    # --- families and tokens --------------------------------------------------------------

    async def add_family(self, family: TokenFamily) -> None:
        self._families[family.id] = copy.copy(family)

    async def revoke_family(self, family_id: str, reason: str) -> list[str]:
        family = self._families.get(family_id)
        if family is not None and not family.revoked:
            family.revoked, family.revoked_reason = True, reason
        revoked: list[str] = []
        for token in self._access.values():
            if token.family_id == family_id and not token.revoked:
                token.revoked = True
                revoked.append(token.id)
        for refresh in self._refresh.values():
            if refresh.family_id == family_id:
                refresh.revoked = True
        return revoked

    async def add_access_token(self, token: AccessTokenRecord) -> None:
        self._access[token.id] = copy.copy(token)

    async def find_access_token(self, token_id: str) -> AccessTokenRecord | None:
        return _copy(self._access.get(token_id))

    async def revoke_access_token(self, token_id: str) -> bool:
        token = self._access.get(token_id)
        if token is None or token.revoked:
            return False
        token.revoked = True
        return True

    async def token_state(self, token_id: str) -> TokenState:
        found: AccessTokenRecord | PersonalAccessToken | None = self._access.get(token_id)
        if found is None:
            found = self._personal.get(token_id)
        if found is None:
            return "unknown"
        return "revoked" if found.revoked else "active"

    async def add_refresh_token(self, token: RefreshTokenRecord) -> None:
        self._refresh[token.id] = copy.copy(token)

    async def find_refresh_token(self, token_hash: str) -> RefreshTokenRecord | None:
        for token in self._refresh.values():
            if token.token_hash == token_hash:
                return copy.copy(token)
        return None

    async def use_refresh_token(self, token_id: str, at: datetime) -> bool:
        token = self._refresh.get(token_id)
        if token is None or token.used_at is not None or token.revoked:
            return False
        token.used_at = at
        return True

    async def revoke_refresh_token(self, token_id: str) -> bool:
        token = self._refresh.get(token_id)
        if token is None or token.revoked:
            return False
        token.revoked = True
        return True

    # --- device codes ---------------------------------------------------------------------

    async def add_device_code(self, device: DeviceCode) -> None:
        self._devices[device.id] = copy.copy(device)

    async def find_device_code(self, device_code_hash: str) -> DeviceCode | None:
        for device in self._devices.values():
            if device.device_code_hash == device_code_hash:
                return copy.copy(device)
        return None

    async def find_device_by_user_code(self, user_code_hash: str) -> DeviceCode | None:
        for device in self._devices.values():
            if device.user_code_hash == user_code_hash:
                return copy.copy(device)
        return None

    async def decide_device_code(
        self, device_id: str, status: str, user_id: str, at: datetime
    ) -> bool:
        device = self._devices.get(device_id)
        if device is None or device.status != "pending":
            return False
        device.status, device.user_id, device.auth_time = status, user_id, at
        return True

    async def poll_device_code(self, device_id: str, at: datetime, interval: int) -> None:
        device = self._devices.get(device_id)
        if device is not None:
            device.last_polled_at, device.interval = at, interval

    async def consume_device_code(self, device_id: str) -> bool:
        device = self._devices.get(device_id)
        if device is None or device.status != "approved":
            return False
        device.status = "consumed"
        return True

    # --- personal access tokens -----------------------------------------------------------

    async def add_personal_token(self, token: PersonalAccessToken) -> None:
        self._personal[token.id] = copy.copy(token)

    async def personal_tokens(self, user_id: str) -> list[PersonalAccessToken]:
        found = [t for t in self._personal.values() if t.user_id == user_id]
        return [copy.copy(t) for t in sorted(found, key=lambda t: (t.created_at, t.id))]

    async def revoke_personal_token(self, token_id: str) -> bool:
        token = self._personal.get(token_id)
        if token is None or token.revoked:
            return False
        token.revoked = True
        return True

    # --- housekeeping and keys ------------------------------------------------------------

    async def purge(self, *, revoked: bool, expired: bool, now: datetime) -> dict[str, int]:
        def gone(is_revoked: bool, expires_at: datetime | None) -> bool:
            if revoked and is_revoked:
                return True
            return expired and expires_at is not None and expires_at <= now

        counts: dict[str, int] = {}

        def sweep(name: str, table: dict[str, T], doomed: list[str]) -> None:
            for key in doomed:
                del table[key]
            counts[name] = len(doomed)

        sweep(
            "oauth_authorization_codes",
            self._codes,
            [k for k, c in self._codes.items() if gone(c.revoked, c.expires_at)],
        )
        sweep(
            "oauth_refresh_tokens",
            self._refresh,
            [k for k, t in self._refresh.items() if gone(t.revoked, t.expires_at)],
        )
        sweep(
            "oauth_access_tokens",
            self._access,
            [k for k, t in self._access.items() if gone(t.revoked, t.expires_at)],
        )
        sweep(
            "oauth_personal_access_tokens",
            self._personal,
            [k for k, t in self._personal.items() if gone(t.revoked, t.expires_at)],
        )
        sweep(
            "oauth_device_codes",
            self._devices,
            [k for k, d in self._devices.items() if gone(False, d.expires_at)],
        )
        in_use = {t.family_id for t in self._refresh.values()}
        in_use |= {t.family_id for t in self._access.values() if t.family_id}
        in_use |= {c.family_id for c in self._codes.values()}
        sweep(
            "oauth_token_families",
            self._families,
            [
                k
                for k, f in self._families.items()
                if (revoked and f.revoked) or (expired and k not in in_use)
            ],
        )
        return counts

    async def save_signing_key(self, key: SigningKeyRecord) -> None:
        self._keys[key.kid] = copy.copy(key)

    async def signing_keys(self) -> list[SigningKeyRecord]:
        return [copy.copy(k) for k in sorted(self._keys.values(), key=lambda k: k.created_at)]
