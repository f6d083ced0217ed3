"""Password hashing contract (argon2id in ``foundry-auth-scaffolding``)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["PasswordHasher"]


@contract("foundry-auth-scaffolding")
@runtime_checkable
class PasswordHasher(Protocol):
    """Hashes and verifies passwords off the event loop."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, hashed: str, password: str) -> bool:
        """Constant-time; False (never an exception) for a wrong password or bad hash."""
        ...

    def needs_rehash(self, hashed: str) -> bool:
        """True when ``hashed`` was made with weaker parameters than the current ones."""
        ...
