"""Path traversal is refused before anything is read or written, on every disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from foundry.domain.errors import ValidationError
from foundry.storage import LocalDisk, UnsafePathError

ATTACKS = {
    "parent": "../secret.txt",
    "nested-parent": "uploads/../../secret.txt",
    "parent-at-end": "uploads/..",
    "absolute": "/etc/passwd",
    "nul-byte": "avatar.png\x00.txt",
    "backslash": "..\\secret.txt",
    "backslash-inside": "uploads\\avatar.png",
    "windows-drive": "C:/Windows/win.ini",
}


def _operations(disk, path):
    async def chunks():
        yield b"x"

    return {
        "put": lambda: disk.put(path, b"owned"),
        "put_stream": lambda: disk.put_stream(path, chunks()),
        "get": lambda: disk.get(path),
        "exists": lambda: disk.exists(path),
        "delete": lambda: disk.delete(path),
        "copy-from": lambda: disk.copy(path, "safe.txt"),
        "copy-to": lambda: disk.copy("safe.txt", path),
        "move-from": lambda: disk.move(path, "safe.txt"),
        "move-to": lambda: disk.move("safe.txt", path),
        "list": lambda: disk.list(path),
        "metadata": lambda: disk.metadata(path),
    }


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
async def test_every_operation_refuses_unsafe_paths_and_changes_nothing(disk, attack):
    await disk.put("safe.txt", b"untouched")
    for operation, call in _operations(disk, attack).items():
        with pytest.raises(UnsafePathError) as caught:
            await call()
        error = caught.value
        assert isinstance(error, ValidationError), operation
        assert error.status == 422
        assert error.context["disk"] == disk.name
        assert repr(attack.replace("\x00", "\\x00")) in error.message, operation
        assert error.fields == {"path": [error.reason]}
    assert await disk.get("safe.txt") == b"untouched"
    assert await disk.list(recursive=True) == ["safe.txt"]


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
async def test_stream_and_urls_refuse_unsafe_paths_at_once(disk, attack):
    with pytest.raises(UnsafePathError):
        disk.stream(attack)
    with pytest.raises(UnsafePathError):
        disk.temporary_url(attack, 60)


async def test_empty_path_names_no_file(disk):
    for path in ("", ".", "./", ".//."):
        with pytest.raises(UnsafePathError, match="names no file"):
            await disk.put(path, b"x")
    assert await disk.list() == []


async def test_parent_escape_never_reaches_the_filesystem(base, tmp_path):
    root = base / "storage" / "app"
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"top secret")
    disk = LocalDisk("local", root)
    with pytest.raises(UnsafePathError):
        await disk.put("../../../secret.txt", b"owned")
    with pytest.raises(UnsafePathError):
        await disk.get("../../../secret.txt")
    assert secret.read_bytes() == b"top secret"
    assert not root.exists()  # not even the root folder was created


@pytest.fixture
def escaped(base: Path, tmp_path: Path):
    """A local disk whose root holds a file link and a folder link leading outside it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"top secret")
    root = base / "storage" / "app"
    root.mkdir(parents=True)
    os.symlink(outside / "secret.txt", root / "leak.txt")
    os.symlink(outside, root / "escape", target_is_directory=True)
    (root / "inside.txt").write_bytes(b"inside")
    os.symlink(root / "inside.txt", root / "alias.txt")
    return LocalDisk("local", root), outside


@pytest.mark.parametrize("path", ["leak.txt", "escape/secret.txt", "escape/new.txt", "escape"])
async def test_symlinks_leading_outside_the_root_are_refused(escaped, path):
    disk, outside = escaped
    for operation, call in _operations(disk, path).items():
        if operation.endswith(("-to", "-from")):
            continue  # safe.txt does not exist here; the from/to checks follow below
        with pytest.raises(UnsafePathError, match="symlink") as caught:
            await call()
        assert path in caught.value.message, operation
    with pytest.raises(UnsafePathError):
        await anext(disk.stream(path))
    with pytest.raises(UnsafePathError):
        await disk.copy("inside.txt", path)
    with pytest.raises(UnsafePathError):
        await disk.move("inside.txt", path)
    assert (outside / "secret.txt").read_bytes() == b"top secret"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (disk.root / "inside.txt").read_bytes() == b"inside"


async def test_symlinks_inside_the_root_are_followed(escaped):
    disk, _ = escaped
    assert await disk.get("alias.txt") == b"inside"
    assert (await disk.metadata("alias.txt")).size == 6


async def test_listing_skips_links_that_leave_the_root(escaped):
    disk, _ = escaped
    assert await disk.list() == ["alias.txt", "inside.txt"]
    assert await disk.list(recursive=True) == ["alias.txt", "inside.txt"]


async def test_deleting_an_inner_link_removes_the_link_not_its_target(escaped):
    disk, _ = escaped
    assert await disk.delete("alias.txt") is True
    assert not (disk.root / "alias.txt").is_symlink()
    assert (disk.root / "inside.txt").read_bytes() == b"inside"
