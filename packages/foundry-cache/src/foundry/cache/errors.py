"""The errors the cache raises, each a narrow subclass of Foundry's hierarchy."""

from __future__ import annotations

from foundry.domain.errors import ConflictError, FoundryError, ServiceUnavailableError

__all__ = [
    "CacheError",
    "InvalidKeyError",
    "LockTimeoutError",
    "NotAnIntegerError",
    "SerializationError",
    "StoreUnavailableError",
]


class CacheError(FoundryError):
    """Root of the cache's own errors."""

    code = "CACHE_ERROR"


class InvalidKeyError(CacheError):
    """A key that is not a non-empty string."""

    code = "CACHE_INVALID_KEY"
    status = 422


class SerializationError(CacheError):
    """A value the cache cannot write, or stored bytes it will not read back."""

    code = "CACHE_SERIALIZATION"


class NotAnIntegerError(CacheError):
    """``increment``/``decrement`` on a key whose value is not an integer."""

    code = "CACHE_NOT_AN_INTEGER"
    status = 409

    def __init__(self, key: str, found: str) -> None:
        super().__init__(
            f'Cannot increment cache key "{key}": it holds {found}, not an integer. '
            "Forget the key or store an int before counting with it.",
            context={"key": key},
        )
        self.key = key


class StoreUnavailableError(ServiceUnavailableError):
    """A cache store's server is down, refused the connection or did not answer in time.

    ``store`` names the configured store and ``address`` where it was looked for (with any
    password masked), so the message tells the operator which server to check.
    """

    code = "CACHE_STORE_UNAVAILABLE"

    def __init__(self, store: str, address: str, cause: str, *, hint: str = "") -> None:
        fix = hint or "check that the server is running and reachable"
        super().__init__(
            f'The cache store "{store}" at {address} is unavailable: {cause}; {fix}.',
            context={"store": store, "address": address},
        )
        self.store = store
        self.address = address
        self.cause = cause


class LockTimeoutError(ConflictError):
    """``async with cache.lock(...)`` found the lock held by another owner."""

    code = "CACHE_LOCK_HELD"

    def __init__(self, name: str) -> None:
        super().__init__(
            f'The cache lock "{name}" is held by another owner. Wait for it with '
            "`await lock.block(seconds)` or try again later.",
            context={"lock": name},
        )
        self.name = name
