"""Every Disk method behaves the same on local, memory and S3."""

from __future__ import annotations

from datetime import datetime

import pytest

from foundry.domain.errors import NotFoundError
from foundry.domain.storage import Disk
from foundry.storage import NoPublicUrlError, StoredFileNotFoundError


async def test_disk_implements_the_domain_contract(disk):
    assert isinstance(disk, Disk)


@pytest.mark.parametrize("name", [n for n in dir(Disk) if not n.startswith("_")])
def test_every_disk_method_has_the_contract_s_exact_signature(name):
    import inspect

    from foundry.storage.disks.local import LocalDisk
    from foundry.storage.disks.memory import MemoryDisk
    from foundry.storage.disks.s3 import S3Disk

    def shape(function):
        signature = inspect.signature(function)
        text = [
            (p.name, p.kind, p.default, str(p.annotation).replace("builtins.", ""))
            for p in signature.parameters.values()
        ]
        return text, str(signature.return_annotation).replace("builtins.", "")

    for cls in (LocalDisk, MemoryDisk, S3Disk):
        assert shape(getattr(cls, name)) == shape(getattr(Disk, name)), f"{cls.__name__}.{name}"
    assert inspect.iscoroutinefunction(getattr(Disk, name)) == inspect.iscoroutinefunction(
        getattr(LocalDisk, name)
    )


async def test_put_then_get_round_trips_bytes(disk):
    assert await disk.put("docs/report.pdf", b"%PDF-1.7 data") == "docs/report.pdf"
    assert await disk.get("docs/report.pdf") == b"%PDF-1.7 data"


async def test_put_returns_the_normalised_path(disk):
    assert await disk.put("./a//b/./c.txt", b"x") == "a/b/c.txt"
    assert await disk.get("a/b/c.txt") == b"x"


async def test_put_replaces_existing_content(disk):
    await disk.put("note.txt", b"first version, longer")
    await disk.put("note.txt", b"second")
    assert await disk.get("note.txt") == b"second"


async def test_put_stores_empty_files(disk):
    await disk.put("empty.bin", b"")
    assert await disk.get("empty.bin") == b""
    assert (await disk.metadata("empty.bin")).size == 0


async def test_get_of_a_missing_file_is_not_found_naming_disk_and_path(disk):
    with pytest.raises(StoredFileNotFoundError) as caught:
        await disk.get("nope/missing.txt")
    assert isinstance(caught.value, NotFoundError)
    assert caught.value.status == 404
    assert f'Disk "{disk.name}"' in caught.value.message
    assert "nope/missing.txt" in caught.value.message


async def test_stream_yields_the_file_in_chunks(disk):
    content = bytes(range(256)) * 40  # 10240 bytes
    await disk.put("blob.bin", content)
    chunks = [chunk async for chunk in disk.stream("blob.bin", chunk_size=4096)]
    assert b"".join(chunks) == content
    assert len(chunks) >= 3
    assert all(len(chunk) <= 4096 for chunk in chunks)


async def test_stream_of_a_missing_file_raises_on_first_iteration(disk):
    stream = disk.stream("missing.bin")
    with pytest.raises(StoredFileNotFoundError):
        await anext(stream)


async def test_stream_refuses_a_non_positive_chunk_size(disk):
    with pytest.raises(ValueError, match="chunk_size"):
        disk.stream("x.bin", chunk_size=0)


async def test_put_stream_writes_all_chunks(disk):
    async def chunks():
        for index in range(5):
            yield f"part{index};".encode()

    assert await disk.put_stream("streamed.txt", chunks()) == "streamed.txt"
    assert await disk.get("streamed.txt") == b"part0;part1;part2;part3;part4;"


async def test_exists_is_true_only_for_files(disk):
    await disk.put("dir/file.txt", b"x")
    assert await disk.exists("dir/file.txt") is True
    assert await disk.exists("dir/other.txt") is False
    assert await disk.exists("dir") is False


async def test_delete_removes_a_file_and_reports_whether_it_existed(disk):
    await disk.put("gone.txt", b"x")
    assert await disk.delete("gone.txt") is True
    assert await disk.exists("gone.txt") is False
    assert await disk.delete("gone.txt") is False


