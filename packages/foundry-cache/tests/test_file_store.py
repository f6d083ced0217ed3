"""The file store: hashed names, atomic writes, expiry in the header, pruning."""

from __future__ import annotations

import asyncio
import hashlib
import struct
from pathlib import Path

import pytest

from foundry.cache import FileStore, Repository, StoreUnavailableError
from foundry.domain.clock import FrozenClock


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def cache(tmp_path: Path, clock: FrozenClock) -> Repository:
    return Repository(FileStore(tmp_path / "data", prefix="app_", clock=clock))


def entry_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and ".locks" not in p.parts]


async def test_file_names_are_hashes_never_the_key(cache: Repository, tmp_path: Path) -> None:
    await cache.set("user:42:secret-token", "value")
    (path,) = entry_files(tmp_path / "data")
    assert path.name == hashlib.sha256(b"app_user:42:secret-token").hexdigest()
    assert "secret-token" not in str(path)
    assert path.parent.name == path.name[2:4]
    assert path.parent.parent.name == path.name[:2]


async def test_the_header_holds_the_expiry(
    cache: Repository, tmp_path: Path, clock: FrozenClock
) -> None:
    await cache.set("ttl", "v", 30)
    await cache.set("forever", "v")
    stored = {p.read_bytes()[4:12] for p in entry_files(tmp_path / "data")}
    assert stored == {
        struct.pack(">d", clock.timestamp() + 30),
        struct.pack(">d", 0.0),
    }
    assert all(p.read_bytes()[:4] == b"FCv1" for p in entry_files(tmp_path / "data"))


async def test_writes_are_atomic_readers_never_see_half_a_value(
    cache: Repository, tmp_path: Path
) -> None:
    values = [bytes([n]) * 200_000 for n in range(20)]

    async def read_many() -> set[bytes]:
        seen: set[bytes] = set()
        for _ in range(40):
            found = await cache.get("big")
            if found is not None:
                seen.add(found)
        return seen

    reader = asyncio.create_task(read_many())
    await asyncio.gather(*(cache.set("big", value) for value in values))
    assert (await reader) <= set(values)
    assert await cache.get("big") in values
    assert not list((tmp_path / "data").rglob(".tmp-*"))


async def test_a_damaged_file_reads_as_missing(cache: Repository, tmp_path: Path) -> None:
    await cache.set("key", "value")
    (path,) = entry_files(tmp_path / "data")
    path.write_bytes(b"garbage")
    assert await cache.get("key") is None
    assert await cache.add("key", "fresh")


async def test_prune_deletes_expired_files_and_counts_them(
    cache: Repository, tmp_path: Path, clock: FrozenClock
) -> None:
    await cache.set_many({"a": 1, "b": 2}, 10)
    await cache.set("kept", 3)
    assert await cache.store.prune() == 0  # type: ignore[attr-defined]
    clock.advance(10)
    assert await cache.store.prune() == 2  # type: ignore[attr-defined]
    assert len(entry_files(tmp_path / "data")) == 1
    assert await cache.get("kept") == 3


async def test_an_unusable_folder_is_reported_with_its_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cache = Repository(FileStore(blocker / "cache", name="files"))
    with pytest.raises(StoreUnavailableError, match=r'"files" at .*not-a-folder') as caught:
        await cache.set("key", "value")
    assert caught.value.status == 503


async def test_prefixes_live_in_separate_folders(tmp_path: Path) -> None:
    first = Repository(FileStore(tmp_path / "data", prefix="one_"))
    second = Repository(FileStore(tmp_path / "data", prefix="two_"))
    await first.set("key", 1)
    await second.set("key", 2)
    await first.flush()
    assert await first.get("key") is None
    assert await second.get("key") == 2
