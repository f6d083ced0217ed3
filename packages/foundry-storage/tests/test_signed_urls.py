"""Temporary signed URLs through the real route: create_app + httpx, with a frozen clock."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from foundry.application import create_app
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.storage import Storage
from foundry.storage import MissingAppKeyError
from foundry.storage.provider import StorageServiceProvider

from .conftest import APP_URL, KEY, OTHER_KEY


@pytest.fixture
def api(base, monkeypatch, clock):
    monkeypatch.setenv("APP_KEY", KEY)
    monkeypatch.setenv("APP_URL", APP_URL)
    api = create_app(base, providers=[StorageServiceProvider], discover=False)
    api.state.foundry.instance(Clock, clock)
    return api


@pytest.fixture
def storage(api):
    return api.state.foundry.make(Storage)


@pytest.fixture
async def client(api):
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url=APP_URL) as client:
        yield client


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


def assert_forbidden(response: httpx.Response, code: str) -> dict:
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == code
    assert error["status"] == 403
    return error


async def test_a_valid_link_serves_the_file_with_its_type(storage, client):
    await storage.disk().put("reports/q1 summary.pdf", b"%PDF-1.7 quarterly")
    url = storage.disk().temporary_url("reports/q1 summary.pdf", 300)
    response = await client.get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 quarterly"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(b"%PDF-1.7 quarterly"))
    assert response.headers["content-disposition"].startswith('inline; filename="q1 summary.pdf"')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "sandbox"
    assert "no-store" in response.headers["cache-control"]


async def test_the_link_has_the_documented_shape(storage, clock):
    url = storage.disk().temporary_url("a/b.txt", 60)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{APP_URL}/storage/signed/a/b.txt"
    assert query["expires"] == [str(int(clock.timestamp()) + 60)]
    assert len(query["signature"][0]) == 64  # hex SHA-256


async def test_valid_until_expiry_and_rejected_one_second_after(storage, client, clock):
    await storage.disk().put("invoice.txt", b"due")
    url = storage.disk().temporary_url("invoice.txt", 600)
    assert (await client.get(url)).status_code == 200
    clock.advance(600)  # exactly at the expiry time: still valid
    assert (await client.get(url)).status_code == 200
    clock.advance(1)
    error = assert_forbidden(await client.get(url), "URL_EXPIRED")
    assert error["message"] == "This link expired at 2026-01-01 00:10:00 UTC. Ask for a new link."
    assert error["context"] == {"expired_at": int(clock.timestamp()) - 1}


async def test_a_tampered_path_is_rejected_as_tampering(storage, client):
    await storage.disk().put("public-report.txt", b"fine")
    await storage.disk().put("salaries.txt", b"secret")
    url = storage.disk().temporary_url("public-report.txt", 60)
    tampered = with_path(url, "/storage/signed/salaries.txt")
    error = assert_forbidden(await client.get(tampered), "INVALID_SIGNATURE")
    assert "signature is invalid" in error["message"]
    assert "secret" not in (await client.get(tampered)).text


async def test_a_tampered_expiry_is_tampering_not_expiry(storage, client, clock):
    await storage.disk().put("a.txt", b"x")
    url = storage.disk().temporary_url("a.txt", 60)
    clock.advance(120)
    assert_forbidden(await client.get(url), "URL_EXPIRED")
    extended = with_query(url, expires=str(int(clock.timestamp()) + 3600))
    assert_forbidden(await client.get(extended), "INVALID_SIGNATURE")


async def test_expired_and_tampered_links_get_different_messages(storage, client, clock):
    await storage.disk().put("a.txt", b"x")
    url = storage.disk().temporary_url("a.txt", 60)
    tampered = assert_forbidden(
        await client.get(with_query(url, signature="0" * 64)), "INVALID_SIGNATURE"
    )
    clock.advance(61)
    expired = assert_forbidden(await client.get(url), "URL_EXPIRED")
    assert tampered["message"] != expired["message"]


async def test_a_link_signed_with_another_key_is_rejected(api, storage, client):
    await storage.disk().put("a.txt", b"x")
    url = storage.disk().temporary_url("a.txt", 60)
    api.state.foundry.config.set("app.key", OTHER_KEY)  # the key was rotated
    assert_forbidden(await client.get(url), "INVALID_SIGNATURE")


@pytest.mark.parametrize("drop", ["signature", "expires"])
async def test_a_link_missing_a_field_is_rejected(storage, client, drop):
    await storage.disk().put("a.txt", b"x")
    parts = urlsplit(storage.disk().temporary_url("a.txt", 60))
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != drop}
    url = urlunsplit(parts._replace(query=urlencode(query)))
    assert_forbidden(await client.get(url), "INVALID_SIGNATURE")


async def test_garbage_fields_are_rejected(storage, client):
    await storage.disk().put("a.txt", b"x")
    url = storage.disk().temporary_url("a.txt", 60)
    for changes in ({"expires": "soon"}, {"expires": "9" * 40}, {"signature": "zz\u00e9"}):
        assert_forbidden(await client.get(with_query(url, **changes)), "INVALID_SIGNATURE")


async def test_download_links_are_attachments_and_the_flag_is_signed(storage, client):
    await storage.disk().put("exports/ünïcode list.csv", b"a,b\n")
    url = storage.disk().temporary_url("exports/ünïcode list.csv", 60, download=True)
    response = await client.get(url)
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="_n_code list.csv"')
    assert "filename*=UTF-8''%C3%BCn%C3%AFcode%20list.csv" in disposition
    assert response.headers["content-type"].startswith("text/csv")

    inline = storage.disk().temporary_url("exports/ünïcode list.csv", 60)
    assert_forbidden(await client.get(with_query(inline, download="1")), "INVALID_SIGNATURE")


async def test_links_to_other_disks_name_the_disk_and_it_is_signed(storage, client):
    await storage.disk("memory").put("tmp/report.txt", b"from memory")
    await storage.disk("local").put("tmp/report.txt", b"from local")
    url = storage.disk("memory").temporary_url("tmp/report.txt", 60)
    assert "disk=memory" in url
    response = await client.get(url)
    assert response.content == b"from memory"
    assert_forbidden(await client.get(with_query(url, disk="local")), "INVALID_SIGNATURE")


async def test_a_valid_link_to_a_missing_file_is_404(storage, client):
    url = storage.disk().temporary_url("never-written.txt", 60)
    response = await client.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "FILE_NOT_FOUND"


async def test_large_files_stream_completely(storage, client):
    content = bytes(range(256)) * 2048  # 512 KiB, several chunks
    await storage.disk().put("big.bin", content)
    async with client.stream("GET", storage.disk().temporary_url("big.bin", 60)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/octet-stream"
        received = b"".join([chunk async for chunk in response.aiter_bytes()])
    assert received == content


async def test_traversal_in_a_signed_route_is_refused(storage, client):
    url = storage.disk().temporary_url("a.txt", 60)
    sneaky = url.replace("/storage/signed/a.txt", "/storage/signed/%2e%2e/%2e%2e/etc/passwd")
    response = await client.get(sneaky)
    assert_forbidden(response, "INVALID_SIGNATURE")  # nothing unsafe is ever signed
    assert "root:" not in response.text


async def test_missing_app_key_tells_to_run_key_generate(base, monkeypatch):
    monkeypatch.setenv("APP_URL", APP_URL)
    api = create_app(base, providers=[StorageServiceProvider], discover=False)
    storage = api.state.foundry.make(Storage)
    with pytest.raises(MissingAppKeyError, match="foundry key:generate") as caught:
        storage.disk().temporary_url("a.txt", 60)
    assert caught.value.code == "MISSING_APP_KEY"
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url=APP_URL) as client:
        response = await client.get("/storage/signed/a.txt?expires=1&signature=abc")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "MISSING_APP_KEY"


async def test_a_malformed_app_key_is_reported_as_such(base, monkeypatch):
    monkeypatch.setenv("APP_URL", APP_URL)
    api = create_app(base, providers=[StorageServiceProvider], discover=False)
    api.state.foundry.config.set("app.key", "too-short")
    with pytest.raises(MissingAppKeyError, match="malformed"):
        api.state.foundry.make(Storage).disk().temporary_url("a.txt", 60)


async def test_expiry_must_be_positive(storage):
    for bad in (0, -5, float("nan")):
        with pytest.raises(ValueError, match="positive"):
            storage.disk().temporary_url("a.txt", bad)


async def test_a_frozen_clock_bound_before_boot_is_used(base, monkeypatch):
    monkeypatch.setenv("APP_KEY", KEY)
    frozen = FrozenClock()
    from foundry.domain.provider import ServiceProvider

    class FrozenTime(ServiceProvider):
        def register(self, app):
            app.instance(Clock, frozen)

    api = create_app(base, providers=[FrozenTime, StorageServiceProvider], discover=False)
    url = api.state.foundry.make(Storage).disk().temporary_url("a.txt", 5)
    assert f"expires={int(frozen.timestamp()) + 5}" in url