async def test_copy_duplicates_and_keeps_the_source(disk):
    await disk.put("src/a.txt", b"alpha")
    await disk.put("dst/b.txt", b"old")
    await disk.copy("src/a.txt", "dst/b.txt")
    assert await disk.get("dst/b.txt") == b"alpha"
    assert await disk.get("src/a.txt") == b"alpha"
    await disk.copy("src/a.txt", "fresh/deep/c.txt")
    assert await disk.get("fresh/deep/c.txt") == b"alpha"


async def test_copy_of_a_missing_source_is_not_found_and_writes_nothing(disk):
    with pytest.raises(StoredFileNotFoundError):
        await disk.copy("missing.txt", "target.txt")
    assert await disk.exists("target.txt") is False


async def test_copy_onto_itself_keeps_the_file(disk):
    await disk.put("same.txt", b"same")
    await disk.copy("same.txt", "same.txt")
    assert await disk.get("same.txt") == b"same"


async def test_move_renames_and_replaces_the_target(disk):
    await disk.put("inbox/a.txt", b"alpha")
    await disk.put("archive/a.txt", b"old")
    await disk.move("inbox/a.txt", "archive/a.txt")
    assert await disk.get("archive/a.txt") == b"alpha"
    assert await disk.exists("inbox/a.txt") is False


async def test_move_of_a_missing_source_is_not_found(disk):
    with pytest.raises(StoredFileNotFoundError):
        await disk.move("missing.txt", "target.txt")
    assert await disk.exists("target.txt") is False


async def test_move_onto_itself_keeps_the_file(disk):
    await disk.put("stay.txt", b"stay")
    await disk.move("stay.txt", "stay.txt")
    assert await disk.get("stay.txt") == b"stay"


async def test_list_is_flat_by_default_and_recursive_on_request(disk):
    for path in ("top.txt", "a/one.txt", "a/two.txt", "a/deep/three.txt", "b/four.txt"):
        await disk.put(path, b"x")
    assert await disk.list() == ["top.txt"]
    assert await disk.list("a") == ["a/one.txt", "a/two.txt"]
    assert await disk.list("a", recursive=True) == ["a/deep/three.txt", "a/one.txt", "a/two.txt"]
    assert await disk.list(recursive=True) == [
        "a/deep/three.txt",
        "a/one.txt",
        "a/two.txt",
        "b/four.txt",
        "top.txt",
    ]
    assert await disk.list("a/") == ["a/one.txt", "a/two.txt"]


async def test_list_of_a_missing_directory_is_empty(disk):
    assert await disk.list("nothing-here") == []
    assert await disk.list("nothing-here", recursive=True) == []


async def test_list_does_not_mix_up_sibling_prefixes(disk):
    await disk.put("ab/x.txt", b"x")
    await disk.put("a/y.txt", b"y")
    assert await disk.list("a", recursive=True) == ["a/y.txt"]


async def test_metadata_reports_size_time_type_and_visibility(disk):
    await disk.put("images/logo.png", b"\x89PNG....")
    meta = await disk.metadata("images/logo.png")
    assert meta.path == "images/logo.png"
    assert meta.size == 8
    assert isinstance(meta.last_modified, datetime)
    assert meta.last_modified.tzinfo is not None
    assert meta.mime_type == "image/png"
    assert meta.visibility == disk.visibility


async def test_metadata_guesses_types_from_the_name(disk):
    for name, expected in (
        ("a.txt", "text/plain"),
        ("a.json", "application/json"),
        ("a.pdf", "application/pdf"),
        ("a.webp", "image/webp"),
        ("a.tar.gz", "application/gzip"),
    ):
        await disk.put(name, b"x")
        assert (await disk.metadata(name)).mime_type == expected


async def test_metadata_of_a_missing_file_is_not_found(disk):
    with pytest.raises(StoredFileNotFoundError):
        await disk.metadata("missing.txt")


async def test_private_disks_have_no_public_url(disk):
    with pytest.raises(NoPublicUrlError, match="temporary_url"):
        disk.url("a.txt")


async def test_temporary_url_points_at_the_signed_route(disk, clock):
    url = disk.temporary_url("docs/my report.pdf", 60)
    expires = int(clock.timestamp()) + 60
    assert url.startswith("https://app.test/storage/signed/docs/my%20report.pdf?")
    assert f"expires={expires}" in url
    assert "signature=" in url
    assert (f"disk={disk.name}" in url) is (disk.name != "local")
