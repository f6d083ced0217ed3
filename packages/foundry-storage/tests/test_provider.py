"""The provider: bindings, routes, the opt-in public route, shutdown."""

from __future__ import annotations

import httpx
import pytest

from foundry.application import Application, create_app
from foundry.domain.storage import Storage
from foundry.storage import StorageManager
from foundry.storage.provider import StorageServiceProvider

from .conftest import APP_URL, KEY


def test_storage_is_a_singleton_manager(base):
    app = Application(base, providers=[StorageServiceProvider], discover=False).boot()
    storage = app.make(Storage)
    assert isinstance(storage, StorageManager)
    assert isinstance(storage, Storage)
    assert app.make(Storage) is storage
    assert app.make(StorageManager) is storage


def test_the_command_is_registered(base):
    app = Application(base, providers=[StorageServiceProvider], discover=False).boot()
    assert app.commands.has("storage:link")


def test_the_provider_declares_what_it_provides():
    assert StorageServiceProvider.provides == (Storage,)
    assert StorageServiceProvider.commands == ("foundry.storage.commands:StorageLinkCommand",)


async def test_terminating_closes_the_disks(base, monkeypatch):
    app = Application(base, providers=[StorageServiceProvider], discover=False).boot()
    closed = []
    disk = app.make(Storage).disk("memory")

    async def aclose():
        closed.append(disk.name)

    monkeypatch.setattr(disk, "aclose", aclose)
    await app.terminate()
    assert closed == ["memory"]


@pytest.fixture
def public_api(base, monkeypatch):
    monkeypatch.setenv("APP_KEY", KEY)
    monkeypatch.setenv("STORAGE_SERVE_PUBLIC", "true")
    return create_app(base, providers=[StorageServiceProvider], discover=False)


async def get(api, path):
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url=APP_URL) as client:
        return await client.get(path)


async def test_public_files_are_not_served_by_default(base, monkeypatch):
    monkeypatch.setenv("APP_KEY", KEY)
    api = create_app(base, providers=[StorageServiceProvider], discover=False)
    await api.state.foundry.make(Storage).disk("public").put("a.txt", b"public")
    assert (await get(api, "/storage/a.txt")).status_code == 404


async def test_public_files_are_served_when_opted_in(public_api):
    await public_api.state.foundry.make(Storage).disk("public").put("css/site.css", b"body{}")
    response = await get(public_api, "/storage/css/site.css")
    assert response.status_code == 200
    assert response.content == b"body{}"
    assert response.headers["content-type"].startswith("text/css")
    assert "public" in response.headers["cache-control"]


async def test_the_public_route_answers_404_for_missing_and_unsafe_paths(public_api, base):
    (base / "storage" / "app").mkdir(parents=True)
    (base / "storage" / "app" / "private.txt").write_bytes(b"private")
    for path in ("/storage/missing.txt", "/storage/%2e%2e/private.txt"):
        response = await get(public_api, path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "FILE_NOT_FOUND"
        assert response.content != b"private"


async def test_private_disk_files_are_never_served_by_the_public_route(public_api):
    await public_api.state.foundry.make(Storage).disk("local").put("secret.txt", b"secret")
    assert (await get(public_api, "/storage/secret.txt")).status_code == 404


async def test_signed_links_still_work_with_the_public_route(public_api):
    storage = public_api.state.foundry.make(Storage)
    await storage.disk().put("private.txt", b"signed only")
    url = storage.disk().temporary_url("private.txt", 60)
    response = await get(public_api, url)
    assert response.status_code == 200
    assert response.content == b"signed only"
