"""POST /upload: streamed size limit, sniffed types, safe names, storage, auth."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from api_support import AppProvider, TokensProvider

from foundry.api.exceptions import UnsupportedMediaTypeError
from foundry.api.sniffing import accept_type, sniff
from foundry.storage.provider import StorageServiceProvider

ADMIN = {"Authorization": "Bearer admin-token"}
BOUNDARY = "----foundry-test-boundary"


def png(width: int = 2, height: int = 2, padding: int = 0) -> bytes:
    """A real PNG image (optionally padded with a text chunk to make it bigger)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height)))
    text = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + text
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def multipart(
    content: bytes,
    *,
    filename: str = "photo.png",
    content_type: str | None = "image/png",
    field: str = "file",
) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
    )
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode() + b"\r\n" + content + f"\r\n--{BOUNDARY}--\r\n".encode()


HEADERS = {**ADMIN, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


@pytest.fixture
def app_with_storage(build):
    def make(**env: str):
        return build(AppProvider, TokensProvider, StorageServiceProvider, **env)

    return make


async def test_an_allowed_file_is_stored_under_a_generated_name(app_with_storage, client, base):
    api = app_with_storage()
    image = png()
    async with client(api) as http:
        response = await http.post(
            "/upload", content=multipart(image, filename="../../etc/passwd.png"), headers=HEADERS
        )
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["mime_type"] == "image/png"
    assert data["size"] == len(image)
    folder, name = data["path"].split("/")
    assert folder == "uploads"
    assert re.fullmatch(r"[0-9a-f]{32}\.png", name)  # nothing of "../../etc/passwd.png"
    assert data["url"] == f"http://localhost:8000/storage/{data['path']}"
    stored = base / "storage" / "app" / "public" / data["path"]
    assert stored.read_bytes() == image


async def test_a_private_disk_gives_no_url(app_with_storage, client, base):
    api = app_with_storage(UPLOAD_DISK="local")
    async with client(api) as http:
        response = await http.post("/upload", content=multipart(png()), headers=HEADERS)
    assert response.status_code == 201
    assert response.json()["data"]["url"] is None
    assert (base / "storage" / "app" / response.json()["data"]["path"]).is_file()


async def test_an_unknown_disk_is_a_configuration_error_naming_it(app_with_storage, client):
    api = app_with_storage(UPLOAD_DISK="uploadz")
    async with client(api) as http:
        response = await http.post("/upload", content=multipart(png()), headers=HEADERS)
    assert response.status_code == 500
    assert 'No disk is named "uploadz"' in response.json()["error"]["message"]


async def test_a_file_over_the_limit_is_refused_while_streaming(app_with_storage, client, base):
    api = app_with_storage(UPLOAD_MAX_SIZE="20000")
    body = multipart(png(padding=200_000))
    pulled = 0

    async def chunks():
        nonlocal pulled
        for start in range(0, len(body), 4096):
            pulled += 1
            yield body[start : start + 4096]

    async with client(api) as http:
        response = await http.post("/upload", content=chunks(), headers=HEADERS)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "PAYLOAD_TOO_LARGE"
    assert "UPLOAD_MAX_SIZE" in error["message"]
    assert pulled < len(body) // 4096  # stopped early: the rest was never read
    assert not (base / "storage" / "app" / "public" / "uploads").exists()


async def test_a_declared_type_that_disagrees_with_the_content_is_refused(app_with_storage, client):
    api = app_with_storage()
    async with client(api) as http:
        response = await http.post(
            "/upload", content=multipart(png(), content_type="image/jpeg"), headers=HEADERS
        )
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "MIME_MISMATCH"
    assert error["context"] == {"declared": "image/jpeg", "detected": "image/png"}


async def test_html_disguised_as_an_image_is_refused(app_with_storage, client, base):
    api = app_with_storage()
    page = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    async with client(api) as http:
        response = await http.post(
            "/upload", content=multipart(page, filename="cat.png"), headers=HEADERS
        )
    assert response.status_code == 415
    assert response.json()["error"]["context"]["detected"] == "text/html"
    assert not (base / "storage" / "app" / "public" / "uploads").exists()


async def test_a_type_off_the_allow_list_is_refused(app_with_storage, client):
    api = app_with_storage(UPLOAD_ALLOWED_MIMES="image/jpeg")
    async with client(api) as http:
        response = await http.post("/upload", content=multipart(png()), headers=HEADERS)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "MIME_NOT_ALLOWED"


async def test_text_may_be_declared_as_any_textual_type_when_allowed(app_with_storage, client):
    api = app_with_storage(UPLOAD_ALLOWED_MIMES="text/csv")
    csv = b"name,qty\nwidget,3\n"
    async with client(api) as http:
        response = await http.post(
            "/upload",
            content=multipart(csv, filename="stock.csv", content_type="text/csv"),
            headers=HEADERS,
        )
    assert response.status_code == 201
    assert response.json()["data"]["mime_type"] == "text/csv"
    assert response.json()["data"]["path"].endswith(".csv")


async def test_without_storage_bound_upload_is_503_naming_the_package(build, client):
    api = build(AppProvider, TokensProvider)
    async with client(api) as http:
        response = await http.post("/upload", content=multipart(png()), headers=HEADERS)
    assert response.status_code == 503
    assert response.json()["error"]["message"] == (
        "No Storage is bound. Install foundry-storage or bind "
        "foundry.domain.storage.Storage in a provider."
    )


async def test_upload_needs_a_token_with_the_upload_ability(app_with_storage, client):
    api = app_with_storage()
    anonymous = {"Content-Type": HEADERS["Content-Type"]}
    async with client(api) as http:
        none = await http.post("/upload", content=multipart(png()), headers=anonymous)
        reader = await http.post(
            "/upload",
            content=multipart(png()),
            headers={**anonymous, "Authorization": "Bearer reader-token"},
        )
        star = await http.post(
            "/upload",
            content=multipart(png()),
            headers={**anonymous, "Authorization": "Bearer star-token"},
        )
    assert none.status_code == 401
    assert reader.status_code == 403
    assert star.status_code == 201


async def test_a_public_upload_needs_no_token(app_with_storage, client):
    api = app_with_storage(API_UPLOAD_PUBLIC="true")
    async with client(api) as http:
        response = await http.post(
            "/upload",
            content=multipart(png()),
            headers={"Content-Type": HEADERS["Content-Type"]},
        )
    assert response.status_code == 201


async def test_a_missing_or_empty_file_is_a_validation_error(app_with_storage, client):
    api = app_with_storage()
    async with client(api) as http:
        missing = await http.post(
            "/upload", content=multipart(png(), field="avatar"), headers=HEADERS
        )
        empty = await http.post("/upload", content=multipart(b""), headers=HEADERS)
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"] == {"body.file": ["A file is required."]}
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"] == {"body.file": ["The file is empty."]}


async def test_a_body_that_is_not_multipart_is_415(app_with_storage, client):
    api = app_with_storage()
    async with client(api) as http:
        response = await http.post("/upload", json={"file": "abc"}, headers=ADMIN)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize(
    "body",
    [
        b"--" + BOUNDARY.encode() + b"\r\nnot a header line\r\n\r\ndata\r\n",
        b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data; name",
        multipart(png())[:-40],
    ],
    ids=["bad-header", "cut-in-headers", "cut-in-file"],
)
async def test_a_broken_multipart_body_is_400(app_with_storage, client, body):
    api = app_with_storage()
    async with client(api) as http:
        response = await http.post("/upload", content=body, headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MALFORMED_MULTIPART"


def test_sniffing_reads_signatures_not_names():
    assert sniff(png()).mime_type == "image/png"
    assert sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").mime_type == "application/pdf"
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>").mime_type == "image/svg+xml"
    assert sniff(b"\x00\x01\x02binary").mime_type == "application/octet-stream"
    assert sniff("héllo wörld\n".encode()).mime_type == "text/plain"


def test_a_declared_octet_stream_defers_to_the_content():
    allowed = frozenset({"image/png"})
    assert accept_type(sniff(png()), "application/octet-stream", allowed).mime_type == "image/png"
    assert accept_type(sniff(png()), "image/PNG; name=x", allowed).mime_type == "image/png"
    with pytest.raises(UnsupportedMediaTypeError):
        accept_type(sniff(b"plain words"), "image/png", allowed)
