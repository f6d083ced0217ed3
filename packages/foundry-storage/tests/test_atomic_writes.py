"""Writes are atomic: a write that fails part-way leaves the old content exactly."""

from __future__ import annotations

import asyncio
import stat

import pytest

from foundry.storage import LocalDisk, StorageError
from foundry.storage.disks.s3 import PART_SIZE


class Interrupted(Exception):
    pass


async def failing_stream(*chunks: bytes):
    for chunk in chunks:
        yield chunk
    raise Interrupted("the upload connection dropped")


async def test_a_failing_write_leaves_the_old_content(disk):
    await disk.put("config/settings.json", b'{"version": 1}')
    with pytest.raises(Interrupted):
        await disk.put_stream("config/settings.json", failing_stream(b'{"vers', b"ion"))
    assert await disk.get("config/settings.json") == b'{"version": 1}'
    assert await disk.list("config") == ["config/settings.json"]


async def test_a_failing_first_write_creates_no_file(disk):
    with pytest.raises(Interrupted):
        await disk.put_stream("new.bin", failing_stream(b"partial"))
    assert await disk.exists("new.bin") is False
    assert await disk.list(recursive=True) == []


async def test_a_failing_local_write_leaves_no_temporary_file(base):
    disk = LocalDisk("local", base / "storage" / "app")
    await disk.put("a/data.csv", b"id,name\n1,old\n")
    with pytest.raises(Interrupted):
        await disk.put_stream("a/data.csv", failing_stream(b"id,name\n", b"1,ne"))
    assert sorted(p.name for p in (disk.root / "a").iterdir()) == ["data.csv"]
    assert (disk.root / "a" / "data.csv").read_bytes() == b"id,name\n1,old\n"


async def test_a_cancelled_local_write_leaves_the_old_content(base):
    disk = LocalDisk("local", base / "storage" / "app")
    await disk.put("big.bin", b"old")
    started = asyncio.Event()

    async def endless():
        while True:
            yield b"x" * 1024
            started.set()
            await asyncio.sleep(0)

    task = asyncio.create_task(disk.put_stream("big.bin", endless()))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (disk.root / "big.bin").read_bytes() == b"old"
    assert [p.name for p in disk.root.iterdir()] == ["big.bin"]


async def test_a_reader_of_the_old_file_is_not_disturbed_by_a_replace(base):
    disk = LocalDisk("local", base / "storage" / "app")
    await disk.put("doc.txt", b"old content")
    with (disk.root / "doc.txt").open("rb") as reader:
        await disk.put("doc.txt", b"new content")
        assert reader.read() == b"old content"
    assert await disk.get("doc.txt") == b"new content"


async def test_a_directory_is_never_replaced_by_a_file(disk):
    await disk.put("folder/inner.txt", b"keep")
    if isinstance(disk, LocalDisk):
        with pytest.raises(StorageError, match="is a directory"):
            await disk.put("folder", b"file")
        with pytest.raises(StorageError, match="is a directory"):
            await disk.delete("folder")
    assert await disk.get("folder/inner.txt") == b"keep"


async def test_local_files_get_permissions_from_the_disk_visibility(base):
    private = LocalDisk("local", base / "private")
    public = LocalDisk("public", base / "public", visibility="public")
    await private.put("a.txt", b"x")
    await public.put("a.txt", b"x")
    await private.copy("a.txt", "b.txt")
    assert stat.S_IMODE((private.root / "a.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((private.root / "b.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((public.root / "a.txt").stat().st_mode) == 0o644


async def test_a_parent_that_is_a_file_is_reported(base):
    disk = LocalDisk("local", base / "storage" / "app")
    await disk.put("report", b"a file")
    with pytest.raises(StorageError, match="parent"):
        await disk.put("report/2026.txt", b"x")
    assert await disk.get("report") == b"a file"


async def test_s3_large_streams_upload_in_parts_and_abort_on_failure(s3_disk):
    big = b"a" * PART_SIZE + b"b" * 1000
    await s3_disk.put_stream("big.bin", _chunks_of(big, 1024 * 1024))
    assert await s3_disk.get("big.bin") == big
    assert (await s3_disk.metadata("big.bin")).size == len(big)

    async def failing_big():
        async for chunk in _chunks_of(b"c" * (PART_SIZE * 2), 1024 * 1024):
            yield chunk
        raise Interrupted("dropped after two parts")

    with pytest.raises(Interrupted):
        await s3_disk.put_stream("big.bin", failing_big())
    assert await s3_disk.get("big.bin") == big
    client = await s3_disk._client()
    pending = await client.list_multipart_uploads(Bucket=s3_disk.bucket)
    assert pending.get("Uploads", []) == []


async def _chunks_of(data: bytes, size: int):
    for start in range(0, len(data), size):
        yield data[start : start + size]
