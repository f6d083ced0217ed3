"""Argon2id password hashing (argon2-cffi) off the event loop.

OWASP's parameters are the floor (19 MiB, two passes, one lane). ``needs_rehash`` reports
hashes made with other parameters, so a login can upgrade the stored hash once the
settings change. Verifying an unknown e-mail's password against :meth:`dummy_verify`
costs the same as a real verification, which keeps login timing from telling whether an
account exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.auth_scaffolding.settings import HashingSettings

if TYPE_CHECKING:
    from argon2 import PasswordHasher as Argon2

__all__ = ["Argon2Hasher"]


class Argon2Hasher:
    """Implements :class:`foundry.domain.hashing.PasswordHasher` with Argon2id.

    Args:
        settings: the Argon2id parameters (OWASP's minimum by default).
    """

    def __init__(self, settings: HashingSettings | None = None) -> None:
        from argon2 import PasswordHasher as Argon2
        from argon2 import Type

        self.settings = settings or HashingSettings()
        self._argon: Argon2 = Argon2(
            time_cost=self.settings.time_cost,
            memory_cost=self.settings.memory_cost,
            parallelism=self.settings.parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        """A new Argon2id hash of ``password`` (computed in a worker thread)."""
        from anyio import to_thread

        return await to_thread.run_sync(self._argon.hash, password)

    def hash_sync(self, password: str) -> str:
        """The same, for synchronous callers (commands, fixtures)."""
        return self._argon.hash(password)

    async def verify(self, hashed: str, password: str) -> bool:
        """Constant-time; False (never an exception) for a wrong password or a bad hash."""
        from anyio import to_thread

        return await to_thread.run_sync(self.verify_sync, hashed, password)

    def verify_sync(self, hashed: str, password: str) -> bool:
        """The same, in the calling thread."""
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            return bool(self._argon.verify(hashed, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError, ValueError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        """True when ``hashed`` was made with parameters other than the current ones."""
        from argon2.exceptions import InvalidHashError

        try:
            return bool(self._argon.check_needs_rehash(hashed))
        except (InvalidHashError, ValueError):
            return True

    async def dummy_verify(self, password: str) -> bool:
        """Spend a real verification's time on a hash no password matches (always False)."""
        if self._dummy is None:
            from foundry.auth_scaffolding.tokens import new_token

            self._dummy = await self.hash(new_token())
        await self.verify(self._dummy, password)
        return False

    def __repr__(self) -> str:
        s = self.settings
        return f"Argon2Hasher(m={s.memory_cost} KiB, t={s.time_cost}, p={s.parallelism})"
