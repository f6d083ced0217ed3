"""Reading one uploaded file from a multipart body as it streams in.

The body is parsed chunk by chunk (python-multipart's streaming parser) and only the file
part is kept. The file is measured as it arrives — the chunk that crosses the size limit
stops the read — and its type is checked as soon as the first :data:`SNIFF_BYTES` are in,
so a disguised or forbidden file is refused before the rest of it is received.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from foundry.api.exceptions import BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError
from foundry.api.sniffing import SNIFF_BYTES, Sniffed, accept_type, sniff
from foundry.domain.errors import ValidationError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = ["UploadedFile", "read_upload"]


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """The file part of an upload: its bytes and the type they were checked to be."""

    content: bytes
    type: Sniffed
    client_filename: str


class _FilePart:
    """python-multipart callbacks keeping the first file part named ``field``."""

    def __init__(self, field: str, max_size: int, allowed: frozenset[str]) -> None:
        self.field = field
        self.max_size = max_size
        self.allowed = allowed
        self.name = bytearray()
        self.value = bytearray()
        self.headers: dict[bytes, bytes] = {}
        self.capturing = self.done = self.ended = False
        self.declared: str | None = None
        self.filename = ""
        self.data = bytearray()
        self.checked: Sniffed | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    def on_part_begin(self) -> None:
        self.headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[bytes(self.name).lower()] = bytes(self.value)
        self.name.clear()
        self.value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition"))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        self.capturing = not self.done and name == self.field and b"filename" in options
        if self.capturing:
            self.filename = options[b"filename"].decode("utf-8", "replace")
            declared = self.headers.get(b"content-type", b"").decode("latin-1").strip()
            self.declared = declared or None

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.capturing:
            return
        self.data += data[start:end]
        if len(self.data) > self.max_size:
            raise PayloadTooLargeError(
                self.max_size, setting="UPLOAD_MAX_SIZE", what="uploaded file"
            )
        if self.checked is None and len(self.data) >= SNIFF_BYTES:
            self.check()

    def on_part_end(self) -> None:
        if self.capturing:
            if self.checked is None and self.data:
                self.check()
            self.capturing = False
            self.done = True

    def on_end(self) -> None:
        self.ended = True

    def check(self) -> None:
        head = bytes(self.data[:SNIFF_BYTES])
        self.checked = accept_type(sniff(head), self.declared, self.allowed)


def boundary_of(content_type: str | None) -> bytes:
    """The multipart boundary of a ``Content-Type`` header.

    Raises:
        UnsupportedMediaTypeError: the body is not ``multipart/form-data``.
        BadRequestError: the header has no boundary.
    """
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise UnsupportedMediaTypeError(
            "Send the file as multipart/form-data (a form with a file field named file)."
        )
    boundary = options.get(b"boundary")
    if not boundary:
        raise BadRequestError(
            "The multipart/form-data Content-Type has no boundary parameter.",
            code="MALFORMED_MULTIPART",
        )
    return boundary


async def read_upload(
    content_type: str | None,
    chunks: AsyncIterator[bytes],
    *,
    field: str,
    max_size: int,
    allowed: frozenset[str],
) -> UploadedFile:
    """Read the file in ``field`` from a multipart body arriving as ``chunks``.

    Reading stops as soon as the file part is complete; later parts are not read.

    Raises:
        PayloadTooLargeError: the file is larger than ``max_size`` (413).
        UnsupportedMediaTypeError: not multipart, a disguised or disallowed type (415).
        BadRequestError: the multipart body is malformed (400).
        ValidationError: there is no file in ``field``, or it is empty (422).
    """
    part = _FilePart(field, max_size, allowed)
    try:
        parser = MultipartParser(boundary_of(content_type), part.callbacks())
        async for chunk in chunks:
            if chunk:
                parser.write(chunk)
            if part.done:
                break
        else:
            parser.finalize()
    except MultipartParseError as exc:
        raise BadRequestError(
            f"The multipart body is malformed: {exc}.", code="MALFORMED_MULTIPART"
        ) from None
    if not part.done and not part.ended:
        raise BadRequestError(
            "The multipart body ended before its closing boundary; send the whole form.",
            code="MALFORMED_MULTIPART",
        )
    if not part.done:
        raise ValidationError(
            f"body.{field}: A file is required.",
            fields={f"body.{field}": ["A file is required."]},
        )
    if part.checked is None:
        raise ValidationError(
            f"body.{field}: The file is empty.", fields={f"body.{field}": ["The file is empty."]}
        )
    return UploadedFile(bytes(part.data), part.checked, part.filename)
