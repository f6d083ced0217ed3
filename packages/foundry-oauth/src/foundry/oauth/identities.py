"""Reading and writing ``oauth_identities``, with the provider tokens encrypted.

Tokens are encrypted here, on the way in, and decrypted only when asked for
(:meth:`IdentityRepository.tokens`): an app that calls the provider's API on the user's
behalf — list their repositories, read their calendar — gets them back from here.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from foundry.domain.clock import Clock, SystemClock
from foundry.oauth.crypto import SealError, TokenCipher
from foundry.oauth.errors import AccountConflict
from foundry.oauth.models import OAuthIdentity
from foundry.oauth.user import ProviderToken, SocialUser

if TYPE_CHECKING:
    from foundry.domain.database import Database

__all__ = ["IdentityRepository"]


class IdentityRepository:
    """The identities of every provider and user."""

    def __init__(self, database: Database, cipher: TokenCipher, clock: Clock | None = None) -> None:
        self.database = database
        self._cipher = cipher
        self._clock = clock or SystemClock()

    async def find(self, provider: str, provider_user_id: str) -> OAuthIdentity | None:
        """The identity of this provider account, if one is linked."""
        from sqlmodel import select

        statement = select(OAuthIdentity).where(
            OAuthIdentity.provider == provider,
            OAuthIdentity.provider_user_id == provider_user_id,
        )
        async with self.database.session() as db:
            found: OAuthIdentity | None = (await db.exec(statement)).first()
        return found

    async def for_user(self, user_id: str, provider: str | None = None) -> list[OAuthIdentity]:
        """A user's identities (at one provider, when given), oldest first."""
        from sqlmodel import col, select

        statement = select(OAuthIdentity).where(OAuthIdentity.user_id == user_id)
        if provider is not None:
            statement = statement.where(OAuthIdentity.provider == provider)
        async with self.database.session() as db:
            rows = await db.exec(statement.order_by(col(OAuthIdentity.created_at)))
            return list(rows.all())

    async def link(self, user_id: str, person: SocialUser, token: ProviderToken) -> OAuthIdentity:
        """Record that ``person`` at their provider is ``user_id``.

        Raises:
            AccountConflict: the provider account was linked meanwhile (a concurrent
                sign-in); nothing is written.
        """
        from sqlalchemy.exc import IntegrityError

        now = self._clock.now()
        identity = OAuthIdentity(
            provider=person.provider,
            provider_user_id=person.id,
            user_id=user_id,
            created_at=now,
            updated_at=now,
            access_token="",
        )
        self._apply(identity, person, token)
        try:
            async with self.database.session() as db:
                db.add(identity)
        except IntegrityError:
            raise AccountConflict(
                f"This {person.provider} account was linked by another sign-in at the same "
                "moment; sign in again.",
                context={"provider": person.provider},
            ) from None
        return identity

    async def refresh(
        self, identity_id: uuid.UUID, person: SocialUser, token: ProviderToken
    ) -> OAuthIdentity | None:
        """Store the profile and tokens of a new sign-in with a linked identity."""
        async with self.database.session() as db:
            identity: OAuthIdentity | None = await db.get(OAuthIdentity, identity_id)
            if identity is None:
                return None
            self._apply(identity, person, token)
            identity.updated_at = self._clock.now()
            db.add(identity)
        return identity

    async def delete(self, identity_id: uuid.UUID) -> bool:
        """Unlink an identity; False when it was already gone."""
        async with self.database.session() as db:
            identity = await db.get(OAuthIdentity, identity_id)
            if identity is None:
                return False
            await db.delete(identity)
        return True

    def tokens(self, identity: OAuthIdentity) -> ProviderToken | None:
        """The identity's tokens in clear, or None when they were encrypted under another
        ``APP_KEY`` (the next sign-in stores new ones).

        Raises:
            SealError: a ciphertext was altered or copied from another row.
        """
        context = (identity.provider, identity.provider_user_id)
        try:
            access = self._cipher.decrypt(identity.access_token, *context, "access_token")
            refresh = (
                self._cipher.decrypt(identity.refresh_token, *context, "refresh_token")
                if identity.refresh_token
                else None
            )
        except SealError as exc:
            if exc.wrong_key:
                return None
            raise
        return ProviderToken(access, refresh, identity.expires_at)

    def _apply(self, identity: OAuthIdentity, person: SocialUser, token: ProviderToken) -> None:
        context = (person.provider, person.id)
        identity.email = (person.email or None) and person.email[:255]
        identity.name = (person.display_name or None) and person.display_name[:255]
        identity.avatar = person.avatar
        identity.access_token = self._cipher.encrypt(token.access_token, *context, "access_token")
        if token.refresh_token:
            identity.refresh_token = self._cipher.encrypt(
                token.refresh_token, *context, "refresh_token"
            )
        # else: keep the stored one (Google, for one, sends it only on first consent)
        identity.expires_at = token.expires_at
