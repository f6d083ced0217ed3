from __future__ import annotations

from pathlib import Path

import pytest

from foundry.application import Application


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in ("APP_ENV", "APP_DEBUG", "APP_NAME", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def make_app(base: Path):
    def build(*providers, discover: bool = False) -> Application:
        return Application(base, providers=list(providers), discover=discover)

    return build
