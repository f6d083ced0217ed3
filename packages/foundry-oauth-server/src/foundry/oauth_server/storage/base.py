"""What the server needs of its storage, whichever backend holds it.

Two implementations: :class:`~foundry.oauth_server.storage.memory.MemoryStore` (tests,
``OAUTH_STORAGE=memory``) and :class:`~foundry.oauth_server.storage.database.DatabaseStore`
(the ``oauth_*`` tables). Every state change that must happen once (using a code,
rotating a refresh token, approving a device) is a compare-and-set that reports whether
this caller won, so two instances racing on the same credential cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

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

__all__ = ["OAuthStore", "TokenState"]

TokenState = str
"""``"active"``, ``"revoked"``, or ``"unknown"`` (never issued here, or purged)."""


@runtime_checkable
class OAuthStore(Protocol):
    """Clients, codes, tokens and keys."""

    # --- clients --------------------------------------------------------------------------

    async def add_client(self, client: Client) -> None: ...

    async def find_client(self, client_id: str) -> Client | None:
        """The client, revoked or not."""
        ...

    async def clients(self) -> list[Client]: ...

    async def revoke_client(self, client_id: str) -> list[str] | None:
        """Revoke the client and every token it holds; the revoked access-token ids, or
        None when there is no such client."""
        ...

    # --- authorization codes --------------------------------------------------------------

    async def add_code(self, code: AuthorizationCode) -> None: ...

    async def find_code(self, code_hash: str) -> AuthorizationCode | None: ...

    async def use_code(self, code_id: str, at: datetime) -> bool:
        """Mark the code used; False when it was used or revoked already."""
        ...

    # --- families and tokens --------------------------------------------------------------

    async def add_family(self, family: TokenFamily) -> None: ...

    async def revoke_family(self, family_id: str, reason: str) -> list[str]:
        """Revoke the family's access and refresh tokens; the revoked access-token ids."""
        ...

    async def add_access_token(self, token: AccessTokenRecord) -> None: ...

    async def find_access_token(self, token_id: str) -> AccessTokenRecord | None: ...

    async def revoke_access_token(self, token_id: str) -> bool: ...

    async def token_state(self, token_id: str) -> TokenState:
        """Whether an access token or personal access token is active (the bearer check)."""
        ...

    async def add_refresh_token(self, token: RefreshTokenRecord) -> None: ...

    async def find_refresh_token(self, token_hash: str) -> RefreshTokenRecord | None: ...

    async def use_refresh_token(self, token_id: str, at: datetime) -> bool:
        """Mark the refresh token rotated; False when it was rotated or revoked already."""
        ...

    async def revoke_refresh_token(self, token_id: str) -> bool: ...

    # --- device codes ---------------------------------------------------------------------

    async def add_device_code(self, device: DeviceCode) -> None: ...

    async def find_device_code(self, device_code_hash: str) -> DeviceCode | None: ...

    async def find_device_by_user_code(self, user_code_hash: str) -> DeviceCode | None: ...

    async def decide_device_code(
        self, device_id: str, status: str, user_id: str, at: datetime
    ) -> bool:
        """Approve or deny a pending device code; False when it is no longer pending."""
        ...

    async def poll_device_code(self, device_id: str, at: datetime, interval: int) -> None:
        """Record a poll (and the interval the device must keep from now on)."""
        ...

    async def consume_device_code(self, device_id: str) -> bool:
        """Approved -> consumed, once; False when already consumed."""
        ...

    # --- personal access tokens -----------------------------------------------------------

    async def add_personal_token(self, token: PersonalAccessToken) -> None: ...

    async def personal_tokens(self, user_id: str) -> list[PersonalAccessToken]: ...

    async def revoke_personal_token(self, token_id: str) -> bool: ...

    # --- housekeeping and keys ------------------------------------------------------------

    async def purge(self, *, revoked: bool, expired: bool, now: datetime) -> dict[str, int]:
        """Delete revoked and/or expired (or used) rows; counts by table."""
        ...

    async def save_signing_key(self, key: SigningKeyRecord) -> None:
        """Insert or update by ``kid``."""
        ...

    async def signing_keys(self) -> list[SigningKeyRecord]: ...
