"""Who a provider account is here: the linking rules of a social sign-in.

In order:

1. A linked identity is its user (a stale one, whose user was deleted, is dropped).
2. Otherwise a signed-in user gets the identity attached (they asked to link it).
3. Otherwise the account with the provider's e-mail gets it — only when the provider
   verified the address *and* the account's own address is verified (or unknown): an
   unverified address would let anyone who types a victim's e-mail at a lax provider take
   over the victim's account, and an unverified account could have been pre-registered
   by an attacker waiting for the owner to sign in this way.
4. Otherwise a new account is made (``UserRegistrar``), verified when the provider
   verified the address.

Every check runs before anything is written, so a refused sign-in leaves no row behind.
A user has at most one identity per provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from foundry.domain.auth import AUTHENTICATORS_TAG, Authenticatable, UserProvider, UserRegistrar
from foundry.oauth.errors import (
    AccountConflict,
    EmailMissing,
    EmailNotVerified,
    ProviderMisconfigured,
)

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.oauth.identities import IdentityRepository
    from foundry.oauth.models import OAuthIdentity
    from foundry.oauth.user import ProviderToken, SocialUser

__all__ = ["AccountLinker", "LinkOutcome", "locally_verified"]


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """The user a sign-in resolved to.

    Attributes:
        user: the account.
        identity: its identity at the provider (new or refreshed).
        created_user: the account was made by this sign-in.
        linked: the identity row was made by this sign-in.
        already_signed_in: the user was signed in already (a linking flow).
    """

    user: Authenticatable
    identity: OAuthIdentity
    created_user: bool = False
    linked: bool = False
    already_signed_in: bool = False


def locally_verified(user: object) -> bool:
    """Whether the account's own e-mail is verified, as far as the user object tells
    (``is_verified`` or ``email_verified_at``); True when it tells nothing."""
    flag = getattr(user, "is_verified", None)
    if isinstance(flag, bool):
        return flag
    if hasattr(user, "email_verified_at"):
        return getattr(user, "email_verified_at", None) is not None
    return True


class AccountLinker:
    """Applies the linking rules with the app's ``UserProvider`` and ``UserRegistrar``."""

    def __init__(self, app: Application, identities: IdentityRepository) -> None:
        self._app = app
        self.identities = identities

    def users(self) -> UserProvider:
        """The bound ``UserProvider``.

        Raises:
            ProviderMisconfigured: none is bound (install foundry-auth-scaffolding).
        """
        if not self._app.bound(UserProvider):
            raise ProviderMisconfigured(
                "Social login needs a UserProvider to find accounts: install "
                "foundry-auth-scaffolding or bind foundry.domain.auth.UserProvider."
            )
        return self._app.make(UserProvider)

    async def current_user(self, request: Any) -> Authenticatable | None:
        """The signed-in user, as the first ``auth.authenticators`` guard that knows."""
        for guard in self._app.tagged(AUTHENTICATORS_TAG):
            user = await guard.authenticate(request)
            if user is not None:
                return user  # type: ignore[no-any-return]
        return None

    async def resolve(
        self,
        person: SocialUser,
        token: ProviderToken,
        *,
        current: Authenticatable | None,
        label: str | None = None,
    ) -> LinkOutcome:
        """The account ``person`` signs in to (linking or creating it as the rules say).

        Raises:
            AccountConflict: the identity is another account's, or the account already
                has another identity at this provider.
            EmailMissing: no identity, nobody signed in, and no e-mail to go by.
            EmailNotVerified: an account uses the e-mail but ownership is unproven.
            ValidationError: the new account cannot be made (the registrar's error).
        """
        users = self.users()
        label = label or person.provider
        identity = await self.identities.find(person.provider, person.id)
        if identity is not None:
            owner = await users.retrieve_by_id(identity.user_id)
            if owner is None:
                await self.identities.delete(identity.id)  # its user is gone
            else:
                if current is not None and current.auth_identifier != owner.auth_identifier:
                    raise AccountConflict(
                        f"This {label} account is already linked to another account. Sign "
                        f"out and sign in with {label} to use that account.",
                        context={"provider": person.provider},
                    )
                refreshed = await self.identities.refresh(identity.id, person, token)
                return LinkOutcome(
                    owner, refreshed or identity, already_signed_in=current is not None
                )
        if current is not None:
            await self._one_per_provider(current, person, label)
            linked = await self.identities.link(current.auth_identifier, person, token)
            return LinkOutcome(current, linked, linked=True, already_signed_in=True)
        if not person.email:
            raise EmailMissing(
                f"{label} did not share an e-mail address, so no account can be found or "
                f"created. Allow access to your e-mail address at {label} and sign in again.",
                fields={"email": [f"{label} did not share an e-mail address."]},
            )
        existing = await users.retrieve_by_credentials({"email": person.email})
        if existing is not None:
            if not person.email_verified or not locally_verified(existing):
                raise EmailNotVerified(
                    f"An account already uses {person.email}, and "
                    + (
                        f"{label} has not verified that this address is yours"
                        if not person.email_verified
                        else "that account has not verified its address"
                    )
                    + f". Sign in to that account with its password, then link {label} "
                    "from there.",
                    context={"provider": person.provider},
                )
            await self._one_per_provider(existing, person, label)
            linked = await self.identities.link(existing.auth_identifier, person, token)
            return LinkOutcome(existing, linked, linked=True)
        registrar = self._registrar()
        user = await registrar.create_user(
            name=person.display_name, email=person.email, email_verified=person.email_verified
        )
        linked = await self.identities.link(user.auth_identifier, person, token)
        return LinkOutcome(user, linked, created_user=True, linked=True)

    async def _one_per_provider(
        self, user: Authenticatable, person: SocialUser, label: str
    ) -> None:
        others = await self.identities.for_user(user.auth_identifier, person.provider)
        if any(other.provider_user_id != person.id for other in others):
            raise AccountConflict(
                f"This account is already linked to another {label} account; "
                "unlink that one first.",
                context={"provider": person.provider},
            )

    def _registrar(self) -> UserRegistrar:
        if not self._app.bound(UserRegistrar):
            raise ProviderMisconfigured(
                "No account uses this e-mail and none can be created: install "
                "foundry-auth-scaffolding or bind foundry.domain.auth.UserRegistrar."
            )
        return self._app.make(UserRegistrar)
