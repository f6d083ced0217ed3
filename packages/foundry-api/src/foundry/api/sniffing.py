"""What an uploaded file really is, from its bytes, and whether to accept it.

The client's declared ``Content-Type`` and file name are claims; the bytes are evidence.
Binary formats are recognised by their signatures (the ``filetype`` library). Content with
no signature is text when it is valid UTF-8 without NUL bytes — and text that opens like
HTML, SVG or XML is classed as that, since a browser would render it so. A declared type
that contradicts the sniffed one is refused, and the sniffed type must be on the allow-list.
"""

from __future__ import annotations

import codecs
import mimetypes
from dataclasses import dataclass

import filetype  # type: ignore[import-untyped]

from foundry.api.exceptions import UnsupportedMediaTypeError

__all__ = ["SNIFF_BYTES", "Sniffed", "accept_type", "sniff"]

SNIFF_BYTES = 8192
"""How much of the start of a file the signatures need (``filetype`` reads this much)."""

OCTET_STREAM = "application/octet-stream"
_TEXT = "text/plain"
_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "application/x-pdf": "application/pdf",
    "audio/mp3": "audio/mpeg",
    "image/x-icon": "image/vnd.microsoft.icon",
}
_MARKUP = (
    (b"<!doctype html", "text/html"),
    (b"<html", "text/html"),
    (b"<head", "text/html"),
    (b"<body", "text/html"),
    (b"<script", "text/html"),
    (b"<iframe", "text/html"),
    (b"<svg", "image/svg+xml"),
    (b"<?xml", "application/xml"),
)
_TEXTUAL_APPLICATION = frozenset(
    {"application/json", "application/csv", "application/x-ndjson", "application/yaml"}
)
_EXTENSIONS = {"text/plain": "txt", "text/csv": "csv", "application/json": "json"}


@dataclass(frozen=True, slots=True)
class Sniffed:
    """The type the bytes show: a MIME type and the extension to store it under."""

    mime_type: str
    extension: str
    textual: bool = False


def normalise(declared: str | None) -> str | None:
    """``Image/JPG; charset=x`` -> ``image/jpeg``; empty or missing -> None."""
    if not declared:
        return None
    bare = declared.split(";", 1)[0].strip().lower()
    return _ALIASES.get(bare, bare) or None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def sniff(head: bytes) -> Sniffed:
    """The type of a file from its first :data:`SNIFF_BYTES` bytes."""
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return Sniffed(normalise(kind.mime) or OCTET_STREAM, str(kind.extension))
    if head and _is_text(head):
        opening = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
        for marker, mime in _MARKUP:
            if opening.startswith(marker):
                if mime == "application/xml" and b"<svg" in head[:1024].lower():
                    mime = "image/svg+xml"
                return Sniffed(mime, "svg" if mime == "image/svg+xml" else mime.split("/")[1])
        return Sniffed(_TEXT, "txt", textual=True)
    return Sniffed(OCTET_STREAM, "bin")


def _textual(mime: str) -> bool:
    return (
        (mime.startswith("text/") and mime != "text/html")
        or mime in _TEXTUAL_APPLICATION
        or mime.endswith("+json")
    )


def accept_type(sniffed: Sniffed, declared: str | None, allowed: frozenset[str]) -> Sniffed:
    """The type to store the file as, or the reason it is refused.

    Plain text may be declared as any textual type (``text/csv``, ``application/json``):
    the bytes cannot tell those apart, and none of them is rendered as active content.

    Raises:
        UnsupportedMediaTypeError: the declared type contradicts the content, or the
            content's type is not allowed.
    """
    claimed = normalise(declared)
    final = sniffed
    if claimed is not None and claimed != OCTET_STREAM and claimed != sniffed.mime_type:
        if sniffed.textual and _textual(claimed):
            extension = _EXTENSIONS.get(claimed) or (
                (mimetypes.guess_extension(claimed) or ".txt").lstrip(".")
            )
            final = Sniffed(claimed, extension, textual=True)
        else:
            raise UnsupportedMediaTypeError(
                f"The file was declared as {claimed} but its content is "
                f"{sniffed.mime_type}; upload the file as what it is.",
                code="MIME_MISMATCH",
                context={"declared": claimed, "detected": sniffed.mime_type},
            )
    if final.mime_type not in allowed:
        raise UnsupportedMediaTypeError(
            f"Files of type {final.mime_type} are not accepted here; allowed: "
            f"{', '.join(sorted(allowed))} (UPLOAD_ALLOWED_MIMES).",
            code="MIME_NOT_ALLOWED",
            context={"detected": final.mime_type, "allowed": sorted(allowed)},
        )
    return final
