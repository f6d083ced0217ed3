"""Disks from env variables and from storage.disks in config."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.application import Application
from foundry.domain.env import resolve_env
from foundry.domain.errors import ConfigurationError
from foundry.domain.storage import Storage
from foundry.storage import (
    DiskConfigurationError,
    LocalDisk,
    MemoryDisk,
    StorageManager,
)
from foundry.storage.disks.s3 import S3Disk
from foundry.storage.provider import StorageServiceProvider

from .conftest import APP_URL, KEY, create_bucket, manager_for

DECLARED = {
    "FILESYSTEM_DISK": "storage.default",
    "STORAGE_LOCAL_ROOT": "storage.local_root",
    "STORAGE_PUBLIC_ROOT": "storage.public_root",
    "STORAGE_PUBLIC_URL": "storage.public_url",
    "STORAGE_SERVE_PUBLIC": "storage.serve_public",
    "AWS_ACCESS_KEY_ID": "storage.s3.key",
    "AWS_SECRET_ACCESS_KEY": "storage.s3.secret",
    "AWS_DEFAULT_REGION": "storage.s3.region",
    "AWS_BUCKET": "storage.s3.bucket",
    "AWS_ENDPOINT": "storage.s3.endpoint",
    "AWS_USE_PATH_STYLE_ENDPOINT": "storage.s3.use_path_style_endpoint",
}


def boot(base: Path) -> Application:
    return Application(base, providers=[StorageServiceProvider], discover=False).boot()


def test_every_variable_is_declared_with_its_config_key():
    declared = {var.name: var for var in StorageServiceProvider.env}
    assert {name: var.key for name, var in declared.items()} == DECLARED
    assert declared["AWS_SECRET_ACCESS_KEY"].secret is True
    assert all(var.description for var in declared.values())


def test_malformed_variables_are_reported_not_guessed():
    values, problems = resolve_env(
        StorageServiceProvider.env,
        {"AWS_USE_PATH_STYLE_ENDPOINT": "maybe", "STORAGE_PUBLIC_URL": "nope", "AWS_BUCKET": "b"},
    )
    assert values == {"storage.s3.bucket": "b"}
    assert sorted(p.name for p in problems) == ["AWS_USE_PATH_STYLE_ENDPOINT", "STORAGE_PUBLIC_URL"]


def test_default_disks_follow_laravel(base, clock):
    storage = manager_for(base, clock)
    assert storage.names() == ["local", "memory", "public"]
    assert storage.default == "local"
    local, public = storage.disk("local"), storage.disk("public")
    assert isinstance(local, LocalDisk)
    assert isinstance(public, LocalDisk)
    assert local.root == (base / "storage" / "app").resolve()
    assert public.root == (base / "storage" / "app" / "public").resolve()
    assert (local.visibility, public.visibility) == ("private", "public")
    assert public.url("avatars/me.png") == f"{APP_URL}/storage/avatars/me.png"
    assert storage.disk() is local
    assert isinstance(storage.disk("memory"), MemoryDisk)


async def test_disks_are_built_once_and_keep_their_state(base, clock):
    storage = manager_for(base, clock)
    await storage.disk("memory").put("kept.txt", b"x")
    assert storage.disk("memory") is storage.disk("memory")
    assert await storage.disk("memory").exists("kept.txt")


async def test_env_variables_configure_the_disks(base, monkeypatch, tmp_path):
    outside = tmp_path / "elsewhere"
    monkeypatch.setenv("APP_URL", APP_URL)
    monkeypatch.setenv("FILESYSTEM_DISK", "public")
    monkeypatch.setenv("STORAGE_LOCAL_ROOT", "var/files")
    monkeypatch.setenv("STORAGE_PUBLIC_ROOT", str(outside))
    monkeypatch.setenv("STORAGE_PUBLIC_URL", "https://cdn.test/media/")
    storage = boot(base).make(Storage)
    assert storage.disk().name == "public"
    assert storage.disk("local").root == (base / "var" / "files").resolve()
    assert storage.disk("public").root == outside.resolve()
    assert storage.disk().url("a b.png") == "https://cdn.test/media/a%20b.png"
    await storage.disk("local").put("x.txt", b"x")
    assert (base / "var" / "files" / "x.txt").read_bytes() == b"x"


async def test_aws_variables_give_a_working_s3_disk(base, monkeypatch, s3_endpoint):
    await create_bucket(s3_endpoint, "from-env")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_BUCKET": "from-env",
        "AWS_ENDPOINT": s3_endpoint,
        "AWS_USE_PATH_STYLE_ENDPOINT": "true",
        "FILESYSTEM_DISK": "s3",
    }.items():
        monkeypatch.setenv(name, value)
    storage = boot(base).make(Storage)
    disk = storage.disk()
    assert isinstance(disk, S3Disk)
    assert (disk.bucket, disk.region, disk.path_style) == ("from-env", "eu-west-1", True)
    await disk.put("hello.txt", b"hi")
    assert await disk.get("hello.txt") == b"hi"
    await storage.aclose()


def test_no_s3_disk_without_a_bucket(base, clock):
    storage = manager_for(base, clock)
    with pytest.raises(DiskConfigurationError, match='No disk is named "s3"'):
        storage.disk("s3")


async def test_config_defines_more_disks(base, clock, s3_endpoint):
    await create_bucket(s3_endpoint, "backups")
    storage = StorageManager(
        {
            "app": {"key": KEY, "url": APP_URL},
            "storage": {
                "s3": {
                    "key": "testing",
                    "secret": "testing",
                    "endpoint": s3_endpoint,
                    "use_path_style_endpoint": "true",
                },
                "disks": {
                    "uploads": {"driver": "local", "root": "storage/uploads"},
                    "scratch": {"driver": "memory", "url": "https://scratch.test"},
                    "backups": {"driver": "s3", "bucket": "backups", "root": "nightly"},
                },
            },
        },
        base_path=base,
        clock=clock,
    )
    assert storage.names() == ["backups", "local", "memory", "public", "scratch", "uploads"]
    uploads = storage.disk("uploads")
    await uploads.put("a.txt", b"upload")
    assert (base / "storage" / "uploads" / "a.txt").read_bytes() == b"upload"
    assert storage.disk("scratch").url("x.txt") == "https://scratch.test/x.txt"
    backups = storage.disk("backups")
    await backups.put("db.sql", b"dump")  # credentials fall back to the AWS_* settings
    assert await backups.list() == ["db.sql"]
    client = await backups._client()
    listed = await client.list_objects_v2(Bucket="backups")
    assert [o["Key"] for o in listed["Contents"]] == ["nightly/db.sql"]
    await storage.aclose()


def test_config_can_replace_a_builtin_disk(base, clock):
    storage = manager_for(base, clock, disks={"public": {"driver": "memory", "url": "https://x"}})
    assert isinstance(storage.disk("public"), MemoryDisk)


async def test_config_set_through_the_application(base, monkeypatch):
    app = boot(base)
    app.config.set("storage.disks", {"media": {"driver": "local", "root": "media"}})
    storage = app.make(Storage)
    await storage.disk("media").put("m.txt", b"m")
    assert (base / "media" / "m.txt").exists()


@pytest.mark.parametrize(
    ("disks", "message"),
    [
        ({"bad": {"driver": "ftp"}}, "driver 'ftp'; set storage.disks.bad.driver to one of"),
        ({"bad": {"root": "x"}}, "driver None"),
        ({"bad": {"driver": "local"}}, "has no root"),
        ({"bad": {"driver": "local", "root": "x", "roots": "y"}}, "unknown option(s) roots"),
        ({"bad": {"driver": "memory", "visibility": "secret"}}, "visibility must be"),
        ({"bad": {"driver": "s3"}}, "has no bucket"),
        ({"bad": "local"}, "must be a table"),
    ],
)
def test_bad_disk_definitions_say_what_to_fix(base, clock, disks, message):
    storage = manager_for(base, clock, disks=disks)
    with pytest.raises(ConfigurationError) as caught:
        storage.disk("bad")
    assert message in caught.value.message
    assert '"bad"' in caught.value.message or "storage.disks.bad" in caught.value.message


def test_an_unknown_disk_lists_the_configured_ones(base, clock):
    storage = manager_for(base, clock)
    with pytest.raises(DiskConfigurationError) as caught:
        storage.disk("uploads")
    assert caught.value.message.startswith(
        'No disk is named "uploads". Configured disks: local, memory, public.'
    )


def test_a_bad_default_disk_points_at_filesystem_disk(base, clock):
    storage = manager_for(base, clock, default="nas")
    with pytest.raises(DiskConfigurationError, match="FILESYSTEM_DISK"):
        storage.disk()


def test_storage_disks_must_be_a_table(base, clock):
    storage = manager_for(base, clock, disks=["local"])
    with pytest.raises(DiskConfigurationError, match=r"storage\.disks must be a table"):
        storage.disk("local")


async def test_custom_drivers_can_be_added(base, clock):
    storage = manager_for(base, clock, disks={"cache": {"driver": "ram", "url": "https://c"}})

    def ram(name, options, context):
        return MemoryDisk(name, url=options["url"], signer=context.signer, clock=context.clock)

    storage.extend("ram", ram)
    await storage.disk("cache").put("a.txt", b"x")
    assert storage.disk("cache").url("a.txt") == "https://c/a.txt"


def test_s3_public_urls_follow_the_endpoint_style():
    def url(**options):
        return S3Disk("s3", bucket="media", visibility="public", **options).url("a/b.png")

    assert url() == "https://media.s3.us-east-1.amazonaws.com/a/b.png"
    assert url(region="eu-west-3") == "https://media.s3.eu-west-3.amazonaws.com/a/b.png"
    assert url(endpoint="http://minio:9000", use_path_style_endpoint=True) == (
        "http://minio:9000/media/a/b.png"
    )
    assert url(endpoint="https://r2.test") == "https://media.r2.test/a/b.png"
    assert url(root="site") == "https://media.s3.us-east-1.amazonaws.com/site/a/b.png"
    assert url(url="https://cdn.test") == "https://cdn.test/a/b.png"


def test_forget_rebuilds_disks_from_current_config(base, clock):
    storage = manager_for(base, clock)
    first = storage.disk("memory")
    storage.forget("memory")
    assert storage.disk("memory") is not first
    storage.forget()
    assert repr(storage) == "<StorageManager default='local' built=[]>"
