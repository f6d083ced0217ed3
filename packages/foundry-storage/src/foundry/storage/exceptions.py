"""The storage package's errors: narrow subclasses of foundry.domain's hierarchy.

Each one names the disk and the path it is about, so the CLI's one line and the HTTP
envelope both say what went wrong where, and what to do about it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from foundry.domain.errors import (
    AuthorizationError,
    ConfigurationError,
    FoundryError,
    NotFoundError,
    ValidationError,
)

__all__ = [
    "DiskConfigurationError",
    "ExpiredUrlError",
    "InvalidSignatureError",
    "MissingAppKeyError",
    "NoPublicUrlError",
    "StorageError",
    "StoredFileNotFoundError",
    "UnsafePathError",
]


class StorageError(FoundryError):
    """A disk could not do what was asked (a directory where a file was expected ...)."""

    code = "STORAGE_ERROR"


class UnsafePathError(ValidationError):
    """A path would leave the disk's root, or is not a plain relative path.

    Raised before anything is read or written, so a refused path has no effect at all.
    """

    code = "UNSAFE_PATH"

    def __init__(self, disk: str, path: str, reason: str) -> None:
        shown = path.replace("\x00", "\\x00")
        message = (
            f'Disk "{disk}" refused the path {shown!r}: {reason}. '
            "Use a relative path with / separators that stays inside the disk."
        )
        super().__init__(message, fields={"path": [reason]}, context={"disk": disk, "path": shown})
        self.disk = disk
        self.path = path
        self.reason = reason


class StoredFileNotFoundError(NotFoundError):
    """No file exists at the path on the disk."""

    code = "FILE_NOT_FOUND"

    def __init__(self, disk: str, path: str) -> None:
        super().__init__(
            f'Disk "{disk}" has no file at "{path}".', context={"disk": disk, "path": path}
        )
        self.disk = disk
        self.path = path


class DiskConfigurationError(ConfigurationError):
    """A disk is unknown, or its configuration names a bad driver or option."""

    code = "DISK_CONFIGURATION"


class NoPublicUrlError(ConfigurationError):
    """``url()`` was asked of a disk that serves no public URLs."""

    code = "NO_PUBLIC_URL"

    def __init__(self, disk: str) -> None:
        super().__init__(
            f'Disk "{disk}" is private and has no public URL. Use temporary_url() for a '
            f'signed link, store the file on the "public" disk, or give "{disk}" a url '
            f"option in storage.disks.",
            context={"disk": disk},
        )


class MissingAppKeyError(ConfigurationError):
    """Temporary URLs are signed with ``APP_KEY``, which is unset or malformed."""

    code = "MISSING_APP_KEY"

    def __init__(self, problem: str = "is not set") -> None:
        super().__init__(
            f"APP_KEY {problem}: temporary storage URLs are signed with it. "
            "Run `foundry key:generate` to create one."
        )


class InvalidSignatureError(AuthorizationError):
    """A signed URL's signature does not match its path, disk and expiry."""

    code = "INVALID_SIGNATURE"

    def __init__(self) -> None:
        super().__init__(
            "This link's signature is invalid: the URL was altered or signed with another "
            "key. Ask for a new link."
        )


class ExpiredUrlError(AuthorizationError):
    """A correctly signed URL whose expiry time has passed."""

    code = "URL_EXPIRED"

    def __init__(self, expired_at: int) -> None:
        when = datetime.fromtimestamp(expired_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        super().__init__(
            f"This link expired at {when}. Ask for a new link.",
            context={"expired_at": expired_at},
        )
        self.expired_at = expired_at
