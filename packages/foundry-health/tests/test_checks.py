"""The shipped checks against real services and real failures."""

from __future__ import annotations

import shutil
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from foundry.domain.health import HealthCheck, HealthStatus
from foundry.domain.queue import JobEnvelope
from foundry.health import (
    CacheCheck,
    DatabaseCheck,
    DiskCheck,
    HealthRunner,
    MemoryCheck,
    QueueCheck,
    RedisCheck,
    Threshold,
)
from foundry.health.checks.redis import mask_url

Usage = namedtuple("Usage", "total used free")
GB = 1000**3


# --- database --------------------------------------------------------------------------


async def test_database_check_fails_when_the_database_cannot_be_reached(kit, closed_port):
    check = DatabaseCheck(kit.TcpDatabase("127.0.0.1", closed_port))
    assert isinstance(check, HealthCheck)
    report = await HealthRunner([check]).run()
    entry = report.get("database")
    assert entry.status is HealthStatus.FAILED
    assert entry.result.message.startswith(f"Database at 127.0.0.1:{closed_port} is unreachable")
    assert entry.result.details == {"error": "ServiceUnavailableError"}
    assert not report.healthy


async def test_database_check_passes_when_the_server_answers(kit, open_port):
    report = await HealthRunner([DatabaseCheck(kit.TcpDatabase("127.0.0.1", open_port))]).run()
    entry = report.get("database")
    assert entry.status is HealthStatus.OK
    assert entry.result.details["dialect"] == "postgresql"
    assert "***" in entry.result.details["url"]


# --- cache -----------------------------------------------------------------------------


async def test_cache_check_round_trips_a_random_key_and_leaves_nothing_behind(kit):
    cache = kit.CacheFake()
    report = await HealthRunner([CacheCheck(cache)]).run()
    assert report.get("cache").status is HealthStatus.OK
    assert cache.data == {}


async def test_cache_check_fails_when_the_store_loses_what_it_was_given(kit):
    class Forgetful(kit.CacheFake):
        async def set(self, key, value, ttl=None):
            return None

    report = await HealthRunner([CacheCheck(Forgetful())]).run()
    entry = report.get("cache")
    assert entry.status is HealthStatus.FAILED
    assert entry.result.message == "the cache did not return the value just written to it"


async def test_cache_check_reports_a_store_error(kit):
    class Down(kit.CacheFake):
        async def set(self, key, value, ttl=None):
            raise ConnectionRefusedError(111, "Connection refused")

    entry = (await HealthRunner([CacheCheck(Down())]).run()).get("cache")
    assert entry.status is HealthStatus.FAILED
    assert entry.result.message == "ConnectionRefusedError: [Errno 111] Connection refused"


# --- redis -----------------------------------------------------------------------------


async def test_redis_check_pings_the_local_server(local_redis):
    entry = (await HealthRunner([RedisCheck(local_redis)]).run()).get("redis")
    assert entry.status is HealthStatus.OK, entry.result.message
    assert entry.result.message.startswith("PONG from Redis ")
    assert entry.result.details["url"] == local_redis


async def test_redis_check_fails_against_a_closed_port(closed_port):
    url = f"redis://:hunter2@127.0.0.1:{closed_port}/0"
    entry = (await HealthRunner([RedisCheck(url)]).run()).get("redis")
    assert entry.status is HealthStatus.FAILED
    assert entry.critical
    assert str(closed_port) in entry.result.message
    assert "hunter2" not in entry.result.message


async def test_redis_check_without_redis_py_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    entry = (await HealthRunner([RedisCheck("redis://127.0.0.1:6379/0")]).run()).get("redis")
    assert entry.status is HealthStatus.FAILED
    assert entry.result.message == (
        "The redis health check needs a package that is not installed: "
        "pip install 'foundry-health[redis]'"
    )


def test_redis_urls_are_reported_without_their_password():
    assert mask_url("redis://:s3cret@cache:6380/1") == "redis://:***@cache:6380/1"
    assert mask_url("redis://cache:6379") == "redis://cache:6379"


# --- queue -----------------------------------------------------------------------------


async def test_queue_check_reads_the_default_queue_size(kit):
    queue = kit.ListQueue()
    for number in range(3):
        await queue.push(JobEnvelope(id=str(number), job="app.jobs:Send", payload={}))
    entry = (await HealthRunner([QueueCheck(queue)]).run()).get("queue")
    assert entry.status is HealthStatus.OK
    assert entry.result.details["size"] == 3
    assert entry.result.message == "3 jobs waiting on 'default'"
    assert not entry.critical


