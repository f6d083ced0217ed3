"""The S3 disk: a bucket (AWS S3 or any S3-compatible server: MinIO, Ceph, R2 ...).

Needs the ``s3`` extra (``pip install 'foundry-storage[s3]'``, which brings aiobotocore).
One client is opened per event loop on first use and closed by :meth:`S3Disk.aclose`,
which the provider calls when the application terminates. Streams of unknown length are
uploaded in 8 MiB multipart parts, and the object appears only when the upload completes,
so a failed stream leaves the old object in place.
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager, suppress
from typing import Any, ClassVar
from urllib.parse import urlsplit

from foundry.domain.errors import MissingDependencyError, ServiceUnavailableError
from foundry.domain.storage import FileMetadata
from foundry.storage.disks.base import DEFAULT_CHUNK_SIZE, BaseDisk, Visibility
from foundry.storage.exceptions import DiskConfigurationError, StoredFileNotFoundError
from foundry.storage.paths import guess_mime_type, join, normalise
from foundry.storage.signing import UrlSigner

__all__ = ["PART_SIZE", "S3Disk"]

PART_SIZE = 8 * 1024 * 1024
"""Multipart upload part size (S3's minimum is 5 MiB for all parts but the last)."""

_NOT_FOUND = frozenset({"NoSuchKey", "404", "NotFound"})


class S3Disk(BaseDisk):
    """A disk stored in an S3 bucket.

    Args:
        name: the disk's name.
        bucket: the bucket (must exist).
        region: the bucket's region.
        key: the access key id (None: the AWS default credential chain).
        secret: the secret access key.
        endpoint: an S3-compatible server's URL (None: AWS).
        use_path_style_endpoint: address ``endpoint/bucket/key`` instead of
            ``bucket.endpoint/key`` (MinIO and most local servers need it).
        root: a key prefix under which the disk lives.
        visibility: ``public`` disks get public URLs derived from the endpoint.
        url: base of public URLs (a CDN in front of the bucket).
        signer: signs temporary URLs (served through the application).
    """

    driver: ClassVar[str] = "s3"

    def __init__(
        self,
        name: str,
        *,
        bucket: str,
        region: str = "us-east-1",
        key: str | None = None,
        secret: str | None = None,
        endpoint: str | None = None,
        use_path_style_endpoint: bool = False,
        root: str = "",
        visibility: Visibility = "private",
        url: str | None = None,
        signer: UrlSigner | None = None,
    ) -> None:
        if not bucket:
            raise DiskConfigurationError(
                f'Disk "{name}" (s3) has no bucket. Set AWS_BUCKET or the disk\'s bucket option.'
            )
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint.rstrip("/") if endpoint else None
        self.path_style = use_path_style_endpoint
        self.prefix = normalise(name, root, allow_root=True)
        self._credentials = (key, secret)
        if url is None and visibility == "public":
            url = join(self._bucket_url(), self.prefix)
        super().__init__(name, visibility=visibility, url=url, signer=signer)
        self._client_obj: Any = None
        self._stack: AsyncExitStack | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None

    def _bucket_url(self) -> str:
        if self.endpoint is None:
            return f"https://{self.bucket}.s3.{self.region}.amazonaws.com"
        if self.path_style:
            return f"{self.endpoint}/{self.bucket}"
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{self.bucket}.{parts.netloc}{parts.path}"

    def _key(self, relative: str) -> str:
        return join(self.prefix, relative)

    def _relative(self, key: str) -> str:
        return key[len(self.prefix) + 1 :] if self.prefix else key

    # --- the client -----------------------------------------------------------------

    async def _client(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a client belongs to the loop that opened it
            self._client_obj, self._stack, self._loop = None, None, loop
            self._lock = asyncio.Lock()
        assert self._lock is not None
        async with self._lock:
            if self._client_obj is None:
                self._client_obj = await self._open()
        return self._client_obj

    async def _open(self) -> Any:
        try:
            from aiobotocore.config import AioConfig  # type: ignore[import-untyped]
            from aiobotocore.session import get_session  # type: ignore[import-untyped]
        except ImportError:
            raise MissingDependencyError("S3 disks", "'foundry-storage[s3]'") from None
        key, secret = self._credentials
        options: dict[str, Any] = {"region_name": self.region}
        if self.endpoint:
            options["endpoint_url"] = self.endpoint
        if key:
            options.update(aws_access_key_id=key, aws_secret_access_key=secret)
        style = "path" if self.path_style else "auto"
        options["config"] = AioConfig(s3={"addressing_style": style})
        stack = AsyncExitStack()
        client = await stack.enter_async_context(get_session().create_client("s3", **options))
        self._stack = stack
        return client

    async def aclose(self) -> None:
        stack, loop = self._stack, self._loop
        self._client_obj = self._stack = None
        if stack is not None and loop is asyncio.get_running_loop():
            await stack.aclose()

    @contextmanager
    def _errors(self, relative: str) -> Iterator[None]:
        """Turn botocore's exceptions into Foundry errors naming the disk and path."""
        from botocore.exceptions import (  # type: ignore[import-untyped]
            BotoCoreError,
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
        )

        try:
            yield
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _NOT_FOUND:
                raise StoredFileNotFoundError(self.name, relative) from None
            if code == "NoSuchBucket":
                raise DiskConfigurationError(
                    f'Disk "{self.name}": the bucket "{self.bucket}" does not exist. Create it '
                    "or set AWS_BUCKET to an existing one."
                ) from None
            raise ServiceUnavailableError(
                f'Disk "{self.name}": S3 refused "{relative}": {code or exc}.',
                context={"disk": self.name, "path": relative, "code": code},
            ) from exc
        except NoCredentialsError:
            raise DiskConfigurationError(
                f'Disk "{self.name}" has no S3 credentials. Set AWS_ACCESS_KEY_ID and '
                "AWS_SECRET_ACCESS_KEY."
            ) from None
        except EndpointConnectionError as exc:
            raise ServiceUnavailableError(
                f'Disk "{self.name}" cannot reach S3 at {self.endpoint or "AWS"}: {exc}.'
            ) from exc
        except BotoCoreError as exc:
            raise ServiceUnavailableError(f'Disk "{self.name}": S3 failed: {exc}.') from exc

    async def _head(self, relative: str) -> dict[str, Any] | None:
        client = await self._client()
        try:
            with self._errors(relative):
                head: dict[str, Any] = await client.head_object(
                    Bucket=self.bucket, Key=self._key(relative)
                )
                return head
        except StoredFileNotFoundError:
            return None

    # --- writing --------------------------------------------------------------------

    async def put(self, path: str, content: bytes) -> str:
        relative = self._path(path)
        client = await self._client()
        with self._errors(relative):
            await client.put_object(
                Bucket=self.bucket,
                Key=self._key(relative),
                Body=bytes(content),
                ContentType=guess_mime_type(relative) or "application/octet-stream",
            )
        return relative

    async def put_stream(self, path: str, chunks: AsyncIterable[bytes]) -> str:
        relative = self._path(path)
        buffer = bytearray()
        iterator = aiter(chunks)
        async for chunk in iterator:
            buffer += chunk
            if len(buffer) >= PART_SIZE:
                await self._multipart(relative, buffer, iterator)
                return relative
        return await self.put(relative, bytes(buffer))

    async def _multipart(
        self, relative: str, buffer: bytearray, rest: AsyncIterator[bytes]
    ) -> None:
        client = await self._client()
        key = self._key(relative)
        with self._errors(relative):
            upload = await client.create_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                ContentType=guess_mime_type(relative) or "application/octet-stream",
            )
        upload_id = upload["UploadId"]
        parts: builtins.list[dict[str, Any]] = []

        async def send(data: bytes) -> None:
            number = len(parts) + 1
            with self._errors(relative):
                sent = await client.upload_part(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
                )
            parts.append({"ETag": sent["ETag"], "PartNumber": number})

        try:
            async for chunk in rest:
                buffer += chunk
                while len(buffer) >= PART_SIZE:
                    await send(bytes(buffer[:PART_SIZE]))
                    del buffer[:PART_SIZE]
            while buffer:
                await send(bytes(buffer[:PART_SIZE]))
                del buffer[:PART_SIZE]
            with self._errors(relative):
                await client.complete_multipart_upload(
                    Bucket=self.bucket,
                    Key=key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                )
        except BaseException:
            with suppress(Exception):  # the original failure is the one to report
                await asyncio.shield(
                    client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
                )
            raise

    # --- reading --------------------------------------------------------------------

    async def get(self, path: str) -> bytes:
        relative = self._path(path)
        client = await self._client()
        with self._errors(relative):
            response = await client.get_object(Bucket=self.bucket, Key=self._key(relative))
            async with response["Body"] as body:
                data: bytes = await body.read()
        return data

    def stream(self, path: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        return self._chunks(self._path(path), self._chunk_size(chunk_size))

    async def _chunks(self, relative: str, size: int) -> AsyncIterator[bytes]:
        client = await self._client()
        with self._errors(relative):
            response = await client.get_object(Bucket=self.bucket, Key=self._key(relative))
        async with response["Body"] as body:
            while True:
                with self._errors(relative):
                    chunk: bytes = await body.read(size)
                if not chunk:
                    break
                yield chunk

    async def exists(self, path: str) -> bool:
        return await self._head(self._path(path)) is not None

    async def metadata(self, path: str) -> FileMetadata:
        relative = self._path(path)
        head = await self._head(relative)
        if head is None:
            raise StoredFileNotFoundError(self.name, relative)
        return FileMetadata(
            path=relative,
            size=int(head["ContentLength"]),
            last_modified=head["LastModified"],
            mime_type=guess_mime_type(relative) or head.get("ContentType"),
            visibility=self.visibility,
        )

    async def list(self, directory: str = "", *, recursive: bool = False) -> builtins.list[str]:
        relative = self._path(directory, allow_root=True)
        prefix = self._key(relative)
        options: dict[str, Any] = {"Bucket": self.bucket, "Prefix": f"{prefix}/" if prefix else ""}
        if not recursive:
            options["Delimiter"] = "/"
        client = await self._client()
        found: builtins.list[str] = []
        with self._errors(relative):
            async for page in client.get_paginator("list_objects_v2").paginate(**options):
                for item in page.get("Contents", []):
                    key = str(item["Key"])
                    if not key.endswith("/"):  # folder markers made by consoles
                        found.append(self._relative(key))
        return sorted(found)

    # --- changing -------------------------------------------------------------------

    async def delete(self, path: str) -> bool:
        relative = self._path(path)
        if await self._head(relative) is None:
            return False
        client = await self._client()
        with self._errors(relative):
            await client.delete_object(Bucket=self.bucket, Key=self._key(relative))
        return True

    async def copy(self, source: str, target: str) -> None:
        src, dst = self._path(source), self._path(target)
        if src == dst:  # S3 refuses to copy an object onto itself unchanged
            if await self._head(src) is None:
                raise StoredFileNotFoundError(self.name, src)
            return
        client = await self._client()
        with self._errors(src):
            await client.copy_object(
                Bucket=self.bucket,
                Key=self._key(dst),
                CopySource={"Bucket": self.bucket, "Key": self._key(src)},
            )

    async def move(self, source: str, target: str) -> None:
        src, dst = self._path(source), self._path(target)
        await self.copy(src, dst)
        if src == dst:
            return
        client = await self._client()
        with self._errors(src):
            await client.delete_object(Bucket=self.bucket, Key=self._key(src))
