"""Signing users in and creating accounts from other packages.

Implements two contracts of ``foundry.domain.auth`` for packages that establish who
someone is without this package's password form — ``foundry-oauth``'s social login, a
magic link:

* :class:`SessionGuard` (``StatefulGuard``) signs a user in on the request's session
  exactly as a password login does: a new session id, the ``Login`` event and activity
  row, and the two-factor challenge for users who turned it on;
* :class:`PasswordlessRegistrar` (``UserRegistrar``) creates an account without a
  password anyone knows; its owner signs in the way they signed up, or sets a password
  with "forgot password".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.auth_scaffolding.errors import Unauthenticated
from foundry.auth_scaffolding.events import Registered
from foundry.auth_scaffolding.flows.common import check_email
from foundry.auth_scaffolding.flows.login import begin_two_factor, complete_login
from foundry.auth_scaffolding.request_auth import request_auth
from foundry.auth_scaffolding.tokens import new_token

if TYPE_CHECKING:
    from foundry.auth_scaffolding.models import User
    from foundry.auth_scaffolding.services import AuthServices
    from foundry.domain.auth import Authenticatable

__all__ = ["CHALLENGE_PATH", "PasswordlessRegistrar", "SessionGuard"]

CHALLENGE_PATH = "/auth/two-factor-challenge"


class SessionGuard:
    """Signs users in on the request's session (``foundry.domain.auth.StatefulGuard``)."""

    async def login(
        self,
        request: Any,
        user: Authenticatable,
        *,
        remember: bool = False,
        via: str = "external",
    ) -> str | None:
        """Sign ``user`` in, or hold them at the two-factor challenge (its path is returned).

        Raises:
            Unauthenticated: the account no longer exists.
        """
        auth = await request_auth(request)
        found = await auth.services.users.find(user.auth_identifier, fresh=True)
        if found is None:
            raise Unauthenticated(
                f"The account {user.auth_identifier} no longer exists; it cannot be signed in."
            )
        if found.has_two_factor:
            await begin_two_factor(auth, found, remember=remember)
            return CHALLENGE_PATH
        await complete_login(auth, found, remember=remember, via=via)
        return None


class PasswordlessRegistrar:
    """Creates accounts with no known password (``foundry.domain.auth.UserRegistrar``)."""

    def __init__(self, services: AuthServices) -> None:
        self._services = services

    async def create_user(self, *, name: str, email: str, email_verified: bool) -> User:
        """Insert the account, fire ``Registered`` and log the activity.

        The password hash is the Argon2id hash of 256 random bits that are then forgotten:
        a password login can never match it, and "forgot password" replaces it.

        Raises:
            ValidationError: the e-mail is malformed or taken (``fields["email"]``).
        """
        services = self._services
        address = check_email(email)
        display = " ".join(name.split())[:255] or address.split("@", 1)[0]
        hashed = await services.hasher.hash(new_token())
        user = await services.users.create(
            name=display, email=address, password_hash=hashed, verified=email_verified
        )
        await services.events.fire(Registered(user.auth_identifier, user.email))
        await services.users.record("registered", user.auth_identifier, via="passwordless")
        return user
