from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from foundry.stub_system import JinjaStubRenderer, StubCatalogue, StubSource

_counter = itertools.count()

MakePackage = Callable[..., StubSource]


@pytest.fixture
def make_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakePackage]:
    """An importable package shipping ``files`` in its ``stubs`` folder."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    made: list[str] = []

    def make(label: str, files: dict[str, str], folder: str = "stubs") -> StubSource:
        module = f"stubpkg{next(_counter)}"
        root = site / module
        root.mkdir()
        (root / "__init__.py").write_text("")
        for relative, text in files.items():
            path = root / folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        made.append(module)
        return StubSource(label, f"{module}:{folder}")

    yield make
    for module in made:
        sys.modules.pop(module, None)


@pytest.fixture
def app_root(tmp_path: Path) -> Path:
    root = tmp_path / "app-root"
    root.mkdir()
    return root


@pytest.fixture
def app_stubs(app_root: Path) -> Callable[[dict[str, str]], Path]:
    """Write files into the app's own ``stubs/`` folder."""

    def write(files: dict[str, str]) -> Path:
        folder = app_root / "stubs"
        for relative, text in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return folder

    return write


@pytest.fixture
def renderer_for(app_root: Path) -> Callable[..., JinjaStubRenderer]:
    def build(*sources: StubSource) -> JinjaStubRenderer:
        return JinjaStubRenderer(StubCatalogue(sources, app_root / "stubs"))

    return build
