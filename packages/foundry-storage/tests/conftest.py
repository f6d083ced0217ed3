"""Fixtures: an app root, a key, and one disk of each driver (S3 on a real moto server)."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from foundry.domain.clock import FrozenClock
from foundry.domain.config import MappingConfig
from foundry.storage import StorageManager
from foundry.storage.disks.base import BaseDisk

KEY = "base64:" + base64.b64encode(b"k" * 32).decode()
OTHER_KEY = "base64:" + base64.b64encode(b"o" * 32).decode()
APP_URL = "https://app.test"
ENV_NAMES = (
    "APP_KEY",
    "APP_URL",
    "APP_ENV",
    "FILESYSTEM_DISK",
    "STORAGE_LOCAL_ROOT",
    "STORAGE_PUBLIC_ROOT",
    "STORAGE_PUBLIC_URL",
    "STORAGE_SERVE_PUBLIC",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_BUCKET",
    "AWS_ENDPOINT",
    "AWS_USE_PATH_STYLE_ENDPOINT",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
)


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "app"
    root.mkdir()
    return root


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible HTTP server (moto in server mode) in a child process."""
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the moto S3 server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def s3_options(endpoint: str, bucket: str) -> dict[str, object]:
    return {
        "driver": "s3",
        "bucket": bucket,
        "region": "us-east-1",
        "key": "testing",
        "secret": "testing",
        "endpoint": endpoint,
        "use_path_style_endpoint": True,
    }


async def create_bucket(endpoint: str, bucket: str) -> None:
    from aiobotocore.session import get_session

    async with get_session().create_client(
        "s3",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ) as client:
        await client.create_bucket(Bucket=bucket)


def manager_for(base: Path, clock: FrozenClock, **storage: object) -> StorageManager:
    config = MappingConfig({"app": {"key": KEY, "url": APP_URL}, "storage": storage})
    return StorageManager(config, base_path=base, clock=clock)


@pytest.fixture
async def s3_disk(s3_endpoint: str, base: Path, clock: FrozenClock) -> AsyncIterator[BaseDisk]:
    """An S3 disk on a fresh bucket of the moto server."""
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    await create_bucket(s3_endpoint, bucket)
    manager = manager_for(base, clock, disks={"s3": s3_options(s3_endpoint, bucket)})
    yield manager.disk("s3")
    await manager.aclose()


@pytest.fixture(params=["local", "memory", "s3"])
async def disk(
    request: pytest.FixtureRequest, base: Path, clock: FrozenClock
) -> AsyncIterator[BaseDisk]:
    """The same disk contract on every driver."""
    disks: dict[str, object] = {}
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = f"test-{uuid.uuid4().hex[:12]}"
        await create_bucket(endpoint, bucket)
        disks["s3"] = s3_options(endpoint, bucket)
    manager = manager_for(base, clock, disks=disks)
    chosen = manager.disk(request.param)
    yield chosen
    await manager.aclose()
