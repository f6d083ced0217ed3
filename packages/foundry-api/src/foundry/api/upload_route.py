"""``POST /upload``: one file, checked while it streams, stored on a disk.

The file goes to ``app.make(Storage).disk(UPLOAD_DISK)`` under a generated name
(``uploads/<32 hex>.<extension of the sniffed type>``); the client's file name and path are
never used, so an upload cannot choose where it lands or what it is served as. The route
needs a bearer token with ``foundry:upload`` unless ``API_UPLOAD_PUBLIC=true``.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from foundry.api.auth import UPLOAD_ABILITY, require_ability
from foundry.api.handlers import json_response
from foundry.api.settings import ApiSettings
from foundry.api.upload_reader import read_upload
from foundry.domain.application import Application
from foundry.domain.contracts import unbound_message
from foundry.domain.errors import FoundryError, ServiceUnavailableError
from foundry.domain.storage import Storage

__all__ = ["UploadResult", "add_upload_route"]

FIELD = "file"
FOLDER = "uploads"

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {FIELD: {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


class StoredFile(BaseModel):
    path: str
    url: str | None
    size: int
    mime_type: str


class UploadResult(BaseModel):
    """Where the file was stored and what it was found to be."""

    data: StoredFile


def add_upload_route(router: APIRouter, app: Application, settings: ApiSettings) -> None:
    """Add ``POST /upload``, configured from ``settings``, to ``router``."""
    allowed = frozenset(settings.upload_allowed_mimes)
    guards = [] if settings.upload_public else [require_ability(app, UPLOAD_ABILITY)]

    @router.post(
        "/upload",
        name="files.upload",
        summary="Upload a file",
        tags=["files"],
        status_code=201,
        response_model=UploadResult,
        dependencies=guards,
        openapi_extra=_BODY,
    )
    async def upload(request: Request) -> Response:
        """Store one file sent as multipart/form-data in the field ``file``."""
        if not app.bound(Storage):
            raise ServiceUnavailableError(unbound_message(Storage))
        disk = app.make(Storage).disk(settings.upload_disk)
        received = await read_upload(
            request.headers.get("content-type"),
            request.stream(),
            field=FIELD,
            max_size=settings.upload_max_size,
            allowed=allowed,
        )
        name = f"{FOLDER}/{uuid.uuid4().hex}.{received.type.extension}"
        stored = await disk.put(name, received.content) or name
        url: str | None
        try:
            url = disk.url(stored)
        except FoundryError:
            url = None  # a private disk has no public URL
        data = {
            "path": stored,
            "url": url,
            "size": len(received.content),
            "mime_type": received.type.mime_type,
        }
        return json_response({"data": data}, 201)
