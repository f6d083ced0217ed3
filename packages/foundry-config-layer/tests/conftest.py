from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from foundry.application import Application
from foundry.domain.config import ConfigRepository, MappingConfig
from foundry.domain.env import defaults_of, resolve_env

# The schema module is imported by reference ("config_layer_schemas:CacheSettings"), the
# way an app's own settings module would be: make this folder importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

CLEARED = (
    "APP_ENV",
    "APP_DEBUG",
    "APP_NAME",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
    "CACHE_DRIVER",
    "CACHE_TTL",
    "CACHE_PREFIX",
    "CACHE_SECRET",
    "CACHE_REDIS_PORT",
)


class LayeredConfig:
    """A ConfigRepository layering defaults < config/*.toml < environment < run time.

    That is the order foundry-config layers in; the kernel's own fallback reads only
    defaults and the environment, so tests that put values in config files bind this.
    """

    def __init__(self, app: Application) -> None:
        self._app = app
        self._overrides: dict[str, Any] = {}

    def _store(self) -> MappingConfig:
        declared = self._app.env_vars
        store = MappingConfig(defaults_of(declared))
        folder = self._app.path("config")
        for file in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                store.set(file.stem, tomllib.loads(file.read_text()))
            except tomllib.TOMLDecodeError:
                continue
        values, _problems = resolve_env(declared, os.environ)
        for key, value in {**values, **self._overrides}.items():
            store.set(key, value)
        return store

    def get(self, key: str, default: Any = None) -> Any:
        return self._store().get(key, default)

    def has(self, key: str) -> bool:
        return self._store().has(key)

    def set(self, key: str, value: Any) -> None:
        self._overrides[key] = value

    def all(self) -> dict[str, Any]:
        return self._store().all()


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def write(base: Path):
    """Write a file inside the app root: ``write("config/cache.toml", "ttl = 5")``."""

    def put(relative: str, text: str) -> Path:
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    return put


@pytest.fixture
def make_app(base: Path):
    """An application over the given providers, with the layered configuration bound."""

    def build(*providers: Any) -> Application:
        app = Application(base, providers=list(providers), discover=False)
        app.instance(ConfigRepository, LayeredConfig(app))
        return app

    return build
