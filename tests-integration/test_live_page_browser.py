"""The reference app's live page in a real browser.

Headless Chromium (the system's, `/usr/bin/chromium`, installed by
`scripts/install-browser.sh`; Playwright only drives it and never downloads a browser)
opens `/live` on instance A; the page's own JavaScript connects to `/app/{key}` over the
Pusher protocol and subscribes to `products`. A product is then created and changed
through the API of instance B, and the page shows both events: the fan-out went from B
through Redis to A and from A's websocket into the DOM.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from it_support import Instances, api_token, redis_service, shared_instances, unavailable

# `--headless` is Playwright's own (headless=True); the rest keep the browser from doing
# anything this test did not ask for (network probes, updates, sync, QUIC).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 30_000


@pytest.fixture
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("Chromium is not installed (scripts/install-browser.sh installs it)")
    assert found is not None
    return found


@pytest.fixture
def instances(chromium: str, tmp_path: Path) -> Iterator[Instances]:
    with shared_instances(tmp_path, redis_service(), [{}, {}]) as shared:
        yield shared


def test_the_live_page_shows_product_changes_as_they_happen(
    chromium: str, instances: Instances, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    a, b = instances.servers
    token = api_token(b.url, "editor@example.test", ["products:write"])
    writer = {"accept": "application/json", "authorization": f"Bearer {token}"}

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh user-data dir
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        try:
            page = browser.new_page()
            page.goto(f"{a.url}/live")
            assert page.text_content("h1") == "Live products"
            page.wait_for_selector("#status.connected", timeout=WAIT_MS)
            assert page.text_content("#status") == "connected"
            assert page.locator("#events li").count() == 0

            body = {"sku": "LANTERN-1", "name": "Storm lantern", "price": "24.50", "stock": 4}
            created = httpx.post(f"{b.url}/api/products", json=body, headers=writer, timeout=10)
            assert created.status_code == 201, created.text
            shown = page.wait_for_selector(
                '#events li[data-event="product.created"]', timeout=WAIT_MS
            )
            assert shown is not None
            assert shown.text_content() == "product.created Storm lantern (LANTERN-1)"

            product_id = created.json()["data"]["id"]
            changed = httpx.patch(
                f"{b.url}/api/products/{product_id}",
                json={"name": "Hurricane lantern"},
                headers=writer,
                timeout=10,
            )
            assert changed.status_code == 200, changed.text
            updated = page.wait_for_selector(
                '#events li[data-event="product.updated"]', timeout=WAIT_MS
            )
            assert updated is not None
            assert updated.text_content() == "product.updated Hurricane lantern (LANTERN-1)"
            newest_first = page.locator("#events li").all_text_contents()
            assert newest_first == [
                "product.updated Hurricane lantern (LANTERN-1)",
                "product.created Storm lantern (LANTERN-1)",
            ]
        finally:
            browser.close()
