from __future__ import annotations

import importlib
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.plugins import PluginsServiceProvider

ACME_PROVIDER = """
from foundry.domain.provider import ServiceProvider


class AcmeServiceProvider(ServiceProvider):
    name = "acme"
    commands = ("acme_ok.commands:SyncCommand", "acme_ok.commands:PurgeCommand")
"""


def _distribution(site: Path, name: str, version: str, entry_points_txt: str) -> None:
    """A minimal installed distribution: what pip leaves in site-packages."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(entry_points_txt)


def _install(monkeypatch: pytest.MonkeyPatch, site: Path, names: set[str]) -> None:
    monkeypatch.syspath_prepend(str(site))  # also invalidates the import caches
    found = {ep.name for ep in entry_points(group="foundry.providers")}
    assert names <= found, f"importlib.metadata does not see {names - found} in {site}"


@pytest.fixture
def acme(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """A working third-party plugin: distribution acme-ok, entry point acme."""
    site = tmp_path_factory.mktemp("site-acme")
    package = site / "acme_ok"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "provider.py").write_text(ACME_PROVIDER)
    _distribution(
        site,
        "acme-ok",
        "1.2.0",
        "[foundry.providers]\nacme = acme_ok.provider:AcmeServiceProvider\n",
    )
    _install(monkeypatch, site, {"acme"})
    yield site
    for module in [m for m in sys.modules if m == "acme_ok" or m.startswith("acme_ok.")]:
        del sys.modules[module]
    importlib.invalidate_caches()


@pytest.fixture
def broken(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """A third-party plugin whose provider module is missing from its distribution."""
    site = tmp_path_factory.mktemp("site-broken")
    _distribution(
        site,
        "acme-shiny",
        "0.3",
        "[foundry.providers]\nshiny = acme_shiny.provider:ShinyServiceProvider\n",
    )
    _install(monkeypatch, site, {"shiny"})
    yield site
    importlib.invalidate_caches()


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in ("FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH", "APP_ENV"):
        monkeypatch.delenv(name, raising=False)
    app_root = tmp_path / "app"
    app_root.mkdir()
    return app_root


@pytest.fixture
def app(base: Path) -> Application:
    return Application(base, providers=[PluginsServiceProvider], discover=False).load()


@pytest.fixture
def run(app: Application):
    """Run a command of the app: ``await run("plugin:list", format="json")``."""

    async def call(name: str, *argv: str, **kwargs):
        return await app.make(CommandRunner).run(name, list(argv), **kwargs)

    return call
