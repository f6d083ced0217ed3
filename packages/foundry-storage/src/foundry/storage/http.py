"""The HTTP routes: signed temporary URLs, and (opt-in) the public disk.

``GET /storage/signed/{path}`` serves a file when the link's signature is valid and not
expired, answering 403 with the JSON error envelope otherwise (``URL_EXPIRED`` and
``INVALID_SIGNATURE`` are told apart). ``GET /storage/{path}`` serves the ``public`` disk
only when ``STORAGE_SERVE_PUBLIC=true``: in production a web server serves
``public/storage`` (made by ``foundry storage:link``) without touching Python.

FastAPI is imported here, at module level (route signatures need it resolvable); the
provider imports this module only when the HTTP application is assembled.

Served files stream in chunks, carry their media type, a ``Content-Disposition`` (inline,
or attachment for download links), ``X-Content-Type-Options: nosniff`` and a sandboxing
``Content-Security-Policy`` so an uploaded HTML file cannot run script as the app.
"""

from __future__ import annotations

from email.utils import format_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from foundry.domain.errors import FoundryError
from foundry.storage.exceptions import (
    InvalidSignatureError,
    StoredFileNotFoundError,
    UnsafePathError,
)
from foundry.storage.manager import StorageManager
from foundry.storage.paths import normalise
from foundry.storage.signing import SIGNED_PREFIX

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.storage.disks.base import BaseDisk

__all__ = ["content_disposition", "storage_router"]

PUBLIC_DISK = "public"


def content_disposition(kind: str, path: str) -> str:
    """``inline``/``attachment`` with the file's name, ASCII-safe plus RFC 5987 UTF-8."""
    name = path.rsplit("/", 1)[-1]
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _envelope(exc: FoundryError) -> Response:
    return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)


async def _file(disk: BaseDisk, relative: str, *, download: bool, cache: str) -> Response:
    meta = await disk.metadata(relative)
    headers = {
        "Content-Length": str(meta.size),
        "Content-Disposition": content_disposition(
            "attachment" if download else "inline", relative
        ),
        "Last-Modified": format_datetime(meta.last_modified, usegmt=True),
        "Cache-Control": cache,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    }
    return StreamingResponse(
        disk.stream(relative),
        media_type=meta.mime_type or "application/octet-stream",
        headers=headers,
    )


def storage_router(app: Application, *, serve_public: bool = False) -> APIRouter:
    """The storage routes for ``app`` (the signed route always; the public one on request).

    The manager is resolved per request, so a clock or config bound after start-up (a
    frozen clock in tests) is the one used.
    """
    router = APIRouter(tags=["storage"])

    @router.get(SIGNED_PREFIX + "/{path:path}", name="storage.signed", response_model=None)
    async def signed_file(path: str, request: Request) -> Any:
        storage = app.make(StorageManager)
        query = request.query_params
        disk_name = query.get("disk") or storage.default
        download = query.get("download") == "1"
        try:
            try:
                relative = normalise(disk_name, path)
            except UnsafePathError:
                raise InvalidSignatureError() from None  # nothing unsafe is ever signed
            storage.signer.verify(
                disk_name, relative, query.get("expires"), query.get("signature"), download=download
            )
            disk = storage.disk(disk_name)
            return await _file(disk, relative, download=download, cache="private, no-store")
        except FoundryError as exc:
            return _envelope(exc)

    if serve_public:

        @router.get("/storage/{path:path}", name="storage.public", response_model=None)
        async def public_file(path: str) -> Any:
            storage = app.make(StorageManager)
            try:
                disk = storage.disk(PUBLIC_DISK)
                relative = normalise(PUBLIC_DISK, path)
                return await _file(disk, relative, download=False, cache="public, max-age=3600")
            except UnsafePathError:  # answered like any missing file: nothing to probe
                return _envelope(StoredFileNotFoundError(PUBLIC_DISK, path))
            except FoundryError as exc:
                return _envelope(exc)

    return router