# --- disk ------------------------------------------------------------------------------


def disk(tmp_path: Path, min_free: str = "1GB", critical_free: str = "100MB") -> DiskCheck:
    return DiskCheck(
        tmp_path / "storage",
        min_free=Threshold.parse(min_free),
        critical_free=Threshold.parse(critical_free),
    )


@pytest.mark.parametrize(
    ("free", "status"),
    [
        (50 * GB, HealthStatus.OK),
        (GB, HealthStatus.OK),
        (GB - 1, HealthStatus.DEGRADED),
        (100 * 1000**2, HealthStatus.DEGRADED),
        (100 * 1000**2 - 1, HealthStatus.FAILED),
        (0, HealthStatus.FAILED),
    ],
)
async def test_disk_thresholds(tmp_path, monkeypatch, free, status):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(100 * GB, 100 * GB - free, free))
    entry = (await HealthRunner([disk(tmp_path)]).run()).get("disk")
    assert entry.status is status
    assert entry.result.details["free_bytes"] == free


async def test_disk_messages_name_the_variable_to_adjust(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(100 * GB, 0, GB // 2))
    degraded = (await HealthRunner([disk(tmp_path)]).run()).get("disk")
    assert degraded.result.message == (
        "500.0 MB free of 100.0 GB (0.5%), below 1GB (HEALTH_DISK_MIN_FREE)"
    )
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(100 * GB, 0, 1000))
    failed = (await HealthRunner([disk(tmp_path)]).run()).get("disk")
    assert failed.result.message.endswith("below the critical 100MB (HEALTH_DISK_CRITICAL_FREE)")
    assert not (await HealthRunner([disk(tmp_path)]).run()).healthy


async def test_disk_thresholds_can_be_percentages(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(1000, 0, 90))
    check = disk(tmp_path, min_free="10%", critical_free="5%")
    assert (await HealthRunner([check]).run()).get("disk").status is HealthStatus.DEGRADED
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(1000, 0, 40))
    assert (await HealthRunner([check]).run()).get("disk").status is HealthStatus.FAILED


async def test_disk_check_measures_the_real_disk_of_a_storage_folder_not_yet_created(tmp_path):
    check = disk(tmp_path, min_free="0", critical_free="0")
    entry = (await HealthRunner([check]).run()).get("disk")
    assert entry.status is HealthStatus.OK
    assert entry.result.details["total_bytes"] == shutil.disk_usage(tmp_path).total


@pytest.mark.parametrize(
    ("text", "problem"),
    [("lots", "is not a size"), ("10 parsecs", "is not a size"), ("150%", "above 100%")],
)
def test_malformed_thresholds_are_refused(text, problem):
    with pytest.raises(ValueError, match=problem):
        Threshold.parse(text)


def test_threshold_units():
    assert Threshold.parse("2GiB").of(0) == 2 * 1024**3
    assert Threshold.parse("500MB").of(0) == 500 * 1000**2
    assert Threshold.parse("1048576").of(0) == 1048576
    assert Threshold.parse("25%").of(400) == 100


# --- memory ----------------------------------------------------------------------------


async def test_memory_check_reads_the_real_process_and_system():
    entry = (await HealthRunner([MemoryCheck(max_used=100)]).run()).get("memory")
    assert entry.status is HealthStatus.OK
    assert entry.result.details["rss_bytes"] > 0
    assert 0 < entry.result.details["available_bytes"] <= entry.result.details["total_bytes"]


async def test_memory_check_is_degraded_when_the_process_passes_its_limit():
    entry = (await HealthRunner([MemoryCheck(max_rss=Threshold.parse("1KB"))]).run()).get("memory")
    assert entry.status is HealthStatus.DEGRADED
    assert "process above 1KB (HEALTH_MEMORY_MAX_RSS)" in entry.result.message
    assert not entry.critical


def test_memory_check_is_degraded_above_the_system_threshold():
    check = MemoryCheck(max_used=90)
    assert check.evaluate(rss=10, available=11 * GB, total=100 * GB).status is HealthStatus.OK
    high = check.evaluate(rss=10, available=9 * GB, total=100 * GB)
    assert high.status is HealthStatus.DEGRADED
    assert "system use above 90% (HEALTH_MEMORY_MAX_USED)" in high.message
