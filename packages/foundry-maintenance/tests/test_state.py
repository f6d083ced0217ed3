"""Where the state lives and what it holds: a file, or one key of the shared cache."""

from __future__ import annotations

import hashlib
import json

from foundry.domain.clock import FrozenClock
from foundry.maintenance import (
    CACHE_KEY,
    CacheStateStore,
    FileStateStore,
    MaintenanceMode,
    MaintenanceState,
)
from foundry.maintenance.state import DEFAULT_MESSAGE


async def test_file_state_is_json_with_the_secret_hashed_and_written_atomically(tmp_path):
    path = tmp_path / "storage" / "framework" / "down"
    mode = MaintenanceMode(FileStateStore(path), FrozenClock())
    await mode.down(message="Upgrading", secret="let-me-in", allowed=["10.0.0.0/8"])
    stored = json.loads(path.read_text())
    assert stored["message"] == "Upgrading"
    assert stored["secret_hash"] == hashlib.sha256(b"let-me-in").hexdigest()
    assert "let-me-in" not in path.read_text()
    assert stored["allowed"] == ["10.0.0.0/8"]
    assert stored["retry"] == 60
    assert sorted(p.name for p in path.parent.iterdir()) == ["down"]  # no temp file left


async def test_file_state_round_trips_and_up_removes_it(tmp_path):
    store = FileStateStore(tmp_path / "down")
    assert await store.read() is None
    state = MaintenanceState(since=1.0, message="m", retry=30, refresh=5, template="x.html")
    await store.write(state)
    assert await store.read() == state
    assert await store.clear() is True
    assert await store.read() is None
    assert await store.clear() is False


async def test_a_damaged_state_file_still_means_down(tmp_path):
    path = tmp_path / "down"
    path.write_text("{not json")
    state = await FileStateStore(path).read()
    assert state is not None
    assert state.message == DEFAULT_MESSAGE


async def test_cache_state_is_one_key_without_expiry(kit):
    cache = kit.CacheFake()
    mode = MaintenanceMode(CacheStateStore(cache), FrozenClock())
    await mode.down(message="Moving datacentre", retry=120)
    assert list(cache.data) == [CACHE_KEY] == ["foundry:maintenance"]
    assert cache.ttls[CACHE_KEY] is None
    assert json.loads(cache.data[CACHE_KEY])["message"] == "Moving datacentre"
    assert (await mode.state()).retry == 120
    assert await mode.up() is True
    assert cache.data == {}
    assert await mode.up() is False


async def test_down_when_already_down_updates_the_terms_and_keeps_the_start_time(kit):
    clock = FrozenClock()
    mode = MaintenanceMode(CacheStateStore(kit.CacheFake()), clock)
    first = await mode.down(message="first")
    clock.advance(300)
    second = await mode.down(message="second", secret="s3cret")
    assert first.was_down is False
    assert second.was_down is True
    assert second.state.since == first.state.since
    assert second.state.message == "second"
    assert second.state.secret_matches("s3cret")
    assert not second.state.secret_matches("s3cre")


def test_the_mode_uses_the_cache_when_one_is_bound_and_a_file_otherwise(make_app, kit, base):
    with_cache = make_app(kit.Bind(cache=kit.CacheFake())).make(MaintenanceMode)
    assert isinstance(with_cache.store, CacheStateStore)
    without = make_app().make(MaintenanceMode)
    assert isinstance(without.store, FileStateStore)
    assert without.store.path == base / "storage" / "framework" / "down"


def test_described_state_never_carries_the_secret_hash():
    state = MaintenanceState(since=0, secret_hash="ab" * 32, allowed=("::1",))
    described = state.describe()
    assert "secret_hash" not in described
    assert described["secret"] is True
    assert described["since"] == "1970-01-01T00:00:00+00:00"
