from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared tinker_support module

from tinker_support import CLEARED_PREFIXES, PRODUCT_MODEL, ROUTES, make_app, seed

from foundry.application import Application


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Foundry app with a Product model in app/models/ and one route provider.

    Session-scoped: the model module is imported once per test process (SQLModel keeps
    one table per name); each test points DATABASE_URL at a database of its own.
    """
    root = tmp_path_factory.mktemp("shop")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\nversion = "0.1.0"\n\n'
        '[tool.foundry]\nproviders = ["app.providers:ShopServiceProvider"]\n'
    )
    models = root / "app" / "models"
    models.mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (models / "__init__.py").write_text("")
    (models / "product.py").write_text(PRODUCT_MODEL)
    (root / "app" / "providers.py").write_text(ROUTES)
    return root


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(CLEARED_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return


@pytest.fixture
def database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/shop.sqlite"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
async def app(shop: Path, database_url: str) -> AsyncIterator[Application]:
    application = make_app(shop)
    await seed(application, "Anvil")
    yield application
    await application.terminate()
