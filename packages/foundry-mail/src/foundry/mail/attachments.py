"""Building :class:`~foundry.domain.mail.Attachment` values from files and storage disks.

An attachment is plain bytes plus a name and a type, so a message stays a value that can be
queued. These helpers read the bytes: from a path (type guessed from the name), from a disk
of the bound :class:`~foundry.domain.storage.Storage` (``foundry-storage``), or lazily, as a
:class:`StorageFile` a mailable returns from ``attachments()`` and the mailer reads when it
builds the message.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from foundry.domain.errors import NotFoundError
from foundry.domain.mail import Attachment
from foundry.domain.storage import Storage
from foundry.mail.exceptions import AttachmentNotFoundError

__all__ = ["StorageFile", "attachment_from_disk", "attachment_from_path", "guess_type"]


def guess_type(filename: str) -> str:
    """The MIME type for ``filename`` by its extension, ``application/octet-stream`` if unknown."""
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def attachment_from_path(
    path: str | Path,
    *,
    name: str | None = None,
    content_type: str | None = None,
    content_id: str | None = None,
) -> Attachment:
    """Attach a file from the filesystem.

    Args:
        path: the file to read.
        name: the file name the recipient sees (default: the file's own name).
        content_type: the MIME type (default: guessed from the name).
        content_id: makes it an inline image, shown by ``<img src="cid:...">``.

    Raises:
        AttachmentNotFoundError: the file does not exist or is not a file.
    """
    file = Path(path)
    try:
        content = file.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise AttachmentNotFoundError(
            f"Attachment {file} does not exist (or is a folder); check the path.",
            context={"path": str(file)},
        ) from None
    filename = name or file.name
    return Attachment(filename, content, content_type or guess_type(filename), content_id)


async def attachment_from_disk(
    storage: Storage,
    path: str,
    *,
    disk: str | None = None,
    name: str | None = None,
    content_type: str | None = None,
    content_id: str | None = None,
) -> Attachment:
    """Attach a file from a storage disk: ``storage.disk(disk).get(path)``.

    Args:
        storage: the bound ``Storage`` (``app.make(Storage)``).
        path: the file's path on the disk.
        disk: the disk's name (default: the default disk).
        name: the file name the recipient sees (default: the last part of ``path``).
        content_type: the MIME type (default: guessed from the name).
        content_id: makes it an inline image.

    Raises:
        AttachmentNotFoundError: the disk has no such file.
    """
    try:
        content = await storage.disk(disk).get(path)
    except NotFoundError:
        where = f'disk "{disk}"' if disk else "the default disk"
        raise AttachmentNotFoundError(
            f"Attachment {path} is not on {where}; check the path and the disk name.",
            context={"path": path, "disk": disk},
        ) from None
    filename = name or PurePosixPath(path).name
    return Attachment(filename, content, content_type or guess_type(filename), content_id)


@dataclass(frozen=True, slots=True)
class StorageFile:
    """A file on a storage disk, read when the message is built.

    Return it from ``Mailable.attachments()``; the mailer resolves it through the bound
    ``Storage`` (so the mailable never needs the container)::

        def attachments(self) -> list[Attachment | StorageFile]:
            return [StorageFile(f"invoices/{self.order_id}.pdf", disk="s3")]
    """

    path: str
    disk: str | None = None
    name: str | None = None
    content_type: str | None = None
    content_id: str | None = None

    async def resolve(self, storage: Storage) -> Attachment:
        """Read the file and return it as an attachment."""
        return await attachment_from_disk(
            storage,
            self.path,
            disk=self.disk,
            name=self.name,
            content_type=self.content_type,
            content_id=self.content_id,
        )
